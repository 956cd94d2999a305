"""The user's own API tokens: list, create (shown once) and revoke. Any signed-in user."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from program.core.acting import acting_user
from program.core.errors import ApplicationError, NotFoundError
from program.core.form_errors import show_refusal
from program.tokens import selectors, services
from program.tokens.forms import TokenCreateForm


@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = TokenCreateForm(request.POST if request.method == "POST" else None)
    created_key = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, created_key = services.api_token_create(
                    user=user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    actor=user,
                )
            except ApplicationError as error:
                show_refusal(form, error)
                status = 400
            else:
                # Shown in this answer only (never stored, never in a redirect's address).
                form = TokenCreateForm()
        else:
            status = 400
    context = {
        "form": form,
        "tokens": selectors.tokens_of(user),
        "created_key": created_key,
        "max_days": services.max_days(),
    }
    return render(request, "account/tokens.html", context, status=status)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = services.api_token_revoke(token_id=pk, actor=acting_user(request))
    except NotFoundError as error:
        raise Http404(error.message) from error
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("account:tokens")

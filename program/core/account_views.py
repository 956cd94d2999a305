"""The signed-in user's own account: the overview ("My account"), e-mail address, password
change and the second factor (TOTP). The API tokens' pages are program/tokens/views.py.

Every page here is open to any signed-in user (route policy); the second-factor services and the
rules of who must have one are in second_factor.py.
"""

from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from program.core import second_factor
from program.core.acting import acting_user
from program.core.errors import ApplicationError
from program.core.passwords import lockout_response
from program.core.second_factor import Outcome

CODE_DIGITS = 6


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"class": "form-input", "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def clean_otp_token(self) -> str:
        code = "".join(self.cleaned_data["otp_token"].split())
        if not (code.isdigit() and len(code) == CODE_DIGITS):
            raise forms.ValidationError(
                _("Enter the %(digits)d digits your authenticator app shows now, e.g. 123456.")
                % {"digits": CODE_DIGITS}
            )
        return code


class RemoveForm(forms.Form):
    REMOVE = "remove"
    REPLACE = "replace"
    action = forms.ChoiceField(choices=[(REMOVE, REMOVE), (REPLACE, REPLACE)])
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-input", "autocomplete": "current-password"}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _locked(request: HttpRequest) -> HttpResponse:
    """Sign the half-signed-in session out and show the lock-out page."""
    credentials = {"username": acting_user(request).get_username()}
    logout(request)
    return lockout_response(request, None, credentials)


def _wait_message(until: Any) -> str:
    if until is None:
        return _("Too many wrong codes in a row: wait a few seconds and try again.")
    return _("Too many wrong codes in a row: try again after %(time)s.") % {
        "time": timezone.localtime(until).strftime("%H:%M:%S")
    }


@require_http_methods(["GET", "HEAD", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the user's authenticator app."""
    user = acting_user(request)
    if not second_factor.session_needs_verification(request):
        return render(request, "account/second_factor_verify.html", {"not_needed": True})
    if second_factor.confirmed_device(user) is None:
        return redirect(reverse("account:second-factor-enrol") + _next_query(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome, details = second_factor.code_verify(request, form.cleaned_data["otp_token"])
        if outcome is Outcome.ACCEPTED:
            return redirect(_next_url(request))
        if outcome is Outcome.LOCKED:
            return _locked(request)
        if outcome is Outcome.WAIT:
            form.add_error("otp_token", _wait_message(details.get("until")))
            status = 429
        else:
            form.add_error(
                "otp_token",
                _("That code is not right, or was already used. Enter the code shown now."),
            )
            status = 400
    elif request.method == "POST":
        status = 400
    context = {"form": form, "next": _next_url(request), "second_factor_pending": True}
    return render(request, "account/second_factor_verify.html", context, status=status)


def _next_query(request: HttpRequest) -> str:
    candidate = request.GET.get("next", "")
    return f"?next={quote(candidate)}" if candidate else ""


@require_http_methods(["GET", "HEAD", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code and key, confirmed by one code from the app."""
    user = acting_user(request)
    if second_factor.confirmed_device(user) is not None:
        if second_factor.session_needs_verification(request):
            # A second device may only be added by someone who has given the first one's code.
            return redirect(reverse("account:second-factor-verify") + _next_query(request))
        return render(request, "account/second_factor_enrol.html", {"enrolled": True})
    device = second_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = second_factor.enrolment_confirm(request, device, form.cleaned_data["otp_token"])
        if outcome is Outcome.ACCEPTED:
            messages.success(request, _("Your second factor is set up."))
            return redirect(_next_url(request))
        if outcome is Outcome.WAIT:
            form.add_error("otp_token", _wait_message(None))
            status = 429
        else:
            form.add_error(
                "otp_token",
                _(
                    "That code does not match this key. Check that the app added the key shown "
                    "here and that the phone's clock is right, then enter the code shown now."
                ),
            )
            status = 400
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": second_factor.qr_svg(device),
        "secret": second_factor.secret_text(device),
        "required": second_factor.required_for(user),
        "second_factor_pending": second_factor.session_needs_verification(request),
    }
    return render(request, "account/second_factor_enrol.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def _password_refused(request: HttpRequest, form: forms.Form) -> bool:
    """Whether the password asked again is wrong; if so the form says so at its field. (A wrong
    password may also lock the account out: the caller then answers with the lock-out page.)"""
    if second_factor.password_confirm(request, form.cleaned_data["password"]):
        return False
    form.add_error("password", _("That is not your password. Enter your password."))
    return True


def second_factor_manage(request: HttpRequest) -> HttpResponse:
    """The user's second factor: whether it is set up and required; remove or replace it."""
    user = acting_user(request)
    device = second_factor.confirmed_device(user)
    form = RemoveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if device is None:
            form.add_error(None, _("There is no second factor to remove."))
            status = 400
        elif not form.is_valid():
            status = 400
        elif _password_refused(request, form):
            if getattr(request, "axes_locked_out", False):
                return _locked(request)
            status = 400
        else:
            second_factor.second_factor_remove(request=request)
            if form.cleaned_data["action"] == RemoveForm.REPLACE:
                return redirect("account:second-factor-enrol")
            messages.success(request, _("Your second factor was removed."))
            return redirect("account:second-factor")
    context = {
        "device": device,
        "form": form,
        "required": second_factor.required_for(user),
    }
    return render(request, "account/second_factor_manage.html", context, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change with the project's validators (settings AUTH_PASSWORD_VALIDATORS:
    at least 15 characters, no common or programme words). Saving the new password ends the
    user's other sessions (program/core/security_events.py); this one stays signed in."""

    template_name = "account/password_change.html"
    success_url = reverse_lazy("home")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-input"
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is changed. Your other sessions, on any device, were signed out."),
        )
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy(
            "Notifications are e-mailed here, e.g. when something waits for you."
        ),
        widget=forms.EmailInput(attrs={"class": "form-input", "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        help_text=gettext_lazy(
            "Asked again, because whoever reads this address reads your notifications."
        ),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "form-input", "autocomplete": "current-password"}
        ),
    )


@require_http_methods(["GET", "HEAD"])
def account_overview(request: HttpRequest) -> HttpResponse:
    """My account: who I am and my roles, language, e-mail, password, second factor and API
    tokens, each with the way to change it."""
    from program.core.roles import role_labels, user_roles
    from program.tokens.selectors import active_token_count

    user = acting_user(request)
    context = {
        "account_user": user,
        "roles": role_labels(user_roles(user)),
        "device": second_factor.confirmed_device(user),
        "second_factor_required": second_factor.required_for(user),
        "active_tokens": active_token_count(user),
        "languages": settings.LANGUAGES,
    }
    return render(request, "account/overview.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    """Change the address notifications go to, with the password asked again."""
    from program.core.services import user_email_set

    user = acting_user(request)
    initial = {"email": getattr(user, "email", "")}
    form = EmailForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif _password_refused(request, form):
            if getattr(request, "axes_locked_out", False):
                return _locked(request)
            status = 400
        else:
            try:
                user_email_set(user=user, email=form.cleaned_data["email"])
            except ApplicationError as error:
                form.add_error("email", error.message)
                status = 400
            else:
                messages.success(request, _("Your e-mail address is saved."))
                return redirect("account:overview")
    return render(request, "account/email_change.html", {"form": form}, status=status)

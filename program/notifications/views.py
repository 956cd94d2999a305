"""The notification list (one's own only) and "mark as read"."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from program.core.acting import acting_user
from program.core.errors import NotFoundError
from program.notifications import selectors, services

PAGE_SIZE = 50


def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(acting_user(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Only one's own: someone else's notification is "not found", not "forbidden".
    try:
        notification = services.notification_mark_read(
            notification_id=pk, actor=acting_user(request)
        )
    except NotFoundError as error:
        raise Http404(error.message) from error
    # "Open" marks it read and goes to its page; the link is a path on this site (a constraint).
    if request.POST.get("next") == "subject" and notification.link:
        return redirect(notification.link)
    return redirect("notifications:list")

"""The audit URLconf plus one page that shows a person's name and logs nothing: the access-log
contract test's proof that its walk finds such a page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from program.inmates.models import Inmate
from tests.audit.urls import urlpatterns as audit_urlpatterns


def unlogged_person(request: HttpRequest) -> HttpResponse:
    inmate = Inmate.objects.order_by("pk").first()
    return HttpResponse(f"<p>{inmate.name if inmate else ''}</p>")


urlpatterns = [
    path("probe/unlogged-person/", unlogged_person, name="probe-unlogged-person"),
    *audit_urlpatterns,
]

handler403 = "program.core.views.permission_denied"
handler404 = "program.core.views.page_not_found"
handler500 = "program.core.views.server_error"

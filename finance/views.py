from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from finance import selectors


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "finance/terms.html", {"rows": selectors.terms_overview()})

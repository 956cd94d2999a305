from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from program.cells import programmes, selectors
from program.cells.views_programme import ChooseForm
from program.core.policy import allows
from program.core.roles import user_roles


def agreement_list(request: HttpRequest) -> HttpResponse:
    mine = programmes.user_programme(request.user)
    return render(
        request,
        "cells/agreement_list.html",
        {
            "agreements": selectors.agreement_list(),
            "mine": mine,
            "choose_form": ChooseForm(initial={"programme": mine}),
            "can_create": allows("cells:agreement-create", user_roles(request.user)),
        },
    )


def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(selectors.agreement_detail_queryset(), pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "cells/agreement_detail.html",
        {
            "agreement": agreement,
            "cap_today": selectors.ramp_up_cap_on(agreement=agreement, on=today),
            "today": today,
            "can_amend": allows("cells:agreement-edit", user_roles(request.user)),
        },
    )


def facility_list(request: HttpRequest) -> HttpResponse:
    return render(request, "cells/facility_list.html", {"facilities": selectors.facility_list()})


def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(selectors.facility_list(), pk=pk)
    return render(
        request,
        "cells/facility_detail.html",
        {
            "facility": facility,
            "units": selectors.facility_units(facility=facility),
            "capacity": selectors.facility_capacity(facility=facility),
        },
    )

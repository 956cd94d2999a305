"""The tranche's moves as data: one entry per move, read by the tranche page (its action forms
and their routes, finance/views.py and finance/urls.py) and by the API (the viewset's POST
actions and their OpenAPI text, finance/api/views.py). A move added here gets its form, its
page route, its API action and its schema in one place; its route names are in the route policy
(program/core/policy.py), which decides who may take it.

A move's `key` is everything's name: the service's starting statuses (services.MOVES_FROM), the
form prefix, the URL segment (`tranches/<pk>/<key>/` on both sides), the route names
(`finance:tranche-<key>`, `api:tranche-<key>`) and the OpenAPI operation (`tranche_<key>`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from finance import services
from finance.api.serializers import DecisionInput, InvoiceInput, PayInput, ReasonInput
from finance.forms import ApproveForm, DisputeForm, InvoiceForm, PayForm, RejectForm, WithholdForm
from finance.models import Tranche

if TYPE_CHECKING:
    from django import forms
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class TrancheMove:
    key: str
    title: "StrOrPromise"  # the heading of the move's form on the tranche page
    submit: "StrOrPromise"  # its button
    button: str  # the DKFDS button class: primary for the move that carries the tranche forward
    form_class: "type[forms.Form]"
    service: Callable[..., Tranche]
    # The inputs the service takes, by the same name in the form and the API input; the tranche,
    # the actor and the version the caller read are given to every move.
    inputs: tuple[str, ...]
    success: "StrOrPromise"  # the page's message once the service accepted the move
    # The API: the input serializer (it only parses), and the OpenAPI summary and who may take
    # the move (the 403's text). Schema text is not translated.
    api_input: type[serializers.Serializer[Any]]
    api_summary: str
    api_who: str
    # Shown instead when the tranche can still take this move afterwards: an approval short of
    # the last level leaves it invoiced, waiting for a different approver.
    success_waiting: "StrOrPromise" = ""
    # The four-eyes rule: not offered to whoever prepared the tranche or already approved it in
    # this round (the service refuses them anyway).
    four_eyes: bool = False
    # What the form starts with besides the version: the tranche's amount in `amount`, and
    # today in the date field named here.
    prefills_amount: bool = False
    dated_today: str = ""
    # A refusal's detail name → the form field that carries it, where the two differ.
    aliases: Mapping[str, str] = field(default_factory=dict)
    api_description: str = ""  # the OpenAPI description, where the summary needs one

    @property
    def name(self) -> str:
        """The route's name in both the page and the API namespace."""
        return f"tranche-{self.key}"

    @property
    def route(self) -> str:
        return f"finance:{self.name}"

    @property
    def api_route(self) -> str:
        return f"api:{self.name}"

    @property
    def starts_from(self) -> tuple[str, ...]:
        return services.MOVES_FROM[self.key]

    def initial(self, tranche: Tranche, today: date) -> dict[str, Any]:
        initial: dict[str, Any] = {"expected_version": tranche.version}
        if self.prefills_amount:
            initial["amount"] = tranche.amount
        if self.dated_today:
            initial[self.dated_today] = today
        return initial

    def perform(
        self,
        tranche: int,
        data: Mapping[str, Any],
        *,
        actor: AbstractBaseUser,
        expected_version: int,
    ) -> Tranche:
        """Ask the service; it decides, and raises ApplicationError when it refuses."""
        return self.service(
            tranche=tranche,
            actor=actor,
            expected_version=expected_version,
            **{name: data[name] for name in self.inputs},
        )

    def message(self, tranche: Tranche) -> str:
        if self.success_waiting and tranche.status in self.starts_from:
            return str(self.success_waiting)
        return str(self.success)


TRANCHE_MOVES: tuple[TrancheMove, ...] = (
    TrancheMove(
        key="invoice",
        title=_("Record the invoice and put the tranche forward for approval"),
        submit=_("Put forward for approval"),
        button="button-primary",
        form_class=InvoiceForm,
        service=services.tranche_invoice,
        inputs=("amount", "invoice_reference", "invoiced_on"),
        success=_("Invoice recorded; the tranche now needs approval by someone else."),
        prefills_amount=True,
        dated_today="invoiced_on",
        api_input=InvoiceInput,
        api_summary="Record the host's invoice (finance officer)",
        api_description="The amount must match the tranche to the cent; the caller becomes the "
        "preparer, who may not approve it.",
        api_who="finance officers",
    ),
    TrancheMove(
        key="approve",
        title=_("Approve"),
        submit=_("Approve"),
        button="button-primary",
        form_class=ApproveForm,
        service=services.tranche_approve,
        inputs=("comment",),
        success=_("Approved; the tranche can now be paid."),
        success_waiting=_(
            "Your approval is recorded; a second, different approver must approve it too."
        ),
        four_eyes=True,
        api_input=DecisionInput,
        api_summary="Approve an invoiced tranche at the next level (finance approver)",
        api_description="Never by the preparer, never twice by one person; "
        "FINANCE_APPROVAL_LEVELS different approvers make it approved.",
        api_who="finance approvers",
    ),
    TrancheMove(
        key="reject",
        title=_("Reject"),
        submit=_("Reject"),
        button="button-secondary",
        form_class=RejectForm,
        service=services.tranche_reject,
        inputs=("comment",),
        success=_("Rejected; the tranche is due again and needs a corrected invoice."),
        four_eyes=True,
        api_input=DecisionInput,
        api_summary="Reject an invoiced tranche with a comment (finance approver)",
        api_who="finance approvers",
    ),
    TrancheMove(
        key="pay",
        title=_("Record the payment"),
        submit=_("Record payment"),
        button="button-primary",
        form_class=PayForm,
        service=services.tranche_pay,
        inputs=("paid_on", "bank_reference", "amount", "eur_dkk_rate"),
        success=_("Payment recorded; the tranche is paid."),
        prefills_amount=True,
        dated_today="paid_on",
        aliases={"rate": "eur_dkk_rate"},
        api_input=PayInput,
        api_summary="Record the payment of an approved tranche (finance officer)",
        api_description="The exact amount, a bank reference used nowhere else, and the EUR→DKK "
        "rate of the day.",
        api_who="finance officers",
    ),
    TrancheMove(
        key="dispute",
        title=_("Dispute"),
        submit=_("Dispute"),
        button="button-secondary",
        form_class=DisputeForm,
        service=services.tranche_dispute,
        inputs=("reason",),
        success=_("The tranche is disputed; a corrected invoice resumes it."),
        api_input=ReasonInput,
        api_summary="Dispute a tranche, with the reason (finance officer or approver)",
        api_who="finance officers and approvers",
    ),
    TrancheMove(
        key="withhold",
        title=_("Withhold"),
        submit=_("Withhold"),
        button="button-secondary",
        form_class=WithholdForm,
        service=services.tranche_withhold,
        inputs=("reason",),
        success=_("The tranche is withheld."),
        api_input=ReasonInput,
        api_summary="Withhold an unpaid tranche, with the reason (finance approver)",
        api_who="finance approvers",
    ),
)
MOVES_BY_KEY = {move.key: move for move in TRANCHE_MOVES}

"""Demo letters: the programme's starting templates, and real letters on the demo cases whose
state calls for one (a decision, a notification, a refusal, the two transports' manifests).

Runs after the transfer cases (order 50). A handful of cases, one per state, so the load stays
quick (each PDF takes a fraction of a second); a second load finds the letters and makes none.
"""

from typing import TextIO

from django.contrib.auth import get_user_model

from program.cells.models import Agreement
from program.core.demo import register
from program.core.roles import Role
from transfers.letters import services
from transfers.letters.data import Inputs
from transfers.letters.models import Letter, LetterKind
from transfers.models import TransferCase, TransportBatch

S = TransferCase.State
REASONS_TRANSFER = (
    "Du er udvist ved endelig dom, du har mere end seks måneder tilbage af din straf, og der "
    "er en ledig plads i Gjilan. Vi har hørt dig, og du har gjort indsigelse mod overførslen. "
    "Vi har lagt vægt på dine oplysninger om din familie, men de fører ikke til et andet "
    "resultat, fordi du ikke har børn, der besøger dig jævnligt."
)
REASONS_NO_TRANSFER = (
    "Fængslet i Gjilan har oplyst, at det ikke kan tilbyde den behandling, du har brug for. "
    "Du afsoner derfor fortsat i Danmark."
)
REASONS_APPEAL = (
    "Klageinstansen finder ikke grundlag for at ændre afgørelsen. Dine oplysninger om din "
    "helbredstilstand er indgået i vurderingen, og der er behandling til rådighed i Gjilan."
)
# The letters each state calls for, and the reasons they give.
WANTED: list[tuple[str, list[tuple[str, str]]]] = [
    (S.DECIDED_TRANSFER, [(LetterKind.TRANSFER_DECISION, REASONS_TRANSFER)]),
    (
        S.NOTIFIED,
        [(LetterKind.TRANSFER_DECISION, REASONS_TRANSFER), (LetterKind.NOTIFICATION, "")],
    ),
    (
        S.UNDER_APPEAL,
        [(LetterKind.TRANSFER_DECISION, REASONS_TRANSFER), (LetterKind.NOTIFICATION, "")],
    ),
    (S.DECIDED_NO_TRANSFER, [(LetterKind.NO_TRANSFER_DECISION, REASONS_NO_TRANSFER)]),
]


@register(order=55)
def load(out: TextIO) -> None:
    if not Agreement.objects.exists():
        out.write("Letters: no programme to write for; skipped\n")
        return
    # Every programme's cases get letters, so every programme gets the templates.
    seeded = sum(
        services.letter_templates_seed(agreement=programme)
        for programme in Agreement.objects.order_by("signed_on", "id")
    )
    if Letter.objects.exists():
        out.write(f"Letters: {Letter.objects.count()} (already there)\n")
        return
    caseworker = get_user_model().objects.filter(username=Role.CASEWORKER.value).first()
    if caseworker is None:
        out.write(f"Letters: {seeded} templates; no demo caseworker, no letters\n")
        return
    made = 0
    for state, letters in WANTED:
        case = (
            TransferCase.objects.filter(state=state, inmate__case_number__startswith="KF-")
            .order_by("inmate__case_number")
            .first()
        )
        if case is None:
            continue
        for kind, reasons in letters:
            services.letter_generate(
                case=case, kind=kind, actor=caseworker, inputs=Inputs(reasons=reasons)
            )
            made += 1
    # The outcome of an appeal, on a case whose appeal was decided.
    appealed = (
        TransferCase.objects.filter(inmate__case_number__startswith="KF-")
        .exclude(appeal_outcome="")
        .order_by("inmate__case_number")
        .first()
    )
    if appealed is not None:
        services.letter_generate(
            case=appealed,
            kind=LetterKind.APPEAL_OUTCOME,
            actor=caseworker,
            inputs=Inputs(reasons=REASONS_APPEAL),
        )
        made += 1
    for batch in TransportBatch.objects.filter(
        direction=TransportBatch.Direction.TO_HOST, manifest__removed_at__isnull=True
    ).distinct():
        made += sum(g.created for g in services.manifest_generate(batch=batch, actor=caseworker))
    out.write(f"Letters: {seeded} templates, {made} letters\n")

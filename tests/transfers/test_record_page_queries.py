"""The case page and the inmate page: at most ten queries each, the same number whatever the
record holds (the fixed cost of a page is two of them: the session, then the user; the
caseworker's header adds the count of cases needing their action)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.inmates.factories import (
    ExpulsionOrderFactory,
    InmateFactory,
    JudgmentFactory,
    PlacementFactory,
)
from tests.transfers.conftest import make_eligible_inmate
from tests.transfers.helpers import S, advance, upload
from transfers import services
from transfers.letters import services as letters
from transfers.letters.data import Inputs
from transfers.letters.models import LetterKind
from transfers.models import (
    CaseEvent,
    Decision,
    Document,
    InmateOpinion,
    ReleasePreparation,
    TransferCase,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("documents", [0, 3])
def test_the_case_page_costs_ten_queries_at_most(
    caseworker, carla, place, documents, django_assert_num_queries
) -> None:
    case = services.case_open(inmate=make_eligible_inmate(), actor=carla)
    for kind in ["judgment", "expulsion_order", "medical_fitness"][:documents]:
        upload(case, kind, carla)
    url = reverse("transfers:case-detail", args=[case.pk])
    caseworker.get(url)  # the first visit notes in the session that this is case work
    # 1 session, 2 user (roles, unread count), 3 the case with its newest screening, documents,
    # opinions, decisions, parameters, the wordings' version and the person's counts of family
    # contact beside E15 (program/visits, read with the row), 4 the access-log row,
    # 5 reason codes (a move here asks for a reason), 6 the header's work-queue count, 7 the
    # letters' programme and languages, 8 the timeline
    with django_assert_num_queries(8):
        response = caseworker.get(url)
    assert response.status_code == 200
    assert len(response.context["checklist"]) >= 3


def _serving_case(carla, otto, *, many: bool) -> TransferCase:
    """The heaviest state, as a case reaches it: screened, documents, the inmate's opinion, the
    decision, the decision letter, the transport, the place, then serving; `many` adds more of
    every list the page shows."""
    case = advance(
        services.case_open(inmate=make_eligible_inmate(), actor=carla),
        S.DECIDED_TRANSFER,
        carla=carla,
        otto=otto,
    )
    letters.letter_templates_seed(agreement=case.agreement)
    letters.letter_generate(
        case=case, kind=LetterKind.TRANSFER_DECISION, actor=carla, inputs=Inputs(reasons="Ledig")
    )
    case = advance(case, S.SERVING, carla=carla, otto=otto)
    if many:
        today = timezone.localdate()
        for n in range(4):
            upload(case, Document.Kind.JUDGMENT, carla)
            InmateOpinion.objects.create(
                case=case,
                stance=InmateOpinion.Stance.AGREES,
                heard_on=today - timedelta(days=n),
                language="Arabic",
                recorded_by=otto,
            )
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, text=f"Note {n}")
        Decision.objects.filter(case=case).update(
            superseded_at=timezone.now(), superseded_reason="Appeal upheld"
        )
        Decision.objects.create(
            case=case,
            outcome=Decision.Outcome.TRANSFER,
            authority="Kriminalforsorgen",
            legal_basis="Straffuldbyrdelsesloven § 78",
            decided_on=today,
            recorded_by=otto,
        )
        ExpulsionOrderFactory(inmate=case.inmate, ordered_on=today - timedelta(days=20))
        # Release preparation begun (the page shows it once begun, window or not).
        ReleasePreparation.objects.create(
            case=case, destination_reference="RA-2026-117", flight_number="JU 371", updated_by=carla
        )
    return case


@pytest.mark.parametrize("many", [False, True])
def test_a_serving_case_page_costs_ten_queries_whatever_it_holds(
    caseworker, carla, otto, place, many, django_assert_num_queries
) -> None:
    case = _serving_case(carla, otto, many=many)
    url = reverse("transfers:case-detail", args=[case.pk])
    caseworker.get(url)
    # 1 session, 2 user, 3 the case with its inmate, caseworker, place, release preparation
    # (joined), newest screening, documents, opinions, decisions, parameters, the wordings'
    # version and the counts of family contact beside E15 (read with the row), 4 the access-log
    # row, 5 reason codes, 6 the header's work-queue count, 7 the letters, 8 the letters'
    # programme and languages, 9 the timeline.
    # The rules' wordings come from the process's copy (the version is unchanged).
    with django_assert_num_queries(9):
        response = caseworker.get(url)
    assert response.status_code == 200
    context = response.context
    assert context["can_review"]
    assert context["review_form"] is not None
    assert len(context["opinions"]) == (5 if many else 1)
    assert len(context["decisions"]) == (2 if many else 1)
    assert context["screening"] is not None
    assert context["screening_results"]
    assert context["checklist"][0].latest is not None
    assert context["release_shown"] is many
    body = response.content.decode()
    assert 'data-testid="letter-download-' in body
    assert "carla" in body  # who recorded the opinion and uploaded the documents


def test_a_changed_wording_shows_on_the_next_case_page(caseworker, carla, otto, place) -> None:
    """The wordings are kept per process; a change reaches the next page all the same."""
    from transfers.models import EligibilityText

    case = advance(
        services.case_open(inmate=make_eligible_inmate(), actor=carla),
        S.ELIGIBLE,
        carla=carla,
        otto=otto,
    )
    url = reverse("transfers:case-detail", args=[case.pk])
    caseworker.get(url)
    key = next(
        result["reason_key"]
        for result in case.screenings.latest("id").results
        if result.get("reason_key")
    )
    row = EligibilityText.objects.get(key=key)
    row.text_en = "Reworded: this rule's reason."
    row.save()
    assert "Reworded: this rule&#x27;s reason." in caseworker.get(url).content.decode()


@pytest.mark.parametrize("judgments", [1, 8])
def test_the_inmate_page_costs_ten_queries_at_most(
    caseworker, judgments, django_assert_num_queries
) -> None:
    inmate = InmateFactory(nationalities=["SE", "IQ"])
    for _ in range(judgments):
        JudgmentFactory(inmate=inmate)
    PlacementFactory(inmate=inmate)
    caseworker.post(
        reverse("audit:purpose"),
        {
            "subject_type": "inmate",
            "subject_id": inmate.pk,
            "next": reverse("inmates:detail", args=[inmate.pk]),
            "purpose": "occupancy",
        },
    )
    # 1 session, 2 user, 3 the inmate with its nationalities, judgments (with their offence
    # groups) and expulsion orders (read with the row), 4 placements, 5 the access-log row,
    # 6 the non-associations broken today, 7 the record links: every registered provider's
    # rows (transfer cases, incidents, complaints, family contact counts) in one UNION ALL
    # (program/inmates/record_links.py), 8 the header's
    # work-queue count, 9 the non-associations. The same with one judgment or eight.
    with django_assert_num_queries(9):
        response = caseworker.get(reverse("inmates:detail", args=[inmate.pk]))
    assert response.status_code == 200
    assert len(response.context["judgments"]) == judgments

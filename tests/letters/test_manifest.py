"""The transport manifest: made from the manifest the system holds, for everyone on board."""

from datetime import date

import pytest

from tests.inmates.factories import InmateFactory
from tests.letters.conftest import S, in_the_programme, letter_pages
from tests.transfers.factories import case_in
from transfers.letters import services
from transfers.letters.models import Letter, LetterKind
from transfers.models import Document, ManifestEntry, TransportBatch


@pytest.fixture
def transport_of_40(programme, carla) -> TransportBatch:
    batch = TransportBatch.objects.create(
        agreement=programme,
        departs_on=date(2026, 12, 10),
        direction=TransportBatch.Direction.TO_HOST,
        seats=40,
        escort="Eight officers, two interpreters, a nurse",
        created_by=carla,
    )
    for n in range(40):
        inmate = InmateFactory(
            name=f"Passenger {n:02d} Çelik-Østergård", case_number=f"KF-M-{n:03d}"
        )
        case = in_the_programme(case_in(S.SCHEDULED, inmate=inmate, caseworker=carla))
        ManifestEntry.objects.create(batch=batch, case=case, added_by=carla)
    return batch


@pytest.mark.django_db
def test_a_manifest_for_a_transport_of_40_lists_all_40(transport_of_40, carla) -> None:
    results = services.manifest_generate(batch=transport_of_40, actor=carla)
    assert len(results) == 40
    assert all(result.created for result in results)
    letter = results[0].letter
    assert letter.languages == ["da", "en"]
    text = " ".join(letter_pages(letter))
    for n in range(40):
        assert f"Passenger {n:02d} Çelik-Østergård" in text
        assert f"KF-M-{n:03d}" in text
    assert "Transportliste – afgang 2026-12-10" in text
    assert "Transport manifest – departure 2026-12-10" in text
    assert "Eight officers, two interpreters, a nurse" in text
    # Stored on every booked case, as the checklist's transport manifest.
    assert Document.objects.filter(kind=Document.Kind.TRANSPORT_MANIFEST).count() == 40
    assert (
        Letter.objects.filter(kind=LetterKind.TRANSPORT_MANIFEST, batch=transport_of_40).count()
        == 40
    )


@pytest.mark.django_db
def test_a_manifest_made_again_changes_only_the_cases_whose_manifest_changed(
    transport_of_40, carla
) -> None:
    services.manifest_generate(batch=transport_of_40, actor=carla)
    again = services.manifest_generate(batch=transport_of_40, actor=carla)
    assert not any(result.created for result in again)
    # One person taken off: the list differs, so every remaining case gets version 2.
    entry = transport_of_40.manifest.order_by("id").first()
    entry.removed_at = entry.added_at
    entry.save()
    third = services.manifest_generate(batch=transport_of_40, actor=carla)
    assert len(third) == 39
    assert all(result.created for result in third)
    assert {r.letter.document.version for r in third} == {2}
    assert "Passenger 00" not in " ".join(letter_pages(third[0].letter))

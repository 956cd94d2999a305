"""The access-log contract, walked over every route: a response that shows anything from a
person's file (a value of a field tagged personal, criminal or health in the apps about inmates)
is either a purpose prompt or leaves its access-log row. A new page, export or API endpoint that
shows a person without logging the read fails here, whoever wrote it (docs/architecture.md,
"Audit streams").

The values come from the minimisation test's planting: every such text field gets a distinctive
token ("zq007x12"), so a token in a response is a field of someone's file that reached the
reader. Each role walks every GET route the policy gives it, with every purpose already given
(else the purpose prompt would be the whole page).
"""

from collections.abc import Iterator

import pytest
from django.test import Client

from program.audit.models import AccessLogEntry
from program.core.policy import ROUTES, Access
from program.core.roles import SYSTEM_ADMIN, Role
from tests.core.test_route_policy import route_args  # noqa: F401  (the fixture, reused)
from tests.security.test_minimisation import (  # noqa: F401  (fixtures, reused)
    CANARY,
    _finance_urls,
    _payload,
    _purposes_given,
    finance_args,
    planted,
)
from transfers.models import Screening

# Routes that show a person's data by design without a read of it: the auditor's own trail
# (the access log and the history name whom a read or a change was about; reading the trail is
# the auditor's job and is itself not a read of the person's file).
TRAIL = frozenset({"audit:access-log", "audit:access-log-export", "audit:history"})
# Personal fields that are not a person's file: the escort officer named on a transport (staff),
# and the problems of an import file read back by the one who uploaded it (rows of their own
# file, not yet anyone's record).
NOT_A_FILE = frozenset({"transfers.TransportBatch.escort", "inmates.ImportJob.error"})


def _roles() -> Iterator[str]:
    yield from Role.values
    yield SYSTEM_ADMIN


def _fields_shown(text: str, tokens_planted: dict[str, str]) -> list[str]:
    """The fields whose planted token appears in the text ("zq007x12": field token "zq007x")."""
    tokens = {token.rstrip("0123456789") for token in CANARY.findall(text)}
    return sorted(
        tokens_planted[token]
        for token in tokens
        if token in tokens_planted and tokens_planted[token] not in NOT_A_FILE
    )


def unlogged_reads(
    client: Client, role: str, args: dict[str, list[object]], tokens_planted: dict[str, str]
) -> list[str]:
    """Each route that showed this role a planted value with neither a new access-log row nor a
    purpose prompt."""
    _purposes_given(client)
    # A screening's results are a list of rule outcomes; the planting made it one object.
    for screening in Screening.objects.all():
        if isinstance(screening.results, dict):
            Screening.objects.filter(pk=screening.pk).update(
                results=[{"id": "E1", "outcome": "eligible", **screening.results}]
            )
    offenders = []
    for name, url in _finance_urls(args, role):
        if name in TRAIL or name not in ROUTES:
            continue
        before = AccessLogEntry.objects.count()
        response = client.get(url)
        if response.status_code != 200:
            continue
        text, _names = _payload(response)
        fields = _fields_shown(text, tokens_planted)
        if not fields:
            continue
        if AccessLogEntry.objects.count() > before or 'name="purpose"' in text:
            continue
        offenders.append(f"{role} {name} {url}: shows {', '.join(fields[:3])} unlogged")
    return offenders


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(_roles()))
def test_every_read_of_a_persons_file_is_logged(role, persona, finance_args, planted) -> None:  # noqa: F811
    assert planted  # the walk has something to find
    client = persona(role)
    offenders = unlogged_reads(client, role, finance_args, planted)
    assert not offenders, "\n".join(offenders)


@pytest.mark.django_db
def test_an_unlogged_read_is_found(persona, finance_args, planted, settings, monkeypatch) -> None:  # noqa: F811
    """The contract can fail: a page that shows a person's name and logs nothing is found."""
    settings.ROOT_URLCONF = "tests.audit.urls_unlogged"
    monkeypatch.setitem(ROUTES, "probe-unlogged-person", Access("inmate.edit"))
    offenders = unlogged_reads(persona("caseworker"), "caseworker", finance_args, planted)
    assert [o.split(" ")[1] for o in offenders] == ["probe-unlogged-person"]

"""Schemathesis against the served OpenAPI schema, signed in as each role, on a seeded programme.

Every operation gets a bounded number of generated requests that fit the schema (positive) and of
requests that do not (negative), with Schemathesis' default checks: no server error, every status
code, content type, header and body as the schema declares, valid data not refused with a 4xx
the schema does not explain, invalid data refused. The seed is fixed, so a run is repeatable.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok

from program.core.roles import SYSTEM_ADMIN, Role
from tests.hostile.conftest import Programme

SEED = 20_26_11_27
# Per operation, role and generation mode. 52 operations × 6 roles × 2 modes × 4 ≈ 2,500 requests.
EXAMPLES = 4
ROLES = [*Role.values, SYSTEM_ADMIN]
# Schemathesis' default checks, with one widening: a request that fits the schema may still be
# refused with 400 for a rule no schema can state (an id that names no row, a date after
# another), 412 for a stale If-Match or 428 for a missing one. The 400 must still be the
# documented error shape, which the schema checks hold it to.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 409, 412, 428, 429]
            }
        }
    }
)

# Which seeded row a path's {id} names, so that valid requests reach a real object.
PATH_IDS = {
    "/api/v1/agreements/{id}/": "agreement",
    "/api/v1/aid-streams/{id}/": "aid_stream",
    "/api/v1/cells/{id}/": "cell",
    "/api/v1/facilities/{id}/": "facility",
    "/api/v1/inmates/{id}/": "inmate",
    "/api/v1/non-associations/{id}/": "non_association",
    "/api/v1/placements/{id}/": "placement",
    "/api/v1/placements/{id}/cancel/": "reservation",
    "/api/v1/placements/{id}/move/": "placement",
    "/api/v1/placements/{id}/release/": "placement",
    "/api/v1/places/{id}/": "place",
    "/api/v1/pricing-terms/{id}/": "terms",
    "/api/v1/tranches/{id}/": "tranche",
    "/api/v1/tranches/{id}/approve/": "tranche",
    "/api/v1/tranches/{id}/dispute/": "tranche",
    "/api/v1/tranches/{id}/invoice/": "tranche",
    "/api/v1/tranches/{id}/pay/": "tranche",
    "/api/v1/tranches/{id}/reject/": "tranche",
    "/api/v1/tranches/{id}/withhold/": "tranche",
    "/api/v1/transfer-cases/{id}/": "case",
    "/api/v1/transfer-cases/{id}/documents/": "case",
    "/api/v1/transfer-cases/{id}/events/": "case",
    "/api/v1/transfer-cases/{id}/screen/": "case",
    "/api/v1/transfer-cases/{id}/transitions/": "case",
    "/api/v1/transport-batches/{id}/": "batch",
}


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The real WSGI application, in this thread and this test's transaction.

    Django closes the connection at the start and end of each request; inside a test's
    transaction that would end the transaction, so (as Django's own test client does) the
    signal is disconnected while the test runs.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _role_user(make_user: Any, role: str) -> Any:
    if role == SYSTEM_ADMIN:
        return make_user("fuzz-admin", superuser=True)
    return make_user(f"fuzz-{role}", role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_keeps_to_its_schema(
    role, programme: Programme, make_user, wsgi_app
) -> None:
    token = Token.objects.create(user=_role_user(make_user, role))
    auth = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app, config=CONFIG, headers=auth
    )
    failures: list[str] = []
    cases = 0
    operations = 0
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"--- an operation the schema cannot describe: {result.err()}")
            continue
        operation = result.ok()
        operations += 1
        row = PATH_IDS.get(operation.path)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fixed = {"id": getattr(programme, row)} if row and mode.is_positive else None
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

            @seed(SEED)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def send(case: schemathesis.Case) -> None:
                nonlocal cases
                cases += 1
                case.call_and_validate(headers=auth)

            try:
                send()
            except Unsatisfiable:
                continue  # nothing in the request can be made invalid (no parameters, no body)
            except (Exception, BaseExceptionGroup) as failure:  # every failure is collected
                failures.append(f"--- {operation.label} ({mode.value}) as {role}\n{failure}")
    print(f"schemathesis as {role}: {operations} operations, {cases} cases, {len(failures)} failed")
    assert operations >= 50
    assert not failures, "\n".join(failures)

"""Schemathesis against the served OpenAPI schema, signed in as each role, on a seeded programme.

Every operation gets, per role, Schemathesis' three unit phases, as its pytest plugin and its
command line run them:

- examples: the schema's own examples;
- coverage: deterministic requests at the edges of the schema (each parameter and field missing,
  empty, of the wrong type, at and past its bounds, each enum value) and every HTTP method the
  address does not document (answered 405 with an Allow header);
- fuzzing: a bounded number of generated requests, valid ones and invalid ones.

Every response goes through every Schemathesis check: no server error, status code, content type,
headers and body as the schema declares, valid data accepted, invalid data refused, a missing
required header refused, an undocumented method answered 405 with Allow, and authentication
enforced. Valid data uses real rows (PATH_IDS) so it reaches real objects; invalid data goes to
any id. The seed is fixed, so a run is repeatable.

In `make test` each operation gets EXAMPLES generated requests per role and mode, and the
coverage phase as one role the route policy lets use it (its input edges do not depend on who
sends them; every other role is refused before the input is read, which the generated requests
check). A larger run by hand, the coverage phase as every role (-s prints each role's count
of requests):

    SCHEMATHESIS_EXAMPLES=50 SCHEMATHESIS_FULL=1 \
        pytest -p no:xdist -s tests/hostile/test_api_schema_fuzz.py
"""

import os
import re
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from hypothesis import HealthCheck, Phase
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.core.control import SkipTest
from schemathesis.core.result import Ok
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.generation.overrides import Override

from program.core.policy import access_for
from program.core.roles import SYSTEM_ADMIN, Role
from program.tokens.models import ApiToken
from tests.api_tokens import token_for
from tests.hostile.conftest import Programme

SEED = 20_26_11_27
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
FULL = os.environ.get("SCHEMATHESIS_FULL") == "1"
ROLES = [*Role.values, SYSTEM_ADMIN]

# The rules a schema cannot express, and so the only widening of Schemathesis' checks. Each is
# an answer to a request that fits the schema:
VALID_BUT_REFUSED = {
    # 400: a rule on the data rather than its shape: an id in the body that names no row, a
    # date after another, a document's content that is not the PDF its name says, a text with
    # a NUL or a text-direction control (refused everywhere, for storage and display safety).
    "400": "a rule on values, across fields or rows",
    # 412: an ETag of the right form that is not the row's current version (stale).
    "412": "a well-formed but stale If-Match",
}
CONFIG = {
    "checks": {
        # Schemathesis' own list (2xx, 3xx, 401, 403, 404, 409, 429, 5xx) plus the above. 403 is
        # in it already: the schema is one for every role, and which role may do what is the
        # route policy's, which the schema does not split by role.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", *VALID_BUT_REFUSED]
        },
        # Schemathesis' own list plus 412: a write whose If-Match is not a current ETag is
        # refused for that before its body is read, so invalid data may be refused with 412.
        "negative_data_rejection": {
            "expected-statuses": [
                *("400", "401", "403", "404", "405", "406", "409"),
                *("412", "415", "422", "428", "429"),
            ]
        },
        # A write without If-Match is answered 428 Precondition Required (RFC 6585 §3), which
        # is what the header is for; Schemathesis' default list predates it.
        "missing_required_header": {
            "expected-statuses": ["400", "401", "403", "404", "406", "415", "422", "428"]
        },
    }
}

# Which seeded row a path's {id} names, so that valid requests reach a real object.
PATH_IDS = {
    "/api/v1/agreements/{id}/": "agreement",
    "/api/v1/aid-streams/{id}/": "aid_stream",
    "/api/v1/cells/{id}/": "cell",
    "/api/v1/expulsion-orders/{id}/": "expulsion",
    "/api/v1/facilities/{id}/": "facility",
    "/api/v1/inmates/{id}/": "inmate",
    "/api/v1/judgments/{id}/": "judgment",
    "/api/v1/non-associations/{id}/": "non_association",
    "/api/v1/placements/{id}/": "placement",
    "/api/v1/placements/{id}/cancel/": "reservation",
    "/api/v1/placements/{id}/move/": "placement",
    "/api/v1/placements/{id}/release/": "placement",
    "/api/v1/places/{id}/": "place",
    "/api/v1/pricing-terms/{id}/": "terms",
    "/api/v1/ramp-up-caps/{id}/": "ramp_up",
    "/api/v1/tranches/{id}/": "tranche",
    "/api/v1/tranches/{id}/approve/": "tranche",
    "/api/v1/tranches/{id}/dispute/": "tranche",
    "/api/v1/tranches/{id}/invoice/": "tranche",
    "/api/v1/tranches/{id}/pay/": "tranche",
    "/api/v1/tranches/{id}/reject/": "tranche",
    "/api/v1/tranches/{id}/withhold/": "tranche",
    "/api/v1/transfer-cases/{id}/": "case",
    "/api/v1/transfer-cases/{id}/appeal/": "appeal_case",
    "/api/v1/transfer-cases/{id}/appeal-outcome/": "appeal_case",
    "/api/v1/transfer-cases/{id}/decisions/": "review_case",
    "/api/v1/transfer-cases/{id}/documents/": "case",
    "/api/v1/transfer-cases/{id}/events/": "case",
    "/api/v1/transfer-cases/{id}/notification/": "review_case",
    "/api/v1/transfer-cases/{id}/opinions/": "review_case",
    "/api/v1/transfer-cases/{id}/release-preparation/": "release_case",
    "/api/v1/transfer-cases/{id}/screen/": "case",
    "/api/v1/transfer-cases/{id}/transitions/": "case",
    "/api/v1/transport-batches/{id}/": "batch",
    "/api/v1/transport-batches/{id}/manifest/": "batch",
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


def _coverage_role(path: str, method: str) -> str | None:
    """The first role (in ROLES order) the route policy lets use this operation."""
    access = access_for(resolve(re.sub(r"\{[^}/]+\}", "1", path)).view_name)
    assert access is not None, path
    if access.any_signed_in:
        return ROLES[0]
    return next((role for role in ROLES if role in access.roles_for(method)), None)


def _run_operation(
    operation: Any, project: Any, auth: dict[str, str], override: Override, *, coverage: bool
) -> tuple[int, str | None]:
    """Every phase of one operation; the number of requests sent and the failure, if any."""
    sent = 0

    def send(case: schemathesis.Case) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(headers=auth)

    test = create_test(
        operation=operation,
        test_func=send,
        config=HypothesisTestConfig(
            project=project,
            modes=[
                mode
                for mode in HypothesisTestMode
                if coverage or mode is not HypothesisTestMode.COVERAGE
            ],
            settings=hypothesis.settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: bounded time
                suppress_health_check=list(HealthCheck),
            ),
            seed=SEED,
            override=override,
        ),
    )
    try:
        test()
    except (Unsatisfiable, SkipTest):
        pass  # nothing in the request can be made invalid (no parameters, no body)
    except (Exception, BaseExceptionGroup) as failure:  # every failure is collected
        return sent, str(failure)
    return sent, None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_keeps_to_its_schema(
    role, programme: Programme, make_user, wsgi_app
) -> None:
    user = _role_user(make_user, role)
    auth = {"Authorization": f"Bearer {token_for(user)}"}
    # The revoke operation is pinned to a spare token, so the run never revokes its own.
    token_for(user, name="Spare")
    spare = ApiToken.objects.get(user=user, name="Spare").pk
    failures: list[str] = []
    sent = 0
    operations = 0
    for mode in ("positive", "negative"):
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json",
            wsgi_app,
            config=SchemathesisConfig.from_dict({**CONFIG, "generation": {"mode": mode}}),
            headers=auth,
        )
        for result in schema.get_all_operations():
            if not isinstance(result, Ok):
                failures.append(f"--- an operation the schema cannot describe: {result.err()}")
                continue
            operation = result.ok()
            operations += 1
            row = PATH_IDS.get(operation.path)
            pinned = {"id": getattr(programme, row)} if row and mode == "positive" else {}
            if operation.path == "/api/v1/me/tokens/{id}/revoke/" and mode == "positive":
                pinned = {"id": spare}
            coverage = FULL or _coverage_role(operation.path, operation.method) == role
            count, failure = _run_operation(
                operation, schema.config, auth, Override(path_parameters=pinned), coverage=coverage
            )
            sent += count
            if failure:
                failures.append(f"--- {operation.label} ({mode}) as {role}\n{failure}")
    print(
        f"schemathesis as {role}: {operations} operations, {sent} requests, {len(failures)} failed"
    )
    assert operations >= 100  # ~55 operations, in each mode
    # Every request above was answered as this role, not refused for a revoked token.
    assert ApiToken.objects.get(user=user, name="Test client").revoked_at is None
    assert not failures, "\n".join(failures)

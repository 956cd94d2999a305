"""Personal API tokens: a signed-in user makes, sees and revokes their own on their account page;
the token is shown once and stored hashed; the API refuses an expired, revoked or unknown token
with a 401 that says why; the last use is recorded at most once a minute; every create and
revoke is in the write history and the security log; a token carries its user's roles only."""

import hashlib
import io
import json
import logging
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from program.audit.models import ApiTokenChange
from program.core.errors import ApplicationError, NotFoundError
from program.core.roles import Role
from program.core.security_log import LOGGER_NAME, JsonFormatter
from program.tokens import services
from program.tokens.models import ApiToken, ApiTokenUse
from tests.api_tokens import token_for

pytestmark = pytest.mark.django_db

TOKENS = reverse("account:tokens")


def _api(key: str, path: str = "/api/v1/me/", scheme: str = "Bearer") -> Any:
    return Client().get(path, HTTP_AUTHORIZATION=f"{scheme} {key}")


def _make(client: Client, name: str = "Roll export", days: int = 30) -> Any:
    return client.post(TOKENS, {"name": name, "days": days})


def _key_from(response: Any) -> str:
    page = response.content.decode()
    start = page.index('data-testid="token-value">') + len('data-testid="token-value">')
    return page[start : page.index("<", start)]


def test_a_caseworker_makes_a_token_that_is_shown_once_and_kept_only_as_a_hash(caseworker) -> None:
    response = _make(caseworker)
    assert response.status_code == 200
    key = _key_from(response)
    assert key.startswith("rpp_")
    assert len(key) > 40
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.key_prefix == key[:10]
    # Nowhere in the row, nor in its history, nor on the page again.
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert key not in json.dumps(list(ApiTokenChange.objects.values()), default=str)
    again = caseworker.get(TOKENS).content.decode()
    assert key not in again
    assert "Roll export" in again
    assert f"{key[:10]}…" in again
    assert "no-store" in response["Cache-Control"]


def test_the_token_acts_with_its_users_roles_and_no_more(make_user) -> None:
    carla = make_user("carla", Role.CASEWORKER)
    key = token_for(carla)
    me = _api(key)
    assert me.status_code == 200
    assert me.json()["roles"] == ["caseworker"]
    # Finance is not the caseworker's: the token cannot reach it either.
    assert _api(key, reverse("api:tranche-list")).status_code == 403
    # A role taken away is gone from the token at the next call.
    carla.groups.remove(Group.objects.get(name=Role.CASEWORKER))
    assert _api(key, reverse("api:inmate-list")).status_code == 403


def test_a_user_without_a_role_may_still_make_a_token_for_their_own_account(stranger) -> None:
    response = _make(stranger)
    assert response.status_code == 200
    assert _api(_key_from(response)).json()["roles"] == []


def test_an_expired_token_is_refused_with_a_401_that_says_so(make_user) -> None:
    key = token_for(make_user("carla", Role.CASEWORKER), days=7)
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1), tick=False):
        response = _api(key)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "token_expired"
    assert "expired on" in error["message"]
    assert reverse("account:tokens") in error["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_with_a_401_that_says_so(make_user) -> None:
    carla = make_user("carla", Role.CASEWORKER)
    key = token_for(carla)
    services.api_token_revoke(token_id=ApiToken.objects.get().pk, actor=carla)
    response = _api(key)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_revoked"
    assert "revoked on" in response.json()["error"]["message"]


@pytest.mark.parametrize("header", ["Bearer rpp_not-a-real-token", "Token abc", "Bearer a b"])
def test_an_unknown_or_malformed_token_is_a_401_that_says_what_to_do(header) -> None:
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"token_unknown", "token_malformed"}
    assert response.json()["error"]["message"]


def test_a_deactivated_users_token_is_refused(make_user) -> None:
    carla = make_user("carla", Role.CASEWORKER)
    key = token_for(carla)
    carla.is_active = False
    carla.save()
    assert _api(key).json()["error"]["code"] == "account_inactive"


def test_the_last_use_is_written_at_most_once_a_minute(
    make_user, django_assert_num_queries
) -> None:
    carla = make_user("carla", Role.CASEWORKER)
    key = token_for(carla)
    token = ApiToken.objects.get()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert _api(key).status_code == 200
    assert ApiTokenUse.objects.get(token=token).last_used_at == start
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        _api(key)
    assert ApiTokenUse.objects.get(token=token).last_used_at == start
    later = start + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        _api(key)
    assert ApiTokenUse.objects.get(token=token).last_used_at == later
    page = Client()
    page.force_login(carla)
    assert "Never" not in page.get(TOKENS).content.decode()


def test_a_call_by_token_costs_one_query_to_find_it_and_one_to_note_the_use(make_user) -> None:
    from django.test.utils import CaptureQueriesContext

    carla = make_user("carla", Role.CASEWORKER)
    key = token_for(carla)
    with CaptureQueriesContext(connection) as queries:
        _api(key)
    token_queries = [q["sql"] for q in queries if "tokens_apitoken" in q["sql"]]
    # The look-up by hash (with its user), and the conditional upsert of the last use.
    assert len(token_queries) == 2, token_queries


def test_creating_and_revoking_are_in_the_history(caseworker) -> None:
    key = _key_from(_make(caseworker))
    token = ApiToken.objects.get()
    response = caseworker.post(reverse("account:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by is not None
    assert token.revoked_by.username == "carla"
    changes = ApiTokenChange.objects.filter(pgh_obj_id=token.pk).order_by("pgh_id")
    assert [c.pgh_label for c in changes] == ["insert", "update"]
    assert all(c.pgh_context["username"] == "carla" for c in changes)
    assert _api(key).status_code == 401
    page = caseworker.get(TOKENS).content.decode()
    assert "Revoked" in page
    assert 'data-testid="token-revoke"' not in page


def test_the_security_log_names_the_events_but_never_the_token(caseworker) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        key = _key_from(_make(caseworker))
        caseworker.post(reverse("account:token-revoke", args=[ApiToken.objects.get().pk]))
        _api(key)
    finally:
        logger.removeHandler(handler)
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    names = [event["event"] for event in events]
    assert "api_token_created" in names
    assert "api_token_revoked" in names
    refused = [e for e in events if e["event"] == "api_token_refused"]
    assert [e["reason"] for e in refused] == ["token_revoked"]
    assert key not in stream.getvalue()
    assert key[4:] not in stream.getvalue()


def test_someone_elses_token_cannot_be_revoked_from_the_page_or_the_api(
    caseworker, make_user
) -> None:
    otto = make_user("otto", Role.OCCUPANCY_ADMIN)
    key = token_for(otto)
    theirs = ApiToken.objects.get(user=otto)
    assert caseworker.post(reverse("account:token-revoke", args=[theirs.pk])).status_code == 404
    assert caseworker.post(reverse("api:token-revoke", args=[theirs.pk])).status_code == 404
    assert theirs.pk not in [
        t["id"] for t in caseworker.get(reverse("api:token-list")).json()["results"]
    ]
    assert "otto" not in caseworker.get(TOKENS).content.decode()
    assert _api(key).status_code == 200


def test_the_api_twin_lists_my_tokens_and_revokes_one(make_user) -> None:
    carla = make_user("carla", Role.CASEWORKER)
    key = token_for(carla, name="Nightly")
    token_for(carla, name="Spare")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    listed = api.get(reverse("api:token-list")).json()["results"]
    assert [t["name"] for t in listed] == ["Spare", "Nightly"]
    assert "key_hash" not in listed[0]
    assert listed[1]["last_used_at"] is not None
    spare = listed[0]["id"]
    revoked = api.post(reverse("api:token-revoke", args=[spare]))
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False
    unknown = api.get(reverse("api:token-list"), {"name": "Spare"})
    assert unknown.status_code == 400
    assert "page" in unknown.json()["error"]["message"]


def test_the_token_pages_and_list_cost_the_same_for_one_or_many(
    caseworker, django_assert_max_num_queries
) -> None:
    carla = User.objects.get(username="carla")
    token_for(carla, name="One")
    with django_assert_max_num_queries(12) as one:
        caseworker.get(TOKENS)
    for n in range(5):
        token_for(carla, name=f"More {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        caseworker.get(TOKENS)


@pytest.mark.parametrize(
    ("name", "days", "message"),
    [
        ("", 30, "This field is required"),
        ("Roll export", 365, "Select a valid choice"),
    ],
)
def test_a_bad_form_is_a_400_naming_the_field(caseworker, name, days, message) -> None:
    response = _make(caseworker, name=name, days=days)
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in response.content.decode()
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_two_working_tokens_may_not_share_a_name(caseworker) -> None:
    _make(caseworker, name="Roll export")
    response = _make(caseworker, name="roll  EXPORT")
    assert response.status_code == 400
    assert "already have a token named" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_the_service_refuses_a_lifetime_beyond_the_limit_and_too_many_tokens(
    make_user, settings
) -> None:
    carla = make_user("carla", Role.CASEWORKER)
    with pytest.raises(ApplicationError, match="1 to 90 days"):
        services.api_token_create(user=carla, name="Long", days=91, actor=carla)
    settings.API_TOKEN_MAX_ACTIVE = 2
    token_for(carla, name="A")
    token_for(carla, name="B")
    with pytest.raises(ApplicationError, match="the most allowed"):
        token_for(carla, name="C")


def test_nobody_makes_a_token_for_someone_else(make_user) -> None:
    carla, otto = make_user("carla"), make_user("otto")
    with pytest.raises(ApplicationError):
        services.api_token_create(user=otto, name="X", days=7, actor=carla)
    token_for(otto)
    theirs = ApiToken.objects.get(user=otto).pk
    with pytest.raises(NotFoundError):
        services.api_token_revoke(token_id=theirs, actor=carla)


def test_a_system_administrator_revokes_anyones_token_in_the_admin(sysadmin, make_user) -> None:
    otto = make_user("otto", Role.OCCUPANCY_ADMIN)
    key = token_for(otto)
    token = ApiToken.objects.get()
    changelist = reverse("admin:tokens_apitoken_changelist")
    page = sysadmin.get(changelist)
    assert page.status_code == 200
    assert (
        token.key_hash
        not in sysadmin.get(
            reverse("admin:tokens_apitoken_change", args=[token.pk])
        ).content.decode()
    )
    response = sysadmin.post(
        changelist, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_by is not None
    assert token.revoked_by.username == "sys"
    assert _api(key).status_code == 401
    assert sysadmin.get(reverse("admin:tokens_apitoken_add")).status_code == 403


def test_the_schema_says_how_to_obtain_and_send_a_token(caseworker) -> None:
    schema = caseworker.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    schemes = schema["components"]["securitySchemes"]
    bearer = next(s for s in schemes.values() if s.get("scheme") == "bearer")
    assert bearer["type"] == "http"
    assert "/account/tokens/" in schema["info"]["description"]


def test_tokens_made_by_the_old_admin_keep_working_after_the_migration(make_user) -> None:
    """tokens.0002 hashes the plain-text keys of DRF's authtoken table, then drops the table."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("program.tokens.migrations.0002_tokens_made_in_the_admin")
    otto = make_user("otto", Role.OCCUPANCY_ADMIN)
    legacy = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamptz NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [legacy, timezone.now(), otto.pk]
        )
    with connection.schema_editor() as editor:
        migration.carry_over(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=otto)
    assert token.key_hash == hashlib.sha256(legacy.encode()).hexdigest()
    assert token.expires_at > timezone.now() + timedelta(days=89)
    assert _api(legacy, scheme="Token").json()["roles"] == ["occupancy_admin"]

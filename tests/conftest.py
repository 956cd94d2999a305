"""Personas: one signed-in client per role, named for who they are, plus a stranger with no role."""

from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from program.core.roles import Role
from tests.template_db import copy_template

# The real-worker fixture `worker_queue`, shared by core, transfers and finance tests.
pytest_plugins = ["tests.celery_worker"]


@pytest.fixture(autouse=True)
def _suite_language() -> Iterator[None]:
    """Every test starts in the suite's language: a request in Danish leaves Danish active in
    its thread, and a later test on the same worker would otherwise read its messages in it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """The configured hasher is slow on purpose (hundreds of milliseconds a password); the
    suite makes thousands of users and sign-ins. override_settings, not a plain assignment, so
    Django drops its cached hasher list. tests/auth/test_passwords.py checks the configured one."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    yield
    fast.disable()


@pytest.fixture(scope="session")
def _test_database_copied(
    request: pytest.FixtureRequest, django_db_modify_db_settings: None
) -> bool:
    """The test database copied from the migrated template that `make test` builds
    (tests/template_db.py), when the template matches this checkout and the run needs a new
    database. Runs before Django sets the database up: Django then keeps the copy, finding
    nothing to migrate."""
    return copy_template(
        settings.DATABASES["default"]["TEST"]["NAME"],
        replace=bool(request.config.getvalue("create_db")),
    )


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, _test_database_copied: bool) -> bool:
    return _test_database_copied or bool(request.config.getvalue("reuse_db"))


@pytest.fixture(scope="session")
def django_db_createdb(request: pytest.FixtureRequest, _test_database_copied: bool) -> bool:
    return not _test_database_copied and bool(request.config.getvalue("create_db"))


PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def make_user(django_user_model) -> Callable[..., object]:
    def make(username: str, *roles: str, superuser: bool = False) -> object:
        user = django_user_model.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name=username.title(),
            is_staff=superuser,
            is_superuser=superuser,
        )
        for role in roles:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


def _client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def caseworker(make_user) -> Client:
    return _client_for(make_user("carla", Role.CASEWORKER))


@pytest.fixture
def occupancy_admin(make_user) -> Client:
    return _client_for(make_user("otto", Role.OCCUPANCY_ADMIN))


@pytest.fixture
def finance_officer(make_user) -> Client:
    return _client_for(make_user("frida", Role.FINANCE_OFFICER))


@pytest.fixture
def finance_approver(make_user) -> Client:
    return _client_for(make_user("anders", Role.FINANCE_APPROVER))


@pytest.fixture
def auditor(make_user) -> Client:
    return _client_for(make_user("aud", Role.AUDITOR))


@pytest.fixture
def host_officer(make_user) -> Client:
    return _client_for(make_user("arben", Role.HOST_OFFICER))


@pytest.fixture
def host_manager(make_user) -> Client:
    return _client_for(make_user("drita", Role.HOST_MANAGER))


@pytest.fixture
def governor(make_user) -> Client:
    return _client_for(make_user("gunnar", Role.GOVERNOR))


@pytest.fixture
def health_staff(make_user) -> Client:
    return _client_for(make_user("helle", Role.HEALTH_STAFF))


@pytest.fixture
def sysadmin(make_user) -> Client:
    """A system administrator whose session has given its second factor (required of them)."""
    user = make_user("sys", superuser=True)
    client = _client_for(user)
    device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # what django_otp.login() stores
    session.save()
    return client


@pytest.fixture
def stranger(make_user) -> Client:
    """Signed in, but holding no role."""
    return _client_for(make_user("stan"))


@pytest.fixture
def persona(request, make_user) -> Callable[[str], Client]:
    """persona("caseworker") → a signed-in client for that role (or "system_admin", "stranger")."""

    def get(name: str) -> Client:
        return request.getfixturevalue({"system_admin": "sysadmin"}.get(name, name))

    return get

"""Fixtures the finance tests share: a scheduled agreement's first rent tranche, and a second
finance approver for the four-eyes rule (the helpers' "anders" is the first)."""

import pytest
from django.test import Client

from finance.models import Tranche
from program.core.roles import Role
from tests.finance.helpers import first_rent, scheduled


@pytest.fixture
def tranche() -> Tranche:
    return first_rent(scheduled())


@pytest.fixture
def second_approver(make_user) -> Client:
    client = Client()
    client.force_login(make_user("birgit", Role.FINANCE_APPROVER))
    return client

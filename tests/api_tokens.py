"""A personal API token for a test user, made through the service as a user would make one."""

from typing import Any

from program.tokens.services import api_token_create


def token_for(user: Any, *, name: str = "Test client", days: int = 30) -> str:
    _token, key = api_token_create(user=user, name=name, days=days, actor=user)
    return key

"""Reads of API tokens, shaped for their pages and API."""

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from program.tokens.models import ApiToken


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A user's tokens, newest first, with their last use (one query)."""
    return ApiToken.objects.filter(user=user).select_related("use", "revoked_by")


def active_token_count(user: User) -> int:
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()

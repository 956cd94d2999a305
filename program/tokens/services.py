"""Creating, revoking and checking personal API tokens.

A token is `rpp_` and 43 URL-safe characters (256 random bits). Only its SHA-256 is stored; the
token itself is returned once, by `api_token_create`, for the page to show. A token acts as its
user with the user's roles as they are at each request (no more, no fewer): removing a role or
deactivating the user takes effect on the next call.
"""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError, NotFoundError
from program.core.security_log import security_event
from program.tokens.models import ApiToken

PREFIX = "rpp_"
SHOWN_CHARACTERS = 10  # "rpp_" and six characters: enough to tell one's tokens apart
# A use is written at most once a minute per token: a client calling every second costs one
# statement that changes nothing, not a write per call.
USE_WRITE_INTERVAL = timedelta(minutes=1)


def max_days() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_DAYS", 90))


def max_active() -> int:
    return int(getattr(settings, "API_TOKEN_MAX_ACTIVE", 10))


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int, actor: User) -> tuple[ApiToken, str]:
    """Make a token for `user`, valid for `days` days (1 to API_TOKEN_MAX_DAYS); return the row
    and the token itself, which is stored nowhere and cannot be shown again.

    Only the user makes their own tokens (`actor` must be `user`). Names are unique among the
    user's tokens that still work, so a list of them can be told apart.
    """
    if actor.pk != user.pk:
        raise ApplicationError(_("A token can only be made by the user it belongs to."))
    name = " ".join(name.split())
    if not name:
        raise ApplicationError(
            _("Give the token a name that says where it is used, e.g. “Nightly roll export”."),
            details={"name": "required"},
        )
    if not 1 <= days <= max_days():
        raise ApplicationError(
            _("A token is valid for 1 to %(max)d days; choose a shorter time.")
            % {"max": max_days()},
            details={"days": days},
        )
    now = timezone.now()
    # The lock makes two creations by one user take turns, so the limit and the names hold.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if active.filter(name__iexact=name).exists():
        raise ApplicationError(
            _("You already have a token named “%(name)s”: choose another name, or revoke that one.")
            % {"name": name},
            details={"name": "taken"},
        )
    if active.count() >= max_active():
        raise ApplicationError(
            _(
                "You have %(count)d tokens that still work, the most allowed: revoke one you "
                "no longer use."
            )
            % {"count": max_active()},
            details={"active": max_active()},
        )
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=key_hash(key),
        key_prefix=key[:SHOWN_CHARACTERS],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    security_event(
        "api_token_created",
        username=user.get_username(),
        token_id=token.pk,
        token_prefix=token.key_prefix,
        expires_at=token.expires_at.isoformat(),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token_id: int, actor: User, anyones: bool = False) -> ApiToken:
    """Revoke a token. Its owner may; with `anyones` (the admin), a system administrator (staff)
    may revoke anyone's. Revoking a revoked token changes nothing. A token the actor may not
    revoke is "not found", so its existence is not told."""
    tokens = ApiToken.objects.select_related("user")
    if not (anyones and getattr(actor, "is_staff", False)):
        tokens = tokens.filter(user=actor)
    token = tokens.select_for_update(of=("self",)).filter(pk=token_id).first()
    if token is None:
        raise NotFoundError(_("There is no such token among yours."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    security_event(
        "api_token_revoked",
        level=logging.WARNING if actor.pk != token.user_id else logging.INFO,
        username=token.user.get_username(),
        token_id=token.pk,
        token_prefix=token.key_prefix,
        revoked_by=actor.get_username(),
    )
    return token


def api_token_find(key: str) -> ApiToken | None:
    """The token row for a token as presented (in any state), with its user; None if unknown.

    Found by the hash alone, so the tokens made by DRF's admin before these (40 hex characters,
    migrated as hashes) keep working until they expire.
    """
    return ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()


def api_token_used(*, token: ApiToken, at: datetime) -> None:
    """Record a use, writing at most once per USE_WRITE_INTERVAL per token (one statement)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO tokens_apitokenuse (token_id, last_used_at) VALUES (%s, %s)
            ON CONFLICT (token_id) DO UPDATE SET last_used_at = EXCLUDED.last_used_at
            WHERE tokens_apitokenuse.last_used_at < EXCLUDED.last_used_at - %s::interval
            """,
            [token.pk, at, str(int(USE_WRITE_INTERVAL.total_seconds())) + " seconds"],
        )

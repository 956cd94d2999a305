"""Recording and amending a programme: its agreement, its facility and its ramp-up.

The occupancy administrator (the programme office) owns these; the pricing terms are finance's
(finance/terms_admin.py). Each write is one transaction, validated by the model and the database
constraints, with messages that name the field; the write history (program/audit) keeps every
version with who made it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from program.cells.models import Agreement, Facility, RampUpCap
from program.core.capabilities import require
from program.core.errors import ApplicationError, PermissionRefusedError


class RoleRefusedError(PermissionRefusedError):
    pass


def require_role(actor: AbstractBaseUser | AnonymousUser, capability: str, what: str) -> None:
    """The service rule: refuse unless the actor holds the capability."""
    require(actor, capability, what, error=RoleRefusedError)


M = TypeVar("M", bound=models.Model)


def saved(instance: M, values: dict[str, Any], *, exclude: tuple[str, ...] = ()) -> M:
    """Set the values, validate the row as the model and its constraints say, and save it.

    A refusal names each field with what is wrong; a clash found only by the database (two
    users at once) is a refusal too. The caller owns the transaction."""
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        fields = error.message_dict
        named = [
            f"{getattr(instance._meta.get_field(name), 'verbose_name', name)}: {' '.join(messages)}"
            if name in {f.name for f in instance._meta.get_fields()}
            else " ".join(messages)
            for name, messages in fields.items()
        ]
        raise ApplicationError("; ".join(str(text) for text in named), details=fields) from error
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ApplicationError(
            _("This clashes with a row saved meanwhile; reload the page and try again."),
            details={"database": [str(error).splitlines()[0]]},
        ) from error
    return instance


def _check_ramp_up(agreement: Agreement, places: int | None) -> None:
    if places is not None and places > agreement.contracted_places:
        raise ApplicationError(
            _(
                "A ramp-up step allows at most the %(contracted)s contracted places; "
                "%(places)s is more."
            )
            % {"contracted": agreement.contracted_places, "places": places},
            details={"places": ["more than contracted"]},
        )


@transaction.atomic
def agreement_save(
    *, agreement: Agreement | None, values: dict[str, Any], actor: AbstractBaseUser | AnonymousUser
) -> Agreement:
    """Record a new agreement or amend one. Its contracted places never fall below a ramp-up
    step already recorded."""
    require_role(actor, "programme.manage", _("record or amend an agreement"))
    row = agreement or Agreement()
    places = values.get("contracted_places")
    if row.pk and places is not None:
        highest = max(row.ramp_up_caps.values_list("places", flat=True), default=0)
        if places < highest:
            raise ApplicationError(
                _(
                    "A ramp-up step already allows %(highest)s places: the contracted places "
                    "cannot be fewer. Change that step first."
                )
                % {"highest": highest},
                details={"contracted_places": ["below a ramp-up step"]},
            )
    return saved(row, values)


@transaction.atomic
def facility_save(
    *,
    facility: Facility | None,
    agreement: Agreement,
    values: dict[str, Any],
    actor: AbstractBaseUser | AnonymousUser,
) -> Facility:
    """Record the facility an agreement rents, or amend it (it stays in its programme)."""
    require_role(actor, "programme.manage", _("record or amend a facility"))
    row = facility or Facility(agreement=agreement)
    return saved(row, {**values, "agreement": row.agreement if facility else agreement})


@transaction.atomic
def ramp_up_save(
    *,
    cap: RampUpCap | None,
    agreement: Agreement,
    values: dict[str, Any],
    actor: AbstractBaseUser | AnonymousUser,
) -> RampUpCap:
    """Record a ramp-up step (from a day on, at most so many places) or amend one. A step
    allows at most the contracted places; one step per day."""
    require_role(actor, "programme.manage", _("record or amend the ramp-up"))
    row = cap or RampUpCap(agreement=agreement)
    _check_ramp_up(row.agreement if cap else agreement, values.get("places"))
    return saved(row, {**values, "agreement": row.agreement if cap else agreement})

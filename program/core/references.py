"""The model fields that many apps declare alike: the protected link to an inmate, a facility, a
programme, a place inside a facility or a placement; a member of staff reachable from the user;
the compare-and-set version; the link from a superseded row to its correction.

Each helper returns exactly the field a model would otherwise spell out (same target, on_delete,
related_name and verbose_name), so the migrations see no change. Links are protected because
what they point at (a person, a facility, an agreement) is ended, never deleted, while the rows
that name it are kept.
"""

from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast, overload

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from program.cells.models import Agreement, Cell, Facility, Placement, Unit
    from program.inmates.models import Inmate

# The labels most links carry; a caller names another where the link means more ("person").
INMATE_LABEL = _("inmate")
FACILITY_LABEL = _("facility")


_Target = TypeVar("_Target", bound=models.Model)


def _protected_link(
    to: "str | type[models.Model]",
    related_name: str,
    verbose_name: StrOrPromise,
    *,
    optional: bool = False,
    field: "type[models.ForeignKey[Any, Any]]" = models.ForeignKey,
) -> "models.ForeignKey[Any, Any]":
    return field(
        to,
        on_delete=models.PROTECT,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def optional_link(
    to: type[_Target], related_name: str, verbose_name: StrOrPromise
) -> "models.ForeignKey[_Target | Combinable | None, _Target | None]":
    """A protected link to a row of reference data (a country, an authority, a reason code) that
    a row may not have yet, or not at all."""
    return _protected_link(to, related_name, verbose_name, optional=True)


def inmate_reference(
    related_name: str, *, verbose_name: StrOrPromise = INMATE_LABEL
) -> "models.ForeignKey[Inmate | Combinable, Inmate]":
    """The person a row is about."""
    return _protected_link("inmates.Inmate", related_name, verbose_name)


def facility_reference(
    related_name: str, *, verbose_name: StrOrPromise = FACILITY_LABEL
) -> "models.ForeignKey[Facility | Combinable, Facility]":
    """The host facility where something happens or is held."""
    return _protected_link("cells.Facility", related_name, verbose_name)


def agreement_reference(
    related_name: str, verbose_name: StrOrPromise
) -> "models.ForeignKey[Agreement | Combinable, Agreement]":
    """The programme (its agreement) a row belongs to. The label differs by app ("programme" in
    the case work, "agreement" in finance), so each caller names it."""
    return _protected_link("cells.Agreement", related_name, verbose_name)


def optional_unit_reference(
    related_name: str,
) -> "models.ForeignKey[Unit | Combinable | None, Unit | None]":
    """The unit of a facility a row concerns; empty when it concerns something else (or all)."""
    return _protected_link("cells.Unit", related_name, _("unit"), optional=True)


def optional_cell_reference(
    related_name: str,
) -> "models.ForeignKey[Cell | Combinable | None, Cell | None]":
    """The cell a row concerns; empty when it concerns something else."""
    return _protected_link("cells.Cell", related_name, _("cell"), optional=True)


def placement_reference(
    verbose_name: StrOrPromise,
) -> "models.ForeignKey[Placement | Combinable | None, Placement | None]":
    """The place reserved for, or held by, the person a row is about; empty until there is one.
    No reverse accessor: a placement never asks which rows point at it."""
    return _protected_link("cells.Placement", "+", verbose_name, optional=True)


@overload
def staff_link(
    verbose_name: StrOrPromise, *, related_name: str, optional: Literal[False] = False
) -> "models.ForeignKey[User | Combinable, User]": ...


@overload
def staff_link(
    verbose_name: StrOrPromise, *, related_name: str, optional: Literal[True]
) -> "models.ForeignKey[User | Combinable | None, User | None]": ...


def staff_link(
    verbose_name: StrOrPromise, *, related_name: str, optional: bool = False
) -> "models.ForeignKey[Any, Any]":
    """A member of staff a row is assigned to or names, protected like `staff_reference` but
    reachable from the user (`related_name`), because worklists and notices ask a user for them."""
    return _protected_link(settings.AUTH_USER_MODEL, related_name, verbose_name, optional=optional)


def version_field(
    *, editable: bool = True
) -> "models.PositiveIntegerField[float | int | str | Combinable, int]":
    """The row's version, bumped by every change: the compare-and-set token and the ETag.
    `editable=False` where a model form must never offer it."""
    return models.PositiveIntegerField(_("version"), default=1, editable=editable)


def superseded_by_reference() -> "models.OneToOneField[Any, Any]":
    """The correction that replaced a row; the row itself is kept, superseded."""
    # The shared helper is typed as a ForeignKey; `field` makes this one one-to-one, because a
    # row is corrected once.
    return cast(
        "models.OneToOneField[Any, Any]",
        _protected_link(
            "self", "supersedes", _("superseded by"), optional=True, field=models.OneToOneField
        ),
    )

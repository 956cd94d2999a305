from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@overload
def staff_reference(
    verbose_name: StrOrPromise, *, optional: Literal[False] = False
) -> "models.ForeignKey[User | Combinable, User]": ...


@overload
def staff_reference(
    verbose_name: StrOrPromise, *, optional: Literal[True]
) -> "models.ForeignKey[User | Combinable | None, User | None]": ...


def staff_reference(
    verbose_name: StrOrPromise, *, optional: bool = False
) -> "models.ForeignKey[Any, Any]":
    """The member of staff who did something to a row: recorded, decided, approved, prepared it.

    Protected, because people are deactivated, never deleted, and the trail must stay
    attributable; no reverse accessor, because no page asks a user for everything they touched
    through one field (the audit log answers that). `optional` for a step not yet taken.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=optional,
        blank=optional,
        related_name="+",
        verbose_name=verbose_name,
    )


class TimeStampedModel(models.Model):
    """The base of every domain row: when it was made and last changed (UTC)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class FourEyesDecision(models.Model):
    """One approval or rejection at a level of a two-level sign-off, with its comment; never
    changed afterwards. The base of a tranche's and a travel grant's approvals: each adds what it
    approves and its constraints (approver not the preparer, levels 1 and 2, one approval a level
    and a person), which keep their own names in the database."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")

    level = models.PositiveSmallIntegerField(_("level"))
    decision = models.CharField(_("decision"), max_length=7, choices=Decision.choices)
    approver = staff_reference(_("approver"))
    # A copy of the preparer of what is approved, so a CHECK can compare the two on this row; a
    # trigger refuses a copy that differs from the approved row's own (finance migrations 0002,
    # 0004).
    preparer = staff_reference(_("preparer"))
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.level})"


class Heartbeat(models.Model):
    """The last time a periodic job ran on a worker: proof that broker, worker and beat work."""

    name = models.CharField(_("job"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("last run at"))
    runs = models.PositiveBigIntegerField(_("runs"), default=0)
    worker = models.CharField(_("worker"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"


class UserPreferences(TimeStampedModel):
    """A user's own settings, kept across sessions and devices: for now the language they read.

    `language` is a code from settings.LANGUAGES, checked by the service rather than by choices,
    so that adding a language to the settings needs no migration.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=15, blank=True)
    # The programme the user works in: the default of new cases, worklists and dashboards.
    programme = models.ForeignKey(
        "cells.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"

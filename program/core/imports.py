"""One import page for every file an app takes in: upload and check, preview, confirm.

Step 1 checks the whole file and shows every problem, or a preview of what importing it would
do; step 2 (the confirm) imports exactly the rows previewed. The checked rows wait server-side
(the app's store, never the session) under the SHA-256 of the file the user saw previewed: a
small file is imported at once in the request, a large one by the worker behind a progress page.
Cancelling drops the waiting rows.

An app describes its import with an `ImportFlow` (its upload form, parser, planner, store,
labels and route names) and mounts the views `import_views` makes from it. This module is in
core, the lowest layer: it imports no app; the app passes its functions in. Who may use the
pages is the route policy's business (program/core/policy.py), by the route names the app
mounts the views under.
"""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from program.core.acting import acting_user

# The preview lists this many rows; the counts above it cover the whole file.
PREVIEW_ROWS = 100
TEMPLATE = "imports/import.html"

Label = str | Promise
View = Callable[..., HttpResponse]


class Parsed(Protocol):
    """A checked file: its rows, or its problems (the template lists `problems`)."""

    @property
    def ok(self) -> bool: ...

    @property
    def rows(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class Outcome:
    """An import run in the request: done with the counts to show, or why nothing was
    imported."""

    done: bool
    counts: Mapping[str, int] = field(default_factory=dict)
    error: str = ""


class ImportStore(Protocol):
    """Where a checked file's rows wait between the preview and the confirm, one file per
    owner, and how they are imported. A held file is the store's own object with a `pk`."""

    def hold(self, *, owner: AbstractBaseUser, digest: str, rows: Sequence[Any]) -> Any: ...

    def held(self, *, owner: AbstractBaseUser, job_id: UUID, digest: str) -> Any | None:
        """The owner's held file with that digest, if it has not expired (nobody else's)."""

    def drop(self, *, owner: AbstractBaseUser) -> None: ...

    def in_background(self, held: Any) -> bool:
        """Whether the worker imports it (a progress page) rather than the request."""

    def queue(self, held: Any) -> None: ...

    def run_now(self, held: Any) -> Outcome: ...

    def progress(self, *, owner: AbstractBaseUser, job_id: UUID) -> Any | None:
        """The owner's job for its progress page (imports/job.html), or None."""


@dataclass(frozen=True)
class Preview:
    """What confirming would do: one line a row (the page lists the first PREVIEW_ROWS) and
    whatever else the app's preview template reads (the plan's totals)."""

    lines: Sequence[Any]
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportFlow:
    """What an app supplies for its import page."""

    # The page (upload, preview and confirm) and a large import's progress page.
    route: str
    job_route: str
    # Where a finished import leads, which is also the breadcrumb above the page.
    done_route: str
    done_label: Label
    parent_label: Label
    title: Label
    current_label: Label  # the breadcrumb's last item
    submit_label: Label  # the confirm button
    testid: str  # the prefix of the page's data-testid names
    form: type[forms.Form]  # the upload form; its file field is named "file"
    columns: Sequence[str]
    parse: Callable[[bytes], Parsed]
    preview: Callable[[Sequence[Any]], Preview]
    store: ImportStore
    problems_summary: Callable[[Any], str]  # "The file has 3 problems…", from the Parsed
    done_message: Callable[[Mapping[str, int]], str]
    preview_template: str  # the plan's totals and the preview table
    about_template: str  # what the file holds, under the upload form


class ConfirmForm(forms.Form):
    """The confirm names the held file and the digest of the file previewed."""

    job = forms.UUIDField(widget=forms.HiddenInput)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


@dataclass(frozen=True)
class ImportViews:
    page: View
    job: View


def import_views(flow: ImportFlow) -> ImportViews:
    """The import page and the progress page of `flow`, to be mounted at its route names."""

    def render_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        return render(request, TEMPLATE, {"flow": flow, "columns": flow.columns, **context})

    def page(request: HttpRequest) -> HttpResponse:
        owner = acting_user(request)
        if request.method == "POST" and "cancel" in request.POST:
            flow.store.drop(owner=owner)
            return redirect(flow.route)
        if request.method == "POST" and "digest" in request.POST:
            return confirm(request)
        # Bound on every POST: a POST that carries no file (so an empty request.POST) must show
        # "choose a file", not the blank form again.
        posted = request.method == "POST"
        form = flow.form(request.POST if posted else None, request.FILES if posted else None)
        context: dict[str, Any] = {"form": form}
        if posted and form.is_valid():
            data = form.cleaned_data["file"].read()
            parsed = flow.parse(data)
            context["parsed"] = parsed
            if parsed.ok:
                digest = hashlib.sha256(data).hexdigest()
                held = flow.store.hold(owner=owner, digest=digest, rows=parsed.rows)
                preview = flow.preview(parsed.rows)
                context.update(
                    preview.context,
                    preview=preview,
                    shown=preview.lines[:PREVIEW_ROWS],
                    not_shown=max(0, len(preview.lines) - PREVIEW_ROWS),
                    background=flow.store.in_background(held),
                    confirm_form=ConfirmForm(initial={"digest": digest, "job": held.pk}),
                )
            else:
                context["problems_summary"] = flow.problems_summary(parsed)
                flow.store.drop(owner=owner)
        return render_page(request, context)

    def confirm(request: HttpRequest) -> HttpResponse:
        form = ConfirmForm(request.POST)
        held = (
            flow.store.held(
                owner=acting_user(request),
                job_id=form.cleaned_data["job"],
                digest=form.cleaned_data["digest"],
            )
            if form.is_valid()
            else None
        )
        if held is None:
            messages.error(
                request, _("That preview is no longer available; upload the file again.")
            )
            return redirect(flow.route)
        if flow.store.in_background(held):
            flow.store.queue(held)
            return redirect(flow.job_route, pk=held.pk)
        outcome = flow.store.run_now(held)
        if not outcome.done:
            return render_page(
                request, {"form": flow.form(), "import_error": {"message": outcome.error}}
            )
        messages.success(request, flow.done_message(outcome.counts))
        return redirect(flow.done_route)

    def job(request: HttpRequest, pk: UUID) -> HttpResponse:
        """A large import's progress: the page, or only the bar when htmx polls for it."""
        found = flow.store.progress(owner=acting_user(request), job_id=pk)
        if found is None:
            raise Http404(_("There is no such import, or it has expired."))
        context = {
            "job": found,
            "poll_url": reverse(flow.job_route, args=[found.pk]),
            "title": flow.title,
            "again_url": reverse(flow.route),
            "done_url": reverse(flow.done_route),
            "done_label": flow.done_label,
        }
        if request.headers.get("HX-Request") == "true":
            return render(request, "imports/_job_progress.html", context)
        return render(request, "imports/job.html", context)

    return ImportViews(page=page, job=job)

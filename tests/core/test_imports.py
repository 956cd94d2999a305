"""The import page every app shares (program/core/imports.py): upload, preview, confirm.

The flow here is an app of the test's own: a parser of one number a line, a store in memory.
So these tests say what the page does whatever the app, without a database; the inmate and the
candidate imports have their own tests of the same flow with their files (tests/inmates,
tests/transfers).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import pytest
from django import forms
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from program.core import imports
from program.core.imports import ImportFlow, Outcome, Preview, import_views


class UploadForm(forms.Form):
    file = forms.FileField()


@dataclass
class Parsed:
    rows: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def parse(data: bytes) -> Parsed:
    parsed = Parsed()
    for number, line in enumerate(data.decode().splitlines(), start=1):
        if line.isdigit():
            parsed.rows.append(int(line))
        else:
            parsed.problems.append(f"row {number}: not a number")
    return parsed


@dataclass
class Held:
    pk: UUID
    owner: int
    digest: str
    rows: Sequence[int]


@dataclass
class MemoryStore:
    """Holds one file an owner; `imported` is what was written, `refuse` makes the import fail."""

    background_from: int = 1000
    refuse: str = ""
    files: dict[int, Held] = field(default_factory=dict)
    imported: list[int] = field(default_factory=list)
    queued: list[Held] = field(default_factory=list)

    def hold(self, *, owner: Any, digest: str, rows: Sequence[int]) -> Held:
        self.files[owner.pk] = Held(uuid4(), owner.pk, digest, rows)
        return self.files[owner.pk]

    def held(self, *, owner: Any, job_id: UUID, digest: str) -> Held | None:
        found = self.files.get(owner.pk)
        return found if found and found.pk == job_id and found.digest == digest else None

    def drop(self, *, owner: Any) -> None:
        self.files.pop(owner.pk, None)

    def in_background(self, held: Held) -> bool:
        return len(held.rows) >= self.background_from

    def queue(self, held: Held) -> None:
        self.queued.append(held)

    def run_now(self, held: Held) -> Outcome:
        del self.files[held.owner]
        if self.refuse:
            return Outcome(done=False, error=self.refuse)
        self.imported += held.rows
        return Outcome(done=True, counts={"created": len(held.rows)})

    def progress(self, *, owner: Any, job_id: UUID) -> Held | None:
        return next((held for held in self.queued if held.pk == job_id), None)


def _flow(store: MemoryStore) -> ImportFlow:
    def done_message(counts: Mapping[str, int]) -> str:
        return f"{counts['created']} imported"

    return ImportFlow(
        route="inmates:import",
        job_route="inmates:import-job",
        done_route="inmates:list",
        done_label="Go on",
        parent_label="Numbers",
        title="Import numbers",
        current_label="Import",
        submit_label="Import these numbers",
        testid="numbers",
        form=UploadForm,
        columns=["number"],
        parse=parse,
        preview=lambda rows: Preview(lines=list(rows), context={"total": sum(rows)}),
        store=store,
        problems_summary=lambda parsed: f"{len(parsed.problems)} problems",
        done_message=done_message,
        preview_template="unused.html",
        about_template="unused.html",
    )


@pytest.fixture
def rendered(monkeypatch) -> list[dict[str, Any]]:
    """The context of every page the views render (the templates have tests of their own)."""
    pages: list[dict[str, Any]] = []

    def render(request, template, context, **kwargs) -> HttpResponse:
        pages.append({"template": template, **context})
        return HttpResponse(template)

    monkeypatch.setattr(imports, "render", render)
    return pages


USER = User(pk=7, username="someone")


def _post(view, data: dict[str, Any]) -> HttpResponse:
    request = RequestFactory().post("/import/", data)
    request.user = USER
    request._messages = CookieStorage(request)
    response: HttpResponse = view(request)
    response.wsgi_request = request
    return response


def _upload(view, text: str) -> HttpResponse:
    return _post(view, {"file": SimpleUploadedFile("numbers.txt", text.encode())})


def _said(response: HttpResponse) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_upload_previews_then_confirm_imports_exactly_the_rows_previewed(rendered) -> None:
    store = MemoryStore()
    views = import_views(_flow(store))
    _upload(views.page, "1\n2\n3\n")
    preview = rendered[-1]
    assert preview["template"] == imports.TEMPLATE
    assert preview["preview"].lines == [1, 2, 3]
    assert preview["total"] == 6  # the app's own preview context reaches its template
    assert (preview["shown"], preview["not_shown"], preview["background"]) == ([1, 2, 3], 0, False)
    assert store.imported == []  # a preview writes nothing
    confirm = preview["confirm_form"].initial
    response = _post(views.page, confirm)
    assert response.status_code == 302
    assert response["Location"] == reverse("inmates:list")
    assert store.imported == [1, 2, 3]
    assert _said(response) == ["3 imported"]


def test_a_long_preview_lists_the_first_hundred_rows_and_counts_the_rest(rendered) -> None:
    views = import_views(_flow(MemoryStore()))
    _upload(views.page, "\n".join(str(n) for n in range(250)))
    assert len(rendered[-1]["shown"]) == imports.PREVIEW_ROWS
    assert rendered[-1]["not_shown"] == 150


def test_a_bad_file_is_named_with_its_problems_and_nothing_is_held(rendered) -> None:
    store = MemoryStore()
    views = import_views(_flow(store))
    _upload(views.page, "1\n2\n")
    _upload(views.page, "1\ntwo\nthree\n")  # replaces the first, good, file
    page = rendered[-1]
    assert page["problems_summary"] == "2 problems"
    assert page["parsed"].problems == ["row 2: not a number", "row 3: not a number"]
    assert "preview" not in page
    assert store.files == {}  # the earlier preview cannot be confirmed any more
    assert store.imported == []


def test_a_post_without_a_file_asks_for_one(rendered) -> None:
    views = import_views(_flow(MemoryStore()))
    _post(views.page, {})
    assert rendered[-1]["form"].errors["file"]


def test_a_refused_import_writes_nothing_and_says_why(rendered) -> None:
    store = MemoryStore(refuse="Case number taken")
    views = import_views(_flow(store))
    _upload(views.page, "1\n")
    response = _post(views.page, rendered[-1]["confirm_form"].initial)
    assert response.status_code == 200
    assert rendered[-1]["import_error"] == {"message": "Case number taken"}
    assert not rendered[-1]["form"].is_bound  # a fresh upload form under the message
    assert store.imported == []


def test_a_stale_or_forged_confirm_imports_nothing(rendered) -> None:
    store = MemoryStore()
    views = import_views(_flow(store))
    _upload(views.page, "1\n")
    held = rendered[-1]["confirm_form"].initial
    response = _post(views.page, {**held, "digest": "0" * 64})
    assert response["Location"] == reverse("inmates:import")
    assert _said(response) == ["That preview is no longer available; upload the file again."]
    assert store.imported == []


def test_cancel_drops_the_preview(rendered) -> None:
    store = MemoryStore()
    views = import_views(_flow(store))
    _upload(views.page, "1\n")
    held = rendered[-1]["confirm_form"].initial
    assert _post(views.page, {"cancel": "1"})["Location"] == reverse("inmates:import")
    _post(views.page, held)
    assert store.imported == []


def test_a_large_file_goes_to_the_worker_and_its_page_shows_progress(rendered) -> None:
    store = MemoryStore(background_from=2)
    views = import_views(_flow(store))
    _upload(views.page, "1\n2\n")
    assert rendered[-1]["background"] is True
    response = _post(views.page, rendered[-1]["confirm_form"].initial)
    job = store.queued[0]
    assert response["Location"] == reverse("inmates:import-job", args=[job.pk])
    assert store.imported == []  # the worker imports it, not the request
    request = RequestFactory().get("/", headers={"HX-Request": "true"})
    request.user = USER
    views.job(request, pk=job.pk)
    assert rendered[-1]["template"] == "imports/_job_progress.html"
    assert rendered[-1]["poll_url"] == reverse("inmates:import-job", args=[job.pk])
    with pytest.raises(Http404):
        views.job(request, pk=uuid4())

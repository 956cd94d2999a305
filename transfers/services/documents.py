"""Documents on a case: every upload is a new version, judged by its content
(program/core/uploads.py checks size and type for every app that stores documents)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError
from program.core.stored_uploads import upload_columns
from program.core.uploads import (
    MAX_DOCUMENT_BYTES,
    SIGNATURES,
    sniff_content_type,
)
from transfers.models import (
    CaseEvent,
    Document,
    TransferCase,
)
from transfers.services._common import _event, _require_role

__all__ = ["MAX_DOCUMENT_BYTES", "SIGNATURES", "document_upload", "sniff_content_type"]


@transaction.atomic
def document_upload(
    *, case: TransferCase, kind: str, file: UploadedFile[bytes], actor: User
) -> Document:
    """Store a new version of a document; earlier versions and their files stay."""
    _require_role(actor, "case.document.upload", _("upload documents"))
    if kind not in Document.Kind.values:
        raise ApplicationError(_("Choose the kind of document."), details={"kind": ["required"]})
    columns = upload_columns(file)
    # Lock the case row so two uploads of the same kind get consecutive versions.
    TransferCase.objects.select_for_update().filter(pk=case.pk).first()
    version = (
        Document.objects.filter(case=case, kind=kind).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    document = Document(case=case, kind=kind, version=version, uploaded_by=actor, **columns)
    document.file.save("upload", file, save=False)
    document.save()
    _event(
        case,
        CaseEvent.Kind.DOCUMENT,
        actor=actor,
        text=f"{document.get_kind_display()} v{version}",
        payload={"document": document.pk, "kind": kind, "version": version},
    )
    return document

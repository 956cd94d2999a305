"""What an uploaded document must be: PDF, PNG or JPEG judged by its first bytes, at most 10 MB.

One rule for every app that stores a document a person uploads (a transfer case's documents, an
inspection's report, a complaint's letters): the browser's content type and the file name are
not trusted.
"""

import hashlib
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
# The file name extension (without its dot) a download is given, by the checked content type.
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def document_check(file: UploadedFile[bytes], *, field: str = "file") -> str:
    """The file's content type, or an ApplicationError naming `field` when the file is empty,
    larger than 10 MB or not a PDF, PNG or JPEG by its content. The file is left at its start."""
    size = file.size or 0
    if size == 0:
        raise ApplicationError(_("The file is empty."), details={field: ["empty"]})
    if size > MAX_DOCUMENT_BYTES:
        raise ApplicationError(
            _("The file is %(mb).1f MB; the limit is 10 MB.") % {"mb": size / 1024 / 1024},
            details={field: ["too large"]},
        )
    file.seek(0)
    content_type = sniff_content_type(file.read(16))
    file.seek(0)
    if content_type is None:
        raise ApplicationError(
            _("Only PDF, PNG and JPEG files are accepted (judged by the file's content)."),
            details={field: ["type"]},
        )
    return content_type


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str


def upload_check(file: UploadedFile[bytes], *, field: str = "file") -> CheckedUpload:
    """document_check, and the file's size and SHA-256 for storing it; the file is left at its
    start."""
    content_type = document_check(file, field=field)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return CheckedUpload(content_type=content_type, size=file.size or 0, sha256=digest.hexdigest())


def stored_file_response(
    stored: FieldFile, *, name: str, content_type: str | None, missing: str
) -> FileResponse:
    """A stored upload sent back as an attachment: named by the system (`name`, without its
    extension, which comes from the checked content type; the uploaded name may carry a
    person's name), typed as checked on upload (the browser must not second-guess it), kept out
    of every cache. `missing` is the 404's text when storage has lost the file."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404(missing) from error
    extension = EXTENSIONS.get(content_type or "")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.{extension}" if extension else name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

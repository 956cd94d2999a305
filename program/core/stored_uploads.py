"""What a stored document row records of the file uploaded into it, for every app that keeps
uploaded documents (transfer cases, complaints): the same check and the same columns."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from program.core.uploads import upload_check


def upload_columns(file: UploadedFile[bytes]) -> dict[str, Any]:
    """The checked file's name, type (judged by its content), size and hash; refused (400)
    when the file is not an accepted document."""
    checked = upload_check(file)
    return {
        "original_name": (file.name or "upload")[:255],
        "content_type": checked.content_type,
        "size": checked.size,
        "sha256": checked.sha256,
    }

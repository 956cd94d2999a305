"""The demo cases' documents: a small one-page PDF per document the checklist asked for.

Built in code (no PDF library): a valid PDF 1.4 with one page of Helvetica text saying what the
document stands for. Stored through the documents' own storage, one file per kind of document
that every demo case's row of that kind points at (documents are never changed or deleted, so
sharing the bytes is safe): ~2,000 files would cost seconds of file creation on a busy disk for
nothing a reader would notice. A file is named by its hash and written once: a second demo load
(or a test that loads the demo again) finds it and writes nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from transfers.models import Document, TransferCase

DEMO_FOLDER = "transfers/demo"


def _pdf_text(value: str) -> str:
    # Helvetica's standard encoding: keep to ASCII, and escape what PDF strings reserve.
    ascii_only = value.encode("ascii", "replace").decode("ascii")
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a title and a few lines, with a correct cross-reference table."""
    text = [f"BT /F1 16 Tf 72 770 Td ({_pdf_text(title)}) Tj ET"]
    for n, line in enumerate(lines):
        text.append(f"BT /F1 11 Tf 72 {740 - 18 * n} Td ({_pdf_text(line)}) Tj ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass(frozen=True)
class _Wanted:
    case: TransferCase
    kind: str
    on: date


class DemoDocuments:
    """Collects the documents the demo's cases got on their way; writes them in one go."""

    def __init__(self, uploader: User) -> None:
        self.uploader = uploader
        self.wanted: list[_Wanted] = []

    def add(self, case: TransferCase, kind: str, on: date) -> None:
        self.wanted.append(_Wanted(case, kind, on))

    def _stored(self, kind: str) -> tuple[str, int, str]:
        """The stored file of this kind (written if missing): its name, size and SHA-256."""
        label = str(Document.Kind(kind).label)
        content = minimal_pdf(
            label,
            [
                f"A synthetic {label.lower()} of the rented-cell programme's demo.",
                "It stands in for the real document in every demo case file: not a record.",
            ],
        )
        digest = hashlib.sha256(content).hexdigest()
        name = f"{DEMO_FOLDER}/{kind}-{digest[:24]}.pdf"
        storage = Document._meta.get_field("file").storage
        if not storage.exists(name):
            name = storage.save(name, ContentFile(content))
        return name, len(content), digest

    def save(self) -> int:
        stored = {kind: self._stored(kind) for kind in {wanted.kind for wanted in self.wanted}}
        Document.objects.bulk_create(
            Document(
                case=wanted.case,
                kind=wanted.kind,
                version=1,
                file=stored[wanted.kind][0],
                original_name=f"{wanted.kind}.pdf",
                content_type="application/pdf",
                size=stored[wanted.kind][1],
                sha256=stored[wanted.kind][2],
                uploaded_by=self.uploader,
            )
            for wanted in self.wanted
        )
        return len(self.wanted)

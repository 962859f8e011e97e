"""Small real files for upload tests, and sample data for any typed field."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "sample") -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>stream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def upload_pdf(name: str = "文件.pdf", text: str = "sample") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def upload_png(name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def sample_value(field: dict[str, Any]) -> Any:
    """A valid value for a field as the API describes it (contract 5)."""
    t = field["type"]
    if t == "string":
        return f"{field['label']}(示例)"
    if t == "text":
        return f"{field['label']}:经研究,同意。"
    if t == "integer":
        return 2
    if t == "decimal":
        return "12.50"
    if t == "date":
        return "2026-11-20"
    if t == "datetime":
        return "2026-11-20T09:30:00+08:00"
    if t == "boolean":
        return True
    if t == "choice":
        return field["choices"][0]["value"]
    if t == "multichoice":
        return [field["choices"][0]["value"]]
    if t == "user":
        return field["choices"][0]["value"]
    if t == "meeting":
        return {"due": 9, "present": 9, "yes": 9, "no": 0, "abstain": 0,
                "minutes": "会议记录摘要"}
    raise AssertionError(f"no sample for {t}")

"""Small real files for upload tests, the files a test left in storage, and sample data for
any typed field as the API describes it (its bounds, formats, tables and refs honoured)."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone
from django.utils.dateparse import parse_datetime


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


def stored_files() -> list[Path]:
    """Every file under MEDIA_ROOT (each test has its own), sorted."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- sample values --------------------------------------------------------------------------

SAMPLE_ID_NUMBER = "110101199003070011"  # 居民身份证号码: a real county, a valid check digit
SAMPLE_MOBILE = "13812345678"
SAMPLE_USCC = "91110000600037341L"       # 统一社会信用代码 with valid check characters
SAMPLE_DATE = "2026-11-20"
SAMPLE_DATETIME = "2026-11-20T09:30:00+08:00"
SAMPLE_INTEGER = 2
SAMPLE_DECIMAL = Decimal("12.50")
SAMPLE_MINUTES = "会议记录摘要"
_PATTERN_TRIES = ("1", "A1", "123456", "2026-001", "第1号", "示例", SAMPLE_MOBILE)


def _clamp(value: Any, field: Mapping[str, Any]) -> Any:
    """``value`` moved within the field's ``min`` and ``max``."""
    kind = type(value)
    high, low = field.get("max"), field.get("min")
    if high is not None and value > kind(str(high)):
        value = kind(str(high))
    if low is not None and value < kind(str(low)):
        value = kind(str(low))
    return value


def _moment(text: str) -> dt.datetime:
    moment = parse_datetime(text)
    assert moment is not None, text
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _date(field: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """The sample day, never past ``max`` (a date that records what happened is today at the
    latest), not before ``min`` nor before the field it must follow (``after``)."""
    day = SAMPLE_DATE
    if field.get("max") is not None:
        day = min(day, str(field["max"])[:10])
    for low in (field.get("min"), values.get(field.get("after") or "")):
        if low not in (None, ""):
            day = max(day, str(low)[:10])
    return day


def _datetime(field: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    moment = _moment(SAMPLE_DATETIME)
    if field.get("max") is not None:
        moment = min(moment, _moment(str(field["max"])))
    for low in (field.get("min"), values.get(field.get("after") or "")):
        if low not in (None, ""):
            moment = max(moment, _moment(str(low)))
    return moment.isoformat()


def _month(field: Mapping[str, Any]) -> str:
    month = f"{timezone.localdate():%Y-%m}"
    if field.get("max") is not None:
        month = min(month, str(field["max"])[:7])
    if field.get("min") is not None:
        month = max(month, str(field["min"])[:7])
    return month


def _string(field: Mapping[str, Any]) -> str:
    formats = {"id_number": SAMPLE_ID_NUMBER, "mobile": SAMPLE_MOBILE, "uscc": SAMPLE_USCC}
    if field.get("format"):
        return formats[field["format"]]
    text = (f"{field['label']}:经研究,同意。" if field["type"] == "text"
            else f"{field['label']}(示例)")
    pattern = field.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        text = next((t for t in _PATTERN_TRIES if re.fullmatch(pattern, t)), "")
        assert text, f"no sample matches {pattern!r}: give {field['name']} a value"
    return text[: field.get("max_length") or len(text)]


def _choices(field: Mapping[str, Any]) -> list[Any]:
    values = [c["value"] for c in field.get("choices", [])]
    assert values, (f"{field['name']}: nothing to choose from" + (
        f" (its entries are listed at {field['choices_url']}: give a value)"
        if field.get("choices_url") else ""))
    return values


def sample_value(field: Mapping[str, Any], values: Mapping[str, Any] | None = None) -> Any:
    """A valid value for a field as the API describes it (contract 5): within ``min`` and
    ``max`` (a date or date-time bounded by today is not in the future), as long as
    ``max_length``, of its ``format``, after the field named by ``after`` (its value in
    ``values``), rows of its columns, one of its ``choices``."""
    values = values or {}
    t = field["type"]
    if t in ("string", "text"):
        return _string(field)
    if t == "integer":
        return _clamp(SAMPLE_INTEGER, field)
    if t == "decimal":
        return str(_clamp(SAMPLE_DECIMAL, field))
    if t == "date":
        return _date(field, values)
    if t == "datetime":
        return _datetime(field, values)
    if t == "month":
        return _month(field)
    if t == "boolean":
        return True
    if t in ("choice", "user", "ref"):
        return _choices(field)[0]
    if t == "multichoice":
        picked = max(1, field.get("min_items") or 0)
        return _choices(field)[: min(picked, field.get("max_items") or picked)]
    if t == "table":
        count = min(max(1, field.get("min_rows") or 0), field.get("max_rows") or 1)
        return [_row(field["columns"]) for _ in range(count)]
    if t == "meeting":
        return sample_meeting(field, values)
    raise AssertionError(f"no sample for {t}")


@dataclass(frozen=True)
class Attend:
    """A meeting to fill from the roll the field's schema gives, once the other values are
    known: the first ``present`` voters ticked (all by default; for a roll that is a
    population figure, ``present`` typed), ``observers`` of those attending without a vote
    ticked too, the votes; ``due`` sent as given (None: as the roll says), ``held_at`` the
    day (today by default)."""

    present: int | None = None
    yes: int | None = None
    no: int = 0
    abstain: int = 0
    due: int | None = None
    held_at: str | None = None
    observers: int = 0

    def fill(self, field: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
        out = sample_meeting(field, values, present=self.present, yes=self.yes, no=self.no,
                             abstain=self.abstain, held_at=self.held_at)
        if self.due is not None:
            out["due"] = self.due
        roll = meeting_roll(field, values)
        if self.observers:
            out["attendees"] = [*out.get("attendees", []),
                                *[m["value"] for m in roll.get("non_voting", [])
                                  ][:self.observers]]
        return out


def meeting_roll(field: Mapping[str, Any], values: Mapping[str, Any]) -> Mapping[str, Any]:
    """The roll a meeting field's schema gives (contract 5): its ``roll``, or under
    ``roll_by`` the roll for the value chosen in ``values`` (else the first)."""
    if field.get("roll"):
        return field["roll"]
    by = field["roll_by"]
    chosen = values.get(by["field"])
    if isinstance(chosen, Mapping):
        chosen = chosen.get("id")
    rolls = by["rolls"]
    assert rolls, f"{field['name']}: no roll to fill the meeting from"
    return rolls.get(str(chosen)) or next(iter(rolls.values()))


def sample_meeting(field: Mapping[str, Any], values: Mapping[str, Any] | None = None,
                   *, present: int | None = None, yes: int | None = None, no: int = 0,
                   abstain: int = 0, held_at: str | None = None) -> dict[str, Any]:
    """A meeting filled from its roll alone: held today (the latest its ``held_at`` allows),
    the first ``present`` voters of the roll ticked (all of them by default) or, for a roll
    that is a population figure, ``present`` typed; ``yes`` votes (all present by default)
    when the meeting votes. ``due`` is sent as the roll says."""
    roll = meeting_roll(field, values or {})
    count = roll["due"] if present is None else present
    out: dict[str, Any] = {
        "held_at": held_at or str(field.get("held_at", {}).get("max") or
                                  timezone.localdate().isoformat())[:10],
        "due": roll["due"], "minutes": SAMPLE_MINUTES,
    }
    if "members" in roll:
        out["attendees"] = [m["value"] for m in roll["members"][:count]]
    else:
        out["present"] = count
    if roll.get("votes", True):
        out.update(yes=count if yes is None else yes, no=no, abstain=abstain)
    return out


def _row(columns: list[Mapping[str, Any]], given: Mapping[str, Any] | None = None
         ) -> dict[str, Any]:
    """A row of a table: the cells ``given`` (a callable one made from its column's schema,
    ``None`` leaving the cell out), a sample value in every other cell."""
    given = given or {}
    row: dict[str, Any] = {}
    for column in columns:
        name = column["name"]
        cell = given.get(name)
        if callable(cell):
            row[name] = cell(column, row)
        elif cell is not None:
            row[name] = cell
        elif name not in given and not _listed_elsewhere(column, row):
            row[name] = sample_value(column, row)
    return row


def _listed_elsewhere(field: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """A ref whose many entries the API lists at its ``choices_url`` (not inline) and that
    may be left out: a sample leaves it out (give it, from that list, to fill it)."""
    return (field["type"] == "ref" and "choices" not in field and "choices_url" in field
            and not _required(field, values))


# --- values made from a field's schema (walk data and tests: a ref's entry ids differ from
# one database to the next, the schema lists them as the field's choices) -------------------

FromSchema = Any  # (field or column schema, values so far) -> value


def choice(index: int = 0) -> FromSchema:
    """The ``index``-th of the field's (or the column's) choices: a ref's entry, a user."""
    def made(field: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
        return _choices(field)[index]

    return made


def other_than(*names: str) -> FromSchema:
    """The first of the field's choices that none of the fields ``names`` has chosen (a
    second contact, a branch contact who is not the member going away)."""
    def made(field: Mapping[str, Any], values: Mapping[str, Any]) -> Any:
        taken = {str(v.get("id") if isinstance(v, Mapping) else v)
                 for v in (values.get(n) for n in names)}
        return next(v for v in _choices(field) if str(v) not in taken)

    return made


def table(*rows: Mapping[str, Any]) -> FromSchema:
    """A table of these rows; a cell may be made from its column's schema (``choice(1)``)
    and a cell not given gets a sample value."""
    def made(field: Mapping[str, Any], values: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [_row(field["columns"], row) for row in rows]

    return made


def each_choice(column: str, **cells: Any) -> FromSchema:
    """A table with one row for each choice of ``column`` (every member of the register,
    every grid of the village …), the other cells as given or sampled."""
    def made(field: Mapping[str, Any], values: Mapping[str, Any]) -> list[dict[str, Any]]:
        spec = next(c for c in field["columns"] if c["name"] == column)
        return [_row(field["columns"], {**cells, column: value}) for value in _choices(spec)]

    return made


def _required(field: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    rule = field.get("required_if")
    if rule:
        return str(values.get(rule["field"])) == str(rule["equals"])
    return bool(field["required"])


def sample_upload(field: Mapping[str, Any]) -> SimpleUploadedFile:
    return upload_pdf() if "application/pdf" in field.get("accept", ()) else upload_png()


def sample_data(fields: list[Mapping[str, Any]], given: Mapping[str, Any] | None = None
                ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The body of an action: ``given`` as it is (an upload goes with the files, ``None``
    leaves the field out), a sample value for every other field, and a sample upload for
    every file the action requires (``required_if`` met included)."""
    given = dict(given or {})
    data: dict[str, Any] = {}
    files: dict[str, Any] = {}
    for name, value in given.items():
        if isinstance(value, UploadedFile):
            files[name] = value
        elif value is not None and not isinstance(value, Attend) and not callable(value):
            data[name] = value
    for field in fields:
        name = field["name"]
        if callable(given.get(name)) and not isinstance(given[name], Attend):
            data[name] = given[name](field, data)  # a value made from the field's schema
            continue
        if name in given or field["type"] in ("file", "meeting") or _listed_elsewhere(field, data):
            continue
        data[name] = sample_value(field, data)
    for field in fields:  # after the fields that choose its rule or narrow its roll
        name, wanted = field["name"], given.get(field["name"])
        if field["type"] == "meeting" and (name not in given or isinstance(wanted, Attend)):
            data[name] = (wanted.fill(field, data) if isinstance(wanted, Attend)
                          else sample_value(field, data))
    for field in fields:
        if field["type"] == "file" and field["name"] not in given and _required(field, data):
            files[field["name"]] = sample_upload(field)
    return data, files

"""Browser forms built from the API's description of actions (``serializers.actions_json``).

The form of a step is not written per procedure: each action that the gate offers
is described as JSON by ``actions_json`` (fields with type, label, choices, accept),
and this module turns a submitted HTML form back into the ``data`` and ``files``
that ``gate.perform_action`` expects. Input names are ``f_<field>`` (and
``f_<field>.<part>`` for the parts of a meeting), so they never collide with
``action``, ``comment`` or the CSRF token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

PREFIX = "f_"
MEETING_PARTS: tuple[tuple[str, str], ...] = (
    ("due", "应到"),
    ("present", "实到"),
    ("yes", "赞成"),
    ("no", "反对"),
    ("abstain", "弃权"),
)
# what an engine-level action asks for besides its fields
REASON_LABELS = {"return": "退回理由", "withdraw": "撤回理由"}


def input_name(field_name: str) -> str:
    return f"{PREFIX}{field_name}"


@dataclass
class Submitted:
    """What a user sent: ``data`` and ``files`` for the gate, ``typed`` to refill the form."""

    data: dict[str, Any] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)


def read_form(fields: list[dict[str, Any]], post: QueryDict,
              files: MultiValueDict[str, UploadedFile]) -> Submitted:
    """Turn the posted inputs of an action's fields into gate data (blank means absent)."""
    out = Submitted()
    for spec in fields:
        name, kind = spec["name"], spec["type"]
        key = input_name(name)
        if kind == "file":
            upload = files.get(key)
            if upload is not None:
                out.files[name] = upload
            continue
        if kind == "multichoice":
            picked = [v for v in post.getlist(key) if v]
            out.typed[name] = picked
            if picked:
                out.data[name] = picked
        elif kind == "boolean":
            checked = key in post
            out.typed[name] = checked
            out.data[name] = checked
        elif kind == "meeting":
            parts = {part: post.get(f"{key}.{part}", "").strip() for part, _label in MEETING_PARTS}
            out.typed[name] = parts
            if any(parts.values()):
                out.data[name] = dict(parts)
        else:
            value = post.get(key, "")
            out.typed[name] = value
            if value.strip():
                out.data[name] = value
    return out


def meeting_numbers(raw: Mapping[str, Any]) -> dict[str, int] | None:
    """The five counts of a meeting as integers, or None while any is missing or not a number."""
    out: dict[str, int] = {}
    for part, _label in MEETING_PARTS:
        value = str(raw.get(part, "")).strip()
        if not value.isdigit():
            return None
        out[part] = int(value)
    return out


def widget_fields(action: dict[str, Any], typed: Mapping[str, Any] | None,
                  error_field: str | None, error_text: str) -> list[dict[str, Any]]:
    """The fields of an action as the template draws them: value typed so far, error if any."""
    typed = typed or {}
    rows = []
    for spec in action["fields"]:
        row = dict(spec)
        row["input"] = input_name(spec["name"])
        row["id"] = f"{action['code']}-{spec['name']}"
        value = typed.get(spec["name"])
        if spec["type"] == "meeting":
            value = value or {}
            row["parts"] = [
                {"part": part, "label": label, "value": value.get(part, ""),
                 "input": f"{row['input']}.{part}", "id": f"{row['id']}-{part}"}
                for part, label in MEETING_PARTS
            ]
        elif spec["type"] == "multichoice":
            value = value or []
        elif spec["type"] == "boolean":
            value = bool(value)
        elif value is None:
            value = ""
        row["value"] = value
        row["error"] = error_text if error_field == spec["name"] else ""
        if spec["type"] == "file":
            row["accept_attr"] = ",".join(spec.get("accept", []))
        rows.append(row)
    return rows

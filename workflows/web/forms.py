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
from django.utils.translation import gettext_lazy

from workflows.web import widgets
from workflows.web.meeting import meeting_widget, read_meeting

PREFIX = "f_"
# what an engine-level action asks for besides its fields
REASON_LABELS = {"return": gettext_lazy("退回理由"), "withdraw": gettext_lazy("撤回理由")}


def input_name(field_name: str) -> str:
    return f"{PREFIX}{field_name}"


@dataclass
class Submitted:
    """What a user sent: ``data`` and ``files`` for the gate, ``typed`` to refill the form."""

    data: dict[str, Any] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)
    # file fields sent without a new file but with a kept one (``f_<field>.pending``)
    pending: dict[str, str] = field(default_factory=dict)


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
            elif post.get(f"{key}.pending", "").strip():
                out.pending[name] = post.get(f"{key}.pending", "").strip()
            continue
        if kind == "table":
            rows = widgets.read_table(spec, key, post)
            out.typed[name] = rows
            if rows:
                out.data[name] = widgets.table_data(rows)
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
        elif kind == "meeting":  # the day, the ticks, the votes (workflows.web.meeting)
            value, out.typed[name] = read_meeting(key, post)
            if value is not None:
                out.data[name] = value
        else:
            text = str(post.get(key, ""))
            out.typed[name] = text
            if text.strip():
                out.data[name] = text
    return out


def widget_fields(action: dict[str, Any], typed: Mapping[str, Any] | None,
                  error_field: str | None = None, error_text: str = "", *,
                  errors: Mapping[str, list[str]] | None = None,
                  pending: Mapping[str, Any] | None = None,
                  case_id: int | None = None) -> list[dict[str, Any]]:
    """The fields of an action as the template draws them: value typed so far, and every
    error of the submission next to its field (``errors``, by field path: see
    ``widgets.error_map``; or the one ``error_field``); ``pending``: the files kept from a
    refused submission, by field."""
    typed = typed or {}
    if errors is None:
        errors = {error_field: [error_text]} if error_field else {}
    pending = pending or {}
    rows = []
    for spec in action["fields"]:
        row = dict(spec)
        row["input"] = input_name(spec["name"])
        row["id"] = f"{action['code']}-{spec['name']}"
        value = typed.get(spec["name"])
        if value is None and "default" in spec and spec["name"] not in typed:
            value = spec["default"]  # what the portal proposes from the case's records
        row["attrs"] = widgets.render_attrs(widgets.input_attrs(spec))
        widgets.describe(row, spec, action, case_id)
        if spec["type"] == "meeting":
            meeting_widget(row, spec, value, typed, action)
            value = value or {}
        elif spec["type"] == "multichoice":
            value = value or []
        elif spec["type"] == "boolean":
            value = bool(value)
        elif spec["type"] == "table":
            widgets.table_widget(row, spec, value, errors)
            value = row["value"]
        elif value is None:
            value = ""
        row["value"] = value
        row["errors"] = widgets.field_errors(spec, errors)
        row["error"] = " ".join(row["errors"])
        if spec["type"] == "file":
            row["accept_attr"] = ",".join(spec.get("accept", []))
            row["accept_text"] = widgets.accept_text(spec.get("accept", []))
            row["max_text"] = widgets.bytes_text(spec["max_bytes"]) \
                if spec.get("max_bytes") else ""
            row["pending"] = pending.get(spec["name"])
        rows.append(row)
    return rows

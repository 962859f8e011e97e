"""What a ``ref`` field may name: the entries of a roster or register of the case's village.

A domain registers a source for each roster it owns (``party_member``, ``household``,
``representative``, ``grid``, …) in its ``procedures`` module; a field says
``ref="party_member"`` (and, optionally, ``ref_filter`` — a word the source
understands, such as ``full`` or ``activist``). The engine asks the source for the
eligible entries of the case's village on a day; the API lists them as the field's
``choices``, and the gate accepts exactly those. No domain imports another: a
roster reaches another domain's procedure only through this registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from core.models import Region
from workflows.spec import Choice

# entries(village, day, filter) -> the eligible entries, value = the entry's id as text
Entries = Callable[[Region, dt.date, str], list[Choice]]


@dataclass(frozen=True)
class RefSource:
    code: str
    name: str  # what an entry is, in Chinese: "党员", "户", "村(居)民代表"
    entries: Entries


_SOURCES: dict[str, RefSource] = {}


def register_ref(source: RefSource) -> RefSource:
    known = _SOURCES.get(source.code)
    if known is not None and known != source:
        raise ValueError(f"ref source {source.code} registered twice")
    _SOURCES[source.code] = source
    return source


def ref_source(code: str) -> RefSource | None:
    return _SOURCES.get(code)


def ref_codes() -> list[str]:
    return sorted(_SOURCES)

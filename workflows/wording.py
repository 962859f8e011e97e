"""A procedure in the words of the place whose case it is (issue 11, point 12).

A spec is written once for villages and communities (村(居)民会议, 村(社区)); a case of
桃花村 reads 村民会议, one of 清泉社区 居民会议. :func:`placed` gives the spec with every text
a user reads turned into a place's words (:func:`core.places.place_words`); codes, field
names, choice values and roll sources stay as they are, so the gate, the API's contract and
the stored records are the same for both.

It is also in the reader's language (issue 12, point 8): with English active each text is
looked up in the ``procedures`` catalogue (:mod:`workflows.texts`, msgids as written, before
placing) and the English is put in a place's words (:func:`core.places.place_words_en`).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping
from typing import Any

from core.models import Region
from core.places import PlaceKind, place_words, place_words_en, words_of
from core.roles import BRANCH_ROLES
from workflows import texts
from workflows.spec import ActionSpec, MeetingRule, ProcedureSpec, Source, StepSpec

# attributes that hold text a user reads (every other string is an identifier)
TEXT_ATTRS = frozenset({
    "label", "help", "description", "summary", "text", "control", "title", "message",
    "reason", "outcome", "supervisor", "category", "measures", "guiding_units", "roll_label",
    "stage", "title_example",
})
# ``name`` is text on these (a field's or an effect's name is an identifier)
NAMED = (ProcedureSpec, StepSpec, ActionSpec)

# (a text, where it stands: TEXT, BODY or SOURCE) -> the text to show
Change = Callable[[str, str], str]
TEXT, BODY, SOURCE = "text", "body", "source"

# keyed by the spec's id(), and holding the spec itself beside its words: while an entry
# lives its spec cannot be freed, so no later spec can be given the same id (and the words)
_cache: dict[tuple[int, PlaceKind | None, str | None], tuple[ProcedureSpec, ProcedureSpec]] = {}
_lock = threading.Lock()


def _text_attr(obj: Any, name: str) -> bool:
    return (name in TEXT_ATTRS or (name == "name" and isinstance(obj, NAMED))
            or (name == "body" and isinstance(obj, MeetingRule)))


def _texts(value: Any, change: Change, where: str) -> Any:
    if isinstance(value, tuple):
        return tuple(_texts(v, change, where) for v in value)
    if isinstance(value, str) and value:
        return change(value, where)
    return value


def walk(obj: Any, change: Change) -> Any:
    """``obj`` (a spec or a part of it) with ``change`` applied to every text a user reads.

    ``change`` is told where the text stands: a number's SOURCE is cited as written (a
    law's name, the model text's words) and a meeting's BODY is put in a place's Chinese
    words where it is read (:mod:`workflows.web.meeting`). Codes, field names, choice values
    and roll sources are never passed."""
    if isinstance(obj, tuple):
        return tuple(walk(v, change) for v in obj)
    if isinstance(obj, Mapping):
        return {k: walk(v, change) for k, v in obj.items()}
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if not f.init:
            continue
        value = getattr(obj, f.name)
        if isinstance(obj, Source):
            new = _texts(value, change, SOURCE) if f.name == "text" else value
        elif _text_attr(obj, f.name):
            new = _texts(value, change, BODY if f.name == "body" else TEXT)
        elif isinstance(value, tuple | Mapping) or dataclasses.is_dataclass(value):
            new = walk(value, change)
        else:
            continue
        if new != value:
            changes[f.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def texts_of(spec: ProcedureSpec) -> list[str]:
    """Every text of ``spec`` a user may read, as written (the msgids of its translation)."""
    found: dict[str, None] = {}

    def note(text: str, where: str) -> str:
        found[text] = None
        return text

    walk(spec, note)
    return list(found)


def _reworded(spec: ProcedureSpec, kind: PlaceKind | None, lang: str | None) -> ProcedureSpec:
    def change(text: str, where: str) -> str:
        translated = texts.translate(text, lang) if lang else text
        if translated == text:  # Chinese (or not translated yet): the place's Chinese words
            return place_words(text, kind) if where == TEXT else text
        return translated if where == SOURCE else place_words_en(translated, kind)

    return walk(spec, change)  # type: ignore[no-any-return]


def placed(spec: ProcedureSpec, kind: PlaceKind | None) -> ProcedureSpec:
    """``spec`` in the words of a 村 or a 社区 (shared words when ``kind`` is None) and in
    the active language; built once per spec, kind and language."""
    lang = texts.language()
    if kind is None and lang is None:
        return spec
    key = (id(spec), kind, lang)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                found = _cache[key] = (spec, _reworded(spec, kind, lang))
    return found[1]


def signer(spec: ProcedureSpec | None, step_code: str, region: Region) -> str:
    """The body that posts a step's notice and signs it: the party branch (中共桃花村支部
    委员会) when only the branch's roles do the step, the villagers' or residents'
    committee (桃花村村民委员会, 清泉社区居民委员会) otherwise."""
    words = words_of(region)
    if spec is None or not spec.has_step(step_code):
        return words.committee
    roles = set(spec.step(step_code).roles)
    return words.branch if roles and roles <= set(BRANCH_ROLES) else words.committee


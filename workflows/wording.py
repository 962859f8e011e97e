"""A procedure in the words of the place whose case it is (issue 11, point 12).

A spec is written once for villages and communities (村(居)民会议, 村(社区)); a case of
桃花村 reads 村民会议, one of 清泉社区 居民会议. :func:`placed` gives the spec with every text
a user reads turned into a place's words (:func:`core.places.place_words`); codes, field
names, choice values and roll sources stay as they are, so the gate, the API's contract and
the stored records are the same for both.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from typing import Any

from core.models import Region
from core.places import PlaceKind, place_words, words_of
from core.roles import BRANCH_ROLES
from workflows.spec import ActionSpec, ProcedureSpec, Source, StepSpec

# attributes that hold text a user reads (every other string is an identifier)
TEXT_ATTRS = frozenset({
    "label", "help", "description", "summary", "text", "control", "title", "message",
    "reason", "outcome", "supervisor", "category", "measures", "guiding_units", "roll_label",
})
# ``name`` is text on these (a field's or an effect's name is an identifier)
NAMED = (ProcedureSpec, StepSpec, ActionSpec)

_cache: dict[tuple[int, PlaceKind], ProcedureSpec] = {}
_lock = threading.Lock()


def _words(value: Any, kind: PlaceKind) -> Any:
    if isinstance(value, tuple):
        return tuple(_words(v, kind) for v in value)
    return place_words(value, kind)


def _placed(obj: Any, kind: PlaceKind) -> Any:
    if isinstance(obj, tuple):
        return tuple(_placed(v, kind) for v in obj)
    if isinstance(obj, Mapping):
        return {k: _placed(v, kind) for k, v in obj.items()}
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type | Source):
        return obj  # a number's source is cited as written: a law's name, the model text's words
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if not f.init:
            continue
        value = getattr(obj, f.name)
        if f.name in TEXT_ATTRS or (f.name == "name" and isinstance(obj, NAMED)):
            new = _words(value, kind)
        elif isinstance(value, tuple | Mapping) or dataclasses.is_dataclass(value):
            new = _placed(value, kind)
        else:
            continue
        if new != value:
            changes[f.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def placed(spec: ProcedureSpec, kind: PlaceKind | None) -> ProcedureSpec:
    """``spec`` in the words of a 村 or a 社区 (the spec itself when ``kind`` is None);
    built once per spec and kind."""
    if kind is None:
        return spec
    key = (id(spec), kind)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                found = _placed(spec, kind)
                _cache[key] = found
    return found


def signer(spec: ProcedureSpec | None, step_code: str, region: Region) -> str:
    """The body that posts a step's notice and signs it: the party branch (中共桃花村支部
    委员会) when only the branch's roles do the step, the villagers' or residents'
    committee (桃花村村民委员会, 清泉社区居民委员会) otherwise."""
    words = words_of(region)
    if spec is None or not spec.has_step(step_code):
        return words.committee
    roles = set(spec.step(step_code).roles)
    return words.branch if roles and roles <= set(BRANCH_ROLES) else words.committee


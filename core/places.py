"""Words as a village or a community prints them (issue 11, point 12).

The model text writes for both: 村(社区), 村(居)民委员会, 村(居)务监督委员会. A 村 prints
村民委员会 / 村务监督委员会 / 村民代表会议; a 社区 prints 居民委员会 / 居务监督委员会 /
居民代表会议 (村民委员会组织法, 城市居民委员会组织法). :func:`place_words` turns the shared
text into the one of a place; :func:`words_of` gives the names of a place's bodies, which
sign what they post (桃花村村民委员会, 中共桃花村支部委员会).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise, lazy

from core.roles import Level

if TYPE_CHECKING:
    from core.models import Region


class PlaceKind(enum.StrEnum):
    VILLAGE = "village"      # 村: 村民委员会, 村务监督委员会
    COMMUNITY = "community"  # 社区: 居民委员会, 居务监督委员会


COMMUNITY_SUFFIXES = ("社区", "居委会", "居民委员会")


def kind_of(region: Region | None) -> PlaceKind | None:
    """Whether a village-level region is a 村 or a 社区 (by its name, as the civil-affairs
    register names it); None above the village level."""
    if region is None or region.level != Level.VILLAGE:
        return None
    return PlaceKind.COMMUNITY if region.name.endswith(COMMUNITY_SUFFIXES) else PlaceKind.VILLAGE


# the shared forms of the model text, longest first: (shared, 村, 社区)
_SHARED = (
    ("村(居)民委员会", "村民委员会", "居民委员会"),
    ("村(居)务监督委员会", "村务监督委员会", "居务监督委员会"),
    ("村(居)委会", "村委会", "居委会"),
    ("村(居)民", "村民", "居民"),
    ("村(居)务", "村务", "居务"),
    ("村(社区)", "村", "社区"),
    ("村(居)", "村", "社区"),
    ("村规民约(居民公约)", "村规民约", "居民公约"),
    ("村规民约和居民公约", "村规民约", "居民公约"),
)
# a village's own words that a community says otherwise (after the shared forms)
_COMMUNITY = (
    ("村民委员会", "居民委员会"),
    ("村务监督委员会", "居务监督委员会"),
    ("村民代表", "居民代表"),
    ("村民会议", "居民会议"),
    ("村民小组", "居民小组"),
    ("村委会", "居委会"),
    ("村务公开", "居务公开"),
    ("村务监督", "居务监督"),
    ("村规民约", "居民公约"),
    ("村民", "居民"),
    ("本村", "本社区"),
)


def _pass(pairs: list[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    # the model text writes its brackets both ways: 村(居) and 村（居）
    both = [(a, b) for shared, b in pairs
            for a in dict.fromkeys((shared, shared.replace("(", "（").replace(")", "）")))]
    return re.compile("|".join(re.escape(a) for a, _ in both)), dict(both)


# the shared forms first, then (for a community) a village's own words
_PASSES = {
    PlaceKind.VILLAGE: [_pass([(s, v) for s, v, _ in _SHARED])],
    PlaceKind.COMMUNITY: [_pass([(s, c) for s, _, c in _SHARED]), _pass(list(_COMMUNITY))],
}


def _replace(text: str, kind: PlaceKind) -> str:
    for pattern, table in _PASSES[kind]:
        text = pattern.sub(lambda m, t=table: t[m.group(0)], text)  # type: ignore[misc]
    return text


def _replace_any(text: Any, kind: PlaceKind) -> str:
    return _replace(str(text), kind)


_lazy_replace = lazy(_replace_any, str)


def place_words(text: Any, kind: PlaceKind | None) -> Any:
    """``text`` in the words of a 村 or a 社区 (unchanged when ``kind`` is None). A lazy
    translation stays lazy, so that the reader's language is still chosen when it is read."""
    if kind is None or not text:
        return text
    if isinstance(text, Promise):
        return _lazy_replace(text, kind)
    if isinstance(text, str):
        return _replace(text, kind)
    return text


@dataclass(frozen=True)
class Words:
    """The names of a place and of its bodies, as they sign what they post."""

    unit: str           # 村 / 社区
    committee: str      # 桃花村村民委员会 / 清泉社区居民委员会
    supervisory: str    # 桃花村村务监督委员会 / 清泉社区居务监督委员会
    branch: str         # 中共桃花村支部委员会
    board: str          # 村务公开栏 / 居务公开栏
    representatives: str  # 村民代表会议 / 居民代表会议


def words_of(region: Region) -> Words:
    kind = kind_of(region) or PlaceKind.VILLAGE
    name = region.name
    if kind == PlaceKind.COMMUNITY:
        return Words("社区", f"{name}居民委员会", f"{name}居务监督委员会",
                     f"中共{name}支部委员会", "居务公开栏", "居民代表会议")
    return Words("村", f"{name}村民委员会", f"{name}村务监督委员会",
                 f"中共{name}支部委员会", "村务公开栏", "村民代表会议")


# --- the same in English (issue 12, point 8) ---------------------------------------------
# A translated spec text keeps the model text's shared forms as "<village> (<community>)":
# "villagers' (residents') committee", "village (community) affairs". These are the pairs it
# may use; a community's pass then turns a village's own words into its own.
_SHARED_EN = (
    ("village rules", "residents' convention"),
    ("villagers'", "residents'"),
    ("villagers", "residents"),
    ("villager", "resident"),
    ("village", "community"),
)
_COMMUNITY_EN = (
    ("village rules", "residents' convention"),
    ("village affairs", "community affairs"),
    ("this village", "this community"),
    ("villagers'", "residents'"),
    ("villagers", "residents"),
    ("villager", "resident"),
)


def _cased(found: str, word: str) -> str:
    """``word`` with the capitals of ``found``: Villagers' Committee, This village."""
    if found[:1].isupper():
        words = word.split(" ")
        titled = len(found.split(" ")) > 1 and all(w[:1].isupper() for w in found.split(" "))
        return " ".join(w[:1].upper() + w[1:] if titled or i == 0 else w
                        for i, w in enumerate(words))
    return word


def _pass_en(pairs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    table = {a.lower(): b for a, b in pairs}
    pattern = re.compile(r"(?<![\w'])(" + "|".join(re.escape(a) for a, _ in pairs) + r")(?![\w])",
                         re.IGNORECASE)
    return pattern, table


def _shared_en(pick: int) -> tuple[re.Pattern[str], dict[str, str]]:
    forms = tuple((f"{v} ({c})", (v, c)[pick]) for v, c in _SHARED_EN)
    return _pass_en(forms)


_PASSES_EN = {
    PlaceKind.VILLAGE: [_shared_en(0)],
    PlaceKind.COMMUNITY: [_shared_en(1), _pass_en(_COMMUNITY_EN)],
}


def place_words_en(text: str, kind: PlaceKind | None) -> str:
    """An English spec text in the words of a village or a community (unchanged when
    ``kind`` is None: the shared "villagers' (residents') committee" then stands)."""
    if kind is None or not text:
        return text
    for pattern, table in _PASSES_EN[kind]:
        def swap(match: re.Match[str], table: dict[str, str] = table) -> str:
            return _cased(match.group(0), table[match.group(0).lower()])

        text = pattern.sub(swap, text)
    return text

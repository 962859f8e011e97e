"""The catalogue of procedures (事项目录): grouped by category, searchable, and saying for
each card whether the user can start it and, if not, who can.

Search is one matcher, :func:`matches`, over one text per procedure, :func:`search_text`:
its name, code (``01.1``, ``011``, ``0101``, ``01(1)``), category, guiding units and the
roles that start it, as the reader reads them (in the page's language and the place's
words), plus the pinyin initials and the whole pinyin of the Chinese name and category
(``fzdy`` finds 党员管理(党支部发展党员), ``sylg`` 重大事项“四议两公开”). The page puts the
text in a data attribute for its script (``static/js/catalogue.js``: filtering as one
types, by the same rule); without the script, ``?q=`` filters on the server with
:func:`matches` itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.translation import gettext as _

from core.models import Region
from core.places import PlaceKind
from workflows.acting import openable_villages, opening_roles
from workflows.record import role_label
from workflows.registry import registry
from workflows.spec import ProcedureSpec
from workflows.web.display import listed

_SPACE = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff]+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


@cache
def pinyin_keys(text: str) -> str:
    """The pinyin initials and the whole pinyin of every run of Chinese in ``text``
    (``四议两公开`` → ``sylgk siyilianggongkai``); punctuation and other letters left out."""
    from pypinyin import Style, lazy_pinyin  # lazy: its dictionaries load slowly

    runs = _HAN.findall(text)
    initials = "".join("".join(lazy_pinyin(r, style=Style.FIRST_LETTER)) for r in runs)
    whole = "".join("".join(lazy_pinyin(r)) for r in runs)
    return f"{initials} {whole}".lower() if runs else ""


def code_keys(code: str) -> str:
    """The ways a cadre types a procedure's number: 01.1, 011, 0101, 01(1)."""
    major, _dot, minor = code.partition(".")
    if not minor:
        return code
    return f"{code} {major}{minor} {major}{minor.zfill(2)} {major}({minor})"


def opener_words(spec: ProcedureSpec, place: PlaceKind | None) -> str:
    """The roles that start a case of ``spec``, in the reader's language and words
    (村党支部书记、村委会委员 …)."""
    return listed(
        role_label(r, place) for r in opening_roles(spec))


def search_text(spec: ProcedureSpec, openers: str) -> str:
    """What the search looks in for ``spec`` (already in the place's words): the shown
    texts, lowercased, then the pinyin of the Chinese name and category."""
    # ``spec`` may already be placed in the reader's language: the Chinese name and its
    # pinyin come from the registered procedure itself.
    source = registry.get(spec.code, spec.version) or spec
    shown = [str(source.name), str(spec.name), str(source.category), str(spec.category),
             *(_(str(u)) for u in spec.guiding_units), openers, code_keys(spec.code)]
    return _norm(" ".join([*dict.fromkeys(shown),
                           pinyin_keys(f"{source.name} {source.category}")]))


def matches(query: str, text: str) -> bool:
    """Whether every word of ``query`` is found in ``text`` (a :func:`search_text`); an
    empty query matches everything."""
    return all(word in text for word in _norm(query).split(" ") if word)


@dataclass
class Card:
    spec: ProcedureSpec
    name: str
    category: str
    units: str
    openers: str
    can_open: bool
    search: str
    steps: int
    risks: int
    hidden: bool = False  # filtered out by the query (the script may show it again)


@dataclass
class Group:
    category: str
    anchor: str
    cards: list[Card] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return all(c.hidden for c in self.cards)


def catalogue(specs: list[ProcedureSpec], user: Any, villages: list[Region],
              place: PlaceKind | None, query: str = "") -> dict[str, Any]:
    """The catalogue's groups (in the specs' order), each card marked ``hidden`` when it
    does not match ``query``; and how many cards are shown."""
    groups: dict[str, Group] = {}
    shown = 0
    for spec in specs:
        openers = opener_words(spec, place)
        card = Card(spec=spec, name=_(str(spec.name)), category=_(str(spec.category)),
                    units=listed(
                        _(str(u)) for u in spec.guiding_units),
                    openers=openers,
                    can_open=bool(openable_villages(user, spec, villages)),
                    search=search_text(spec, openers), steps=len(spec.steps),
                    risks=len(spec.risks))
        group = groups.setdefault(card.category,
                                  Group(card.category, f"cat-{len(groups) + 1}"))
        group.cards.append(card)
        card.hidden = not matches(query, card.search)
        shown += not card.hidden
    return {"groups": list(groups.values()), "shown": shown, "total": len(specs),
            "q": query.strip()}


__all__ = ["Card", "Group", "catalogue", "code_keys", "matches", "opener_words",
           "pinyin_keys", "search_text"]

"""Words of a village or a community in templates (issue 11, point 12).

``{% home_place as place %}`` is the kind of the user's villages (村 or 社区, or None);
``{{ text|placed:place }}`` (or ``|placed:region``) prints a text of the model text in that
place's words: 村(居)务监督委员会 → 村务监督委员会 / 居务监督委员会.
"""

from __future__ import annotations

from typing import Any

from django import template

from core.models import Region
from core.places import PlaceKind, kind_of, place_words
from workflows.visibility import home_kind

register = template.Library()


@register.simple_tag(takes_context=True)
def home_place(context: template.Context) -> PlaceKind | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return home_kind(user)


@register.filter
def placed(text: Any, where: Any) -> Any:
    kind = kind_of(where) if isinstance(where, Region) else (
        PlaceKind(where) if where in {k.value for k in PlaceKind} else None)
    return place_words(str(text), kind) if text else text

"""``{% error_text "404" as e %}``: the words of an error page (``portal.errors``)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.errors import words

register = template.Library()


@register.simple_tag
def error_text(kind: str) -> dict[str, Any]:
    return words(kind)

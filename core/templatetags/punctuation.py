"""Punctuation between words a template puts side by side, in the reader's language:
Chinese full-width marks (``:`` ``(`` ``)``), English ones with their spaces (": " " (" ")")."""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def colon() -> str:
    return pgettext("punctuation", ":")


@register.simple_tag
def lparen() -> str:
    return pgettext("punctuation", "(")


@register.simple_tag
def rparen() -> str:
    return pgettext("punctuation", ")")

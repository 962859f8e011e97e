"""The top navigation: which links a user sees, and the unread count of the bell.

The links are ``workflows.visibility.navigation`` — the same rules the pages apply;
base.html reverses the URLs with ``{% url ... as x %}`` so that a page not
installed yet is simply left out.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from workflows.visibility import navigation, notifications_for

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # a page that counted them already says so (the home page: ``nav_unread``)
    unread = context.get("nav_unread")
    if unread is None:
        unread = notifications_for(user).filter(read_at__isnull=True).count()
    return {
        "unread": unread,
        **navigation(user),
    }


@register.simple_tag(takes_context=True)
def portal_menu(context: template.Context, nav: dict[str, Any]) -> SafeString:
    """The main navigation, rendered once per process for each set of links, page and
    language: what it shows is all in its key (the links a user is given are booleans and
    village ids, ``navigation``), so it is the same for everyone with the same links."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    here = match.url_name if match is not None else None
    key = "nav:" + hashlib.sha256(repr((
        get_language(), get_script_prefix(), get_urlconf(), here, sorted(nav.items()),
    )).encode()).hexdigest()[:32]
    local = caches["local"]
    html = local.get(key)
    if not isinstance(html, str):
        html = render_to_string("portal/_nav.html", {"nav": nav, "here": here})
        local.set(key, html, 3600)
    return mark_safe(html)  # noqa: S308 - our own rendered template

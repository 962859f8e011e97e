"""The top navigation: which links a user sees, and the unread count of the bell.

The links are ``workflows.visibility.navigation`` — the same rules the pages apply;
base.html reverses the URLs with ``{% url ... as x %}`` so that a page not
installed yet is simply left out.
"""

from __future__ import annotations

from typing import Any

from django import template

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

"""The top navigation: which links a user sees, and the unread count of the bell.

Booleans come from the user's scope (``core.scope``); base.html reverses the URLs
with ``{% url ... as x %}`` so that a page not installed yet is simply left out.
"""

from __future__ import annotations

from typing import Any

from django import template

from core.roles import AUDIT_ROLES, Level, Role
from core.scope import get_scope
from workflows.visibility import notifications_for

register = template.Library()

# District roles that may open the supervisory audit pages (the organisation department).
AUDIT_DISTRICT_ROLES = frozenset({Role.DISTRICT_ORG})


@register.simple_tag(takes_context=True)
def portal_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = get_scope(user).held
    levels = {h.level for h in held}
    villages = sorted({h.region_id for h in held if h.level == Level.VILLAGE})
    audit_villages = sorted({h.region_id for h in held
                             if h.level == Level.VILLAGE and h.role in AUDIT_ROLES})
    oversees = bool(levels & {Level.TOWNSHIP, Level.DISTRICT})
    return {
        "unread": notifications_for(user).filter(read_at__isnull=True).count(),
        "review": Level.TOWNSHIP in levels,
        "dashboard": oversees,
        # township roles and the organisation department choose a village on the audit index;
        # a supervisory committee member goes straight to the audit of their village
        "audit_index": Level.TOWNSHIP in levels
        or any(h.role in AUDIT_DISTRICT_ROLES for h in held),
        "audit_village": audit_villages[0] if audit_villages else None,
        "registers": bool(held),
        "board_village": villages[0] if len(villages) == 1 else None,
    }

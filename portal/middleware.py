"""Idle session timeout: a session unused for SESSION_IDLE_TIMEOUT seconds ends.

The time of last use is written at most once a minute (``TOUCH_SECONDS``): a
session row is not rewritten on every page, and the timeout is exact to a minute.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import errors

_KEY = "portal_last_seen"
TOUCH_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(timezone.now().timestamp())
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("您长时间未操作,已自动退出,请重新登录。"))
            elif last is None or now - int(last) >= TOUCH_SECONDS:
                request.session[_KEY] = now
        return self.get_response(request)


class OwnErrorPagesMiddleware:
    """In DEBUG (the demo that ``./dev run`` serves) a view's 404 or 403 is still the
    portal's own page, in the reader's language with the way back, as in production: a
    villager trying the demo's board with a wrong id, or a cadre opening a case outside
    their village, must not meet Django's technical page. An address that matches no URL
    at all keeps Django's debug page for developers. Without DEBUG this is what Django does
    anyway (it calls the same handlers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return errors.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return errors.permission_denied(request, exception)
        return None

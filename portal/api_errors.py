"""The API's error body: ``{"code": ..., "detail": <Chinese message>}`` for every refusal.

Also the one parser that needs to know about it: a JSON body nested deeper than Python's
parser can follow is a 400 like any malformed body, not a server error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import RuleError

security_log = logging.getLogger("django.security")

_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}
_DETAILS = {
    status.HTTP_401_UNAUTHORIZED: gettext_noop("未登录或令牌无效。"),
    status.HTTP_403_FORBIDDEN: gettext_noop("您无权执行此操作。"),
    status.HTTP_404_NOT_FOUND: gettext_noop("未找到。"),
}


def has_surrogate(value: Any) -> bool:
    """Whether a parsed JSON value holds a lone surrogate (``"\\ud800"``) in a string or
    a key: no text a person typed, and it cannot be encoded (to answer it, or to store it).
    Walked without recursion, so that a value nested as deep as the parser allows is fine."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested too deep to parse, a number too long to read or a
    lone surrogate in a string is refused as malformed."""

    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("请求数据嵌套过深。")) from None
        if has_surrogate(data):
            raise exceptions.ParseError(_("请求数据含有无效的字符(孤立的代理项)。"))
        return data


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error answers ``{"code": ..., "detail": <message>}``, the message in the
    request's language (Chinese by default)."""
    if isinstance(exc, RuleError):
        return Response(exc.as_body(), status=exc.http_status)
    if isinstance(exc, RequestDataTooBig):  # Django's limit on a body (files apart)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return Response({"code": "too_large",
                         "detail": _("请求数据过大(文件以外的部分最大 %(mb)s MB)。")
                         % {"mb": limit}},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):  # too many fields or files, a broken header
        security_log.warning("API request refused: %s", exc)
        return Response({"code": "invalid", "detail": _("请求格式有误。")},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = _CODES.get(response.status_code, "error")
    detail: Any = response.data
    if isinstance(exc, exceptions.APIException):
        if isinstance(exc.detail, dict | list):
            detail = exc.detail
            code = "invalid" if response.status_code == 400 else code
        else:
            detail = str(exc.detail)
            if getattr(exc.detail, "code", None) and response.status_code == 400:
                code = str(exc.detail.code)
    if response.status_code in _DETAILS and not isinstance(detail, str | dict | list):
        detail = _(_DETAILS[response.status_code])
    if response.status_code in (401, 403, 404) and isinstance(detail, str) and detail.isascii():
        detail = _(_DETAILS[response.status_code])
    if isinstance(detail, dict | list):
        body = {"code": code, "detail": _("请求数据有误。"), "errors": detail}
    else:
        body = {"code": code, "detail": detail}
    response.data = body
    return response

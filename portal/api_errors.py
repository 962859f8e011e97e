"""The API's error body: ``{"code": ..., "detail": <Chinese message>}`` for every refusal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import RuleError

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
    status.HTTP_401_UNAUTHORIZED: "未登录或令牌无效。",
    status.HTTP_403_FORBIDDEN: "您无权执行此操作。",
    status.HTTP_404_NOT_FOUND: "未找到。",
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error answers ``{"code": ..., "detail": <Chinese message>}``."""
    if isinstance(exc, RuleError):
        return Response(exc.as_body(), status=exc.http_status)
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
        detail = _DETAILS[response.status_code]
    if response.status_code in (401, 403, 404) and isinstance(detail, str) and detail.isascii():
        detail = _DETAILS[response.status_code]
    if isinstance(detail, dict | list):
        body = {"code": code, "detail": "请求数据有误。", "errors": detail}
    else:
        body = {"code": code, "detail": detail}
    response.data = body
    return response

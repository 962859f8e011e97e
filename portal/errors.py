"""The portal's own error pages (403, 404, 500, 400, the CSRF failure) and their words.

Each page says what happened and the way back in the reader's language and, for a Chinese
reader, in English below. The words live here, once (``TEXTS``); the templates
(``templates/errors/frame.html`` and ``40x.html``/``500.html``) read them through the
``error_text`` tag, which needs no request and no database — a 500 has neither to give.

Under ``/api/`` an address that names nothing answers the API's JSON body instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults


@dataclass(frozen=True)
class ErrorText:
    title: Promise
    heading: Promise
    body: Promise


TEXTS: dict[str, ErrorText] = {
    "400": ErrorText(_("请求有误"), _("请求有误,无法处理"),
                     _("地址或提交的内容不完整或格式不对。请返回上一页重试。")),
    "403": ErrorText(_("无权办理"), _("您没有办理这项操作的权限"),
                     _("这项操作只能由担任相应职务的人员办理。如您认为有误,请联系本村(社区)"
                       "或镇(街道)的管理员为您登记职务。")),
    "403_csrf": ErrorText(_("页面已过期"), _("页面已过期,请重新提交"),
                          _("为了安全,表单需要在打开页面后提交。请返回上一页,刷新后再提交一次;"
                            "如仍不行,请重新登录。浏览器须允许本网站使用 Cookie。")),
    "404": ErrorText(_("页面不存在"), _("页面不存在,或者您无权查看"),
                     _("您要找的页面或事项不存在,也可能不属于您所在的村(社区)或辖区。"
                       "请检查地址,或从首页重新进入。")),
    "500": ErrorText(_("系统出错"), _("系统出错了,请稍后再试"),
                     _("这不是您的操作造成的。系统已记录这次错误;您刚才提交的内容如未提示成功,"
                       "则没有保存。请稍后再试,如一直出现,请联系管理员。")),
}


def words(kind: str) -> dict[str, Any]:
    """An error page's title, heading and text in the active language, and ``english``:
    the same in English when the reader does not read English and they exist (else {})."""
    text = TEXTS[kind]
    shown = {"title": str(text.title), "heading": str(text.heading), "body": str(text.body)}
    if translation.get_language() == "en":
        return {**shown, "english": {}}
    with translation.override("en"):
        english = {"heading": str(text.heading), "body": str(text.body)}
    return {**shown, "english": english if english["heading"] != shown["heading"] else {}}


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return _json(400, "invalid", gettext("请求有误。"))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return _json(403, "permission_denied", gettext("您无权执行此操作。"))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404, the same bytes whatever the address or the reason (missing or out of scope)."""
    if _api(request):
        return _json(404, "not_found", gettext("未找到。"))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return _json(500, "server_error", gettext("系统出错,请稍后再试。"))
    return defaults.server_error(request)

"""The HTTP API of contract 5. Every read is scoped; every write goes through the gate.

Each view tells drf-spectacular what it answers: the body (described by the serializers of
``workflows.serializers``) and every refusal it can give, as the one error body
(``ErrorSerializer``). ``tests/workflows/test_openapi.py`` holds the live answers to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, cast

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.errors import RuleError
from core.models import User
from core.scope import access_region
from workflows import gate
from workflows import params as tenant_params
from workflows.acting import available_actions
from workflows.fields import ref_choices
from workflows.filters import CaseFilter, NotificationFilter
from workflows.models import Case, CaseEvent, Notification, PublicityNotice, Task
from workflows.registers import all_registers, export, get_register
from workflows.registry import registry
from workflows.rosters import match_choices
from workflows.serializers import (
    ACTION_MULTIPART_SCHEMA,
    EXPORT_FORMATS,
    ActionRequestSerializer,
    CaseEventSerializer,
    CaseSerializer,
    CaseSummarySerializer,
    ChoiceSerializer,
    ErrorSerializer,
    NotificationReadSerializer,
    NotificationSerializer,
    OpenCaseSerializer,
    ProcedureSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    case_detail_json,
    case_summary_json,
    event_json,
    procedure_json,
)
from workflows.spec import FieldSpec, FieldType
from workflows.visibility import (
    access_case,
    exportable_regions,
    may_export,
    notifications_for,
    visible_cases,
)
from workflows.wording import placed

# --- what every view shares -------------------------------------------------------------------

_REFUSALS = {
    400: "请求有误或违反规则:code 说明原因,field 指出字段或参数;太早时带 not_before",
    401: "未登录,或令牌缺失、错误、过期",
    403: "在您的范围内,但您无权这样办理",
    404: "不存在,或不在您的范围内(两者不加区分)",
    409: "他人已先办理了这一环节(或事项已办结、撤回);催办时:您今天已催办过该环节"
         "(code already_nudged,not_before 为可再次催办的时间)",
    413: "请求体过大",
    429: "登录失败次数过多,暂时锁定",
}


def refusals(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error answers an endpoint can give, each as the one error body."""
    return {code: OpenApiResponse(ErrorSerializer, description=_REFUSALS[code])
            for code in statuses}


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, but a bad value is refused with the API's error body
    (``{"code": "invalid", "detail", "field"}``) rather than django-filter's own."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any],
                        view: APIView) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        problems = filterset.problems()
        if problems:
            raise problems[0]
        return cast(QuerySet[Any], filterset.qs)


def _actor(request: Request) -> User:
    """The signed-in user (the permission class has refused anonymous requests)."""
    return cast(User, request.user)


def _detail(user: Any, case_id: int) -> dict[str, Any]:
    case = access_case(user, case_id)
    case = (
        type(case).objects.filter(pk=case.pk)
        .select_related("region", "opened_by")
        .prefetch_related(
            Prefetch("tasks", queryset=Task.objects.order_by("pk")),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("seq")),
            Prefetch("notices", queryset=PublicityNotice.objects.prefetch_related("objections")),
            "attachment_set",
        )
        .get()
    )
    return case_detail_json(user, case)


def _body_refusal(body: serializers.Serializer[Any], labels: dict[str, str]) -> RuleError:
    """The first problem of a request body that did not validate, as a refusal."""
    name = next(iter(body.errors))
    if name not in labels:  # not an object, or something else than its fields
        return RuleError("invalid", _("请求体应为 JSON 对象。"))
    first = body.errors[name][0]
    missing = getattr(first, "code", "") in {"required", "blank", "null"}
    return RuleError("missing_field" if missing else "invalid",
                     (_("请填写“%(label)s”。") if missing else _("请正确填写“%(label)s”。"))
                     % {"label": labels[name]}, field=name)


def _strings(value: Any) -> Iterator[str]:
    """Every string (keys included) inside a parsed JSON value; without recursion, so that
    a value nested as deep as the parser allows is walked all the same."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _surrogate(text: str) -> bool:
    """A lone surrogate (``"\\ud800"`` in JSON): no text, and it cannot be encoded (the JSON
    body's parser, ``portal.api_errors.JSONParser``, refuses it as well)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _refuse_nul(value: Any, field: str) -> None:
    """A NUL character is no text a person typed, and PostgreSQL cannot store it."""
    if any("\x00" in text for text in _strings(value)):
        raise RuleError("invalid", _("不能含有空字符(NUL)。"), field=field)


# --- token ------------------------------------------------------------------------------------


def _locked_out(request: Request) -> Response | None:
    """django-axes locks (username, address) after too many failures. Its middleware would
    answer with the login page's HTML; the API answers with its own error body instead."""
    django_request = request._request
    if not getattr(django_request, "axes_locked_out", False):
        return None
    django_request.axes_locked_out = False  # type: ignore[attr-defined]  # answered here
    cool_off = get_cool_off(django_request) or timedelta(0)
    minutes = max(int(cool_off.total_seconds() // 60), 1)
    response = Response({"code": "locked_out",
                         "detail": ngettext("登录失败次数过多,已暂时锁定,请 %(n)s 分钟后再试。",
                                            "登录失败次数过多,已暂时锁定,请 %(n)s 分钟后再试。",
                                            minutes) % {"n": minutes}},
                        status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(request=TokenRequestSerializer, auth=[],
                   responses={200: TokenSerializer, **refusals(400, 413, 429)})
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        if not body.is_valid():
            refusal = _body_refusal(body, {"username": _("用户名"), "password": _("密码")})
            if refusal.code == "missing_field":
                refusal = RuleError("missing_field", _("请提供用户名和密码。"), field=refusal.field)
            raise refusal
        user = authenticate(request._request, username=body.validated_data["username"],
                            password=body.validated_data["password"])
        locked = _locked_out(request)
        if locked is not None:
            return locked
        if user is None or not user.is_active:
            raise RuleError("invalid_credentials", _("用户名或密码不正确。"))
        token, created = Token.objects.get_or_create(user=user)
        if not created and token.created < timezone.now() - timedelta(
            hours=settings.API_TOKEN_TTL_HOURS
        ):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


# --- procedures -------------------------------------------------------------------------------


class ProcedureList(APIView):
    @extend_schema(operation_id="procedures_list",
                   responses={200: ProcedureSerializer(many=True), **refusals(401)})
    def get(self, request: Request) -> Response:
        return Response([procedure_json(placed(spec, None),
                                        tenant_params.home_values(spec, request.user))
                         for spec in registry.all()])


class ProcedureDetail(APIView):
    @extend_schema(operation_id="procedures_retrieve",
                   responses={200: ProcedureSerializer, **refusals(401, 404)})
    def get(self, request: Request, code: str) -> Response:
        spec = registry.get(code)
        if spec is None:
            return Response({"code": "not_found", "detail": _("未找到该事项。")}, status=404)
        return Response(procedure_json(placed(spec, None),
                                       tenant_params.home_values(spec, request.user)))


# --- cases ------------------------------------------------------------------------------------


class CaseList(GenericAPIView[Case]):
    """The cases the user sees (filtered by ``workflows.filters.CaseFilter``); open a case."""

    pagination_class = Pagination
    filter_backends = [FilterBackend]
    filterset_class = CaseFilter
    serializer_class = CaseSummarySerializer  # describes case_summary_json for the schema

    def get_queryset(self) -> QuerySet[Case]:
        return visible_cases(self.request.user).select_related("region")

    @extend_schema(operation_id="cases_list",
                   responses={200: CaseSummarySerializer(many=True), **refusals(400, 401, 404)})
    def get(self, request: Request) -> Response:
        qs = self.filter_queryset(self.get_queryset()).order_by("-opened_at", "-pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([case_summary_json(c) for c in page or []])

    @extend_schema(operation_id="cases_create", request=OpenCaseSerializer,
                   responses={201: CaseSerializer, **refusals(400, 401, 403, 404, 413)})
    def post(self, request: Request) -> Response:
        body = OpenCaseSerializer(data=request.data)
        if not body.is_valid():
            raise _body_refusal(body, {"procedure": _("事项"), "region": _("村(社区)"),
                                       "title": _("标题")})
        case = gate.open_case(actor=_actor(request), procedure=body.validated_data["procedure"],
                              region=body.validated_data["region"],
                              title=body.validated_data["title"])
        return Response(_detail(request.user, case.pk), status=status.HTTP_201_CREATED)


class CaseDetail(APIView):
    @extend_schema(operation_id="cases_retrieve",
                   responses={200: CaseSerializer, **refusals(401, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(request.user, pk))


class CaseAction(APIView):
    # JSON, or multipart when a field is a file (contract 5); never form-encoded
    parser_classes = [p for p in cast(list[type[BaseParser]], api_settings.DEFAULT_PARSER_CLASSES)
                      if p.media_type in ("application/json", "multipart/form-data")]

    @extend_schema(
        operation_id="cases_actions_create",
        request={"application/json": ActionRequestSerializer,
                 "multipart/form-data": ACTION_MULTIPART_SCHEMA},
        responses={200: CaseSerializer, **refusals(400, 401, 403, 404, 409, 413)},
    )
    def post(self, request: Request, pk: int) -> Response:
        access_case(request.user, pk)  # 404 before anything else
        raw = request.data
        data: Any = raw.get("data") if hasattr(raw, "get") else None
        files = {}
        if request.content_type and request.content_type.startswith("multipart/"):
            if isinstance(data, str):
                try:
                    data = json.loads(data) if data.strip() else {}
                except (ValueError, RecursionError):  # a number too long to read: ValueError
                    raise RuleError("invalid", _("data 不是有效的 JSON。"), field="data") from None
                if any(_surrogate(text) for text in _strings(data)):
                    raise RuleError("invalid", _("data 含有无效的字符(孤立的代理项)。"),
                                    field="data")
            files = {name: request.FILES[name] for name in request.FILES}
        action = raw.get("action") if hasattr(raw, "get") else None
        if not action or not isinstance(action, str):
            raise RuleError("missing_field", _("请指明要执行的操作(action)。"), field="action")
        if data is not None and not isinstance(data, dict):
            raise RuleError("invalid", _("data 应为对象(JSON object)。"), field="data")
        comment = raw.get("comment") or ""
        if not isinstance(comment, str):
            raise RuleError("invalid", _("comment 应为文字。"), field="comment")
        expected = raw.get("step") or None
        if expected is not None and not isinstance(expected, str):
            raise RuleError("invalid", _("step 应为环节代码。"), field="step")
        _refuse_nul(action, "action")
        _refuse_nul(comment, "comment")
        _refuse_nul(expected, "step")
        for name, value in (data or {}).items():
            _refuse_nul([name, value], name)
        for name, upload in files.items():
            _refuse_nul(upload.name, name)
        gate.dispatch(actor=_actor(request), case_id=pk, action=action, data=data or {},
                      comment=comment, files=files, expected_step=expected)
        return Response(_detail(request.user, pk))


class CaseNudge(APIView):
    """催办: remind the holders of the case's open task (at most once a day per person and
    task). No body; answers the 催办 event recorded on the case."""

    @extend_schema(operation_id="cases_nudge", request=None,
                   responses={201: CaseEventSerializer, **refusals(400, 401, 403, 404, 409)})
    def post(self, request: Request, pk: int) -> Response:
        access_case(request.user, pk)  # 404 before anything else
        event = gate.nudge(actor=_actor(request), case_id=pk)
        return Response(event_json(event), status=status.HTTP_201_CREATED)


class CaseChoices(APIView):
    """The entries a ``ref`` field of an action may name (a field's ``choices_url``): the
    same list as its ``choices`` would be, narrowed by ``?q=`` (a name, part of a label, or
    pinyin: ``zs`` or ``zhangsan`` finds 张三)."""

    @extend_schema(
        operation_id="cases_choices",
        parameters=[
            OpenApiParameter("q", str, description="按名称、拼音首字母或全拼筛选"),
            OpenApiParameter("limit", int, description="最多返回多少项(1–1000,默认全部)"),
        ],
        responses={200: ChoiceSerializer(many=True), **refusals(400, 401, 404)},
    )
    def get(self, request: Request, pk: int, action: str, field: str) -> Response:
        case = access_case(request.user, pk)
        offer = next((o for o in available_actions(request.user, case)
                      if o.action.code == action), None)
        spec = _ref_field(offer.action.fields, field) if offer is not None else None
        if spec is None:
            return Response({"code": "not_found", "detail": _("未找到该字段。")}, status=404)
        q = request.query_params.get("q", "")
        _refuse_nul(q, "q")
        if len(q) > 50:
            raise RuleError("invalid", _("查询文字不能超过50个字。"), field="q")
        limit_text = request.query_params.get("limit", "")
        limit = None
        if limit_text:
            if not limit_text.isdigit() or not 1 <= int(limit_text) <= 1000:
                raise RuleError("invalid", _("limit 应为1到1000之间的整数。"), field="limit")
            limit = int(limit_text)
        found = match_choices(ref_choices(spec, case.region), q)[:limit]
        return Response([{"value": c.value, "label": str(c.label)} for c in found])


def _ref_field(fields: tuple[FieldSpec, ...], path: str) -> FieldSpec | None:
    """The ref field ``name`` of an action, or the ref column ``table.column`` of a table."""
    name, _, column = path.partition(".")
    fs = next((f for f in fields if f.name == name), None)
    if fs is not None and column:
        fs = fs.column(column) if fs.type == FieldType.TABLE else None
    return fs if fs is not None and fs.type == FieldType.REF else None


# --- notifications ----------------------------------------------------------------------------


class NotificationList(GenericAPIView[Notification]):
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    filterset_class = NotificationFilter
    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return Notification.objects.none()
        return notifications_for(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(operation_id="notifications_list",
                   responses={200: NotificationSerializer(many=True), **refusals(400, 401, 404)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationRead(APIView):
    @extend_schema(operation_id="notifications_read", request=None,
                   responses={200: NotificationReadSerializer, **refusals(401, 404)})
    def post(self, request: Request, pk: int) -> Response:
        updated = notifications_for(request.user).filter(pk=pk, read_at__isnull=True).update(
            read_at=timezone.now())
        if not updated and not notifications_for(request.user).filter(pk=pk).exists():
            return Response({"code": "not_found", "detail": _("未找到。")}, status=404)
        return Response({"id": pk, "read": True})


# --- registers --------------------------------------------------------------------------------


class RegisterList(APIView):
    @extend_schema(operation_id="registers_list",
                   responses={200: RegisterSerializer(many=True), **refusals(401)})
    def get(self, request: Request) -> Response:
        return Response([
            {
                "code": reg.code,
                "name": reg.title(region),
                "procedure": reg.procedure,
                "region": region.pk,
                "region_name": region.name,
                "pdf_url": reverse("api-register-export", args=[reg.code, region.pk, "pdf"]),
                "xlsx_url": reverse("api-register-export", args=[reg.code, region.pk, "xlsx"]),
            }
            for reg in all_registers()
            for region in exportable_regions(request.user, reg)
        ])


class RegisterExport(APIView):
    @extend_schema(
        operation_id="registers_export",
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH,
                                     enum=list(EXPORT_FORMATS), description="导出格式")],
        responses={
            **{(200, mime): OpenApiResponse(OpenApiTypes.BINARY, description=f"台账({fmt})")
               for fmt, mime in EXPORT_FORMATS.items()},
            **refusals(401, 404),
        },
    )
    def get(self, request: Request, code: str, region: int, fmt: str) -> HttpResponse:
        reg = get_register(code)
        if reg is None or fmt not in EXPORT_FORMATS:
            return Response({"code": "not_found", "detail": _("未找到该台账。")}, status=404)
        place = access_region(request.user, region)
        if not may_export(request.user, reg, place):
            return Response({"code": "not_found", "detail": _("未找到该台账。")}, status=404)
        return export(reg, place, fmt).response()


# --- the schema -------------------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, for signed-in users (session or token). A refusal is the API's
    JSON error body, whichever format (YAML or JSON) the schema was asked for in."""

    permission_classes = [IsAuthenticated]

    def finalize_response(self, request: Request, response: Response, *args: Any,
                          **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response


class DocsView(SpectacularSwaggerView):
    """The schema, to read and try in the browser (Swagger UI from drf-spectacular-sidecar's
    vendored files, no CDN), for signed-in users like the schema itself."""

    permission_classes = [IsAuthenticated]
    url_name = "api-schema"


# (method, URL name, keyword arguments as shown, what it does): the index at /api/
_INDEX: list[tuple[str, str, dict[str, Any], str]] = [
    ("POST", "api-token", {}, gettext_noop("用户名和密码换取令牌")),
    ("GET", "api-schema", {}, gettext_noop("OpenAPI 3 接口说明")),
    ("GET", "api-procedures", {}, gettext_noop("事项目录:每个事项的步骤、角色、廉政风险点")),
    ("POST", "api-procedures", {}, gettext_noop("区委组织部以数据定义本区事项")),
    ("GET", "api-procedure", {"code": "{code}"}, gettext_noop("一个事项")),
    ("GET", "api-cases", {}, gettext_noop("我能看到的事项记录(可按事项、村、状态、逾期筛选)")),
    ("POST", "api-cases", {}, gettext_noop("发起事项")),
    ("GET", "api-case", {"pk": 0},
     gettext_noop("一条事项记录:待办步骤、我能办理的操作及其字段、过程")),
    ("POST", "api-case-action", {"pk": 0}, gettext_noop("办理一步(或退回、撤回)")),
    ("POST", "api-case-nudge", {"pk": 0}, gettext_noop("催办:提醒当前环节的办理人(每人每天一次)")),
    ("GET", "api-notifications", {}, gettext_noop("我的通知")),
    ("POST", "api-notification-read", {"pk": 0}, gettext_noop("标记通知已读")),
    ("GET", "api-registers", {}, gettext_noop("我能导出的台账(PDF、Excel)")),
]


def index(request: Any) -> HttpResponse:
    """``/api/``: what the API offers, with the schema and its interactive view."""
    endpoints = []
    for method, name, kwargs, what in _INDEX:
        url = reverse(name, kwargs=kwargs or None)
        if kwargs:  # show the parameter, not a sample value
            url = url.replace("/0/", "/{id}/").replace("%7Bcode%7D", "{code}")
        endpoints.append({"method": method, "url": url, "description": _(what)})
    body = {
        "name": str(settings.SPECTACULAR_SETTINGS["TITLE"]),
        "version": str(settings.SPECTACULAR_SETTINGS["VERSION"]),
        "schema": reverse("api-schema"),
        "docs": reverse("api-docs"),
        "auth": _("会话(已登录)或令牌:POST /api/token/,再在请求头中发送 "
                  "Authorization: Token <令牌>。"),
        "endpoints": endpoints,
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")


def not_found(request: Any, path: str = "") -> HttpResponse:
    """Any other address under /api/: the API's 404, as JSON like every refusal."""
    body = json.dumps({"code": "not_found", "detail": _("未找到该接口。")}, ensure_ascii=False)
    return HttpResponse(body, status=404, content_type="application/json")

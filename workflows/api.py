"""The HTTP API of contract 5. Every read is scoped; every write goes through the gate."""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib.auth import authenticate
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import RuleError
from core.models import User
from core.scope import access_region
from workflows import gate
from workflows.choices import CaseState
from workflows.models import CaseEvent, PublicityNotice, Task
from workflows.registers import all_registers, export, get_register
from workflows.registry import registry
from workflows.serializers import (
    ActionSerializer,
    NotificationSerializer,
    OpenCaseSerializer,
    case_detail_json,
    case_summary_json,
    procedure_json,
)
from workflows.visibility import (
    access_case,
    exportable_regions,
    may_export,
    notifications_for,
    visible_cases,
)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


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


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request) -> Response:
        username = request.data.get("username") if hasattr(request.data, "get") else None
        password = request.data.get("password") if hasattr(request.data, "get") else None
        if not username or not password:
            return Response({"code": "missing_field", "detail": "请提供用户名和密码。"},
                            status=status.HTTP_400_BAD_REQUEST)
        user = authenticate(request._request, username=username, password=password)
        if user is None or not user.is_active:
            return Response({"code": "invalid_credentials", "detail": "用户名或密码不正确。"},
                            status=status.HTTP_400_BAD_REQUEST)
        from datetime import timedelta

        from django.conf import settings

        token, created = Token.objects.get_or_create(user=user)
        if not created and token.created < timezone.now() - timedelta(
            hours=settings.API_TOKEN_TTL_HOURS
        ):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


class ProcedureList(APIView):
    @extend_schema(operation_id="procedures_list", responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response([procedure_json(spec) for spec in registry.all()])


class ProcedureDetail(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, code: str) -> Response:
        spec = registry.get(code)
        if spec is None:
            return Response({"code": "not_found", "detail": "未找到该事项。"}, status=404)
        return Response(procedure_json(spec))


def _bool_param(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    lowered = value.lower()
    if lowered in {"1", "true", "yes"}:
        return True
    if lowered in {"0", "false", "no"}:
        return False
    raise RuleError("invalid", "overdue 只能是 true 或 false。", field="overdue")


class CaseList(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("procedure", str), OpenApiParameter("region", int),
            OpenApiParameter("state", str), OpenApiParameter("overdue", bool),
            OpenApiParameter("q", str), OpenApiParameter("page", int),
        ],
        operation_id="cases_list",
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        qs = visible_cases(request.user).select_related("region")
        params = request.query_params
        if params.get("procedure"):
            qs = qs.filter(procedure=params["procedure"])
        if params.get("region"):
            region = access_region(request.user, params["region"])
            qs = qs.filter(region__path__startswith=region.path)
        if params.get("state"):
            if params["state"] not in CaseState.values:
                raise RuleError("invalid", f"state 只能是 {', '.join(CaseState.values)}。",
                                field="state")
            qs = qs.filter(state=params["state"])
        overdue = _bool_param(params.get("overdue"))
        if overdue is not None:
            qs = qs.overdue(overdue)
        if params.get("q"):
            qs = qs.filter(title__icontains=params["q"][:100])
        qs = qs.order_by("-opened_at", "-pk")
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([case_summary_json(c) for c in page or []])

    @extend_schema(request=OpenCaseSerializer, responses={201: dict})
    def post(self, request: Request) -> Response:
        body = OpenCaseSerializer(data=request.data)
        if not body.is_valid():
            name = next(iter(body.errors))
            first = body.errors[name][0]
            missing = getattr(first, "code", "") in {"required", "blank", "null"}
            label = {"procedure": "事项", "region": "村(社区)", "title": "标题"}.get(name, name)
            raise RuleError("missing_field" if missing else "invalid",
                            f"请{'填写' if missing else '正确填写'}“{label}”。", field=name)
        case = gate.open_case(actor=_actor(request), procedure=body.validated_data["procedure"],
                              region=body.validated_data["region"],
                              title=body.validated_data["title"])
        return Response(_detail(request.user, case.pk), status=status.HTTP_201_CREATED)


class CaseDetail(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(request.user, pk))


class CaseAction(APIView):
    @extend_schema(request=ActionSerializer, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        access_case(request.user, pk)  # 404 before anything else
        raw = request.data
        data: Any = raw.get("data") if hasattr(raw, "get") else None
        files = {}
        if request.content_type and request.content_type.startswith("multipart/"):
            if isinstance(data, str):
                try:
                    data = json.loads(data) if data.strip() else {}
                except json.JSONDecodeError:
                    raise RuleError("invalid", "data 不是有效的 JSON。", field="data") from None
            files = {name: request.FILES[name] for name in request.FILES}
        action = raw.get("action") if hasattr(raw, "get") else None
        if not action or not isinstance(action, str):
            raise RuleError("missing_field", "请指明要执行的操作(action)。", field="action")
        if data is not None and not isinstance(data, dict):
            raise RuleError("invalid", "data 应为对象(JSON object)。", field="data")
        comment = raw.get("comment") or ""
        if not isinstance(comment, str):
            raise RuleError("invalid", "comment 应为文字。", field="comment")
        expected = raw.get("step") or None
        gate.dispatch(actor=_actor(request), case_id=pk, action=action, data=data or {},
                      comment=comment, files=files, expected_step=expected)
        return Response(_detail(request.user, pk))


class NotificationList(APIView):
    @extend_schema(responses={200: NotificationSerializer(many=True)})
    def get(self, request: Request) -> Response:
        qs = notifications_for(request.user).order_by("-created_at", "-pk")
        if request.query_params.get("unread") in {"1", "true"}:
            qs = qs.filter(read_at__isnull=True)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationRead(APIView):
    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        updated = notifications_for(request.user).filter(pk=pk, read_at__isnull=True).update(
            read_at=timezone.now())
        if not updated and not notifications_for(request.user).filter(pk=pk).exists():
            return Response({"code": "not_found", "detail": "未找到。"}, status=404)
        return Response({"id": pk, "read": True})


class RegisterList(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return Response([
            {
                "code": reg.code,
                "name": reg.name,
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
    @extend_schema(responses={200: bytes})
    def get(self, request: Request, code: str, region: int, fmt: str) -> HttpResponse:
        reg = get_register(code)
        if reg is None or fmt not in {"pdf", "xlsx"}:
            return Response({"code": "not_found", "detail": "未找到该台账。"}, status=404)
        place = access_region(request.user, region)
        if not may_export(request.user, reg, place):
            return Response({"code": "not_found", "detail": "未找到该台账。"}, status=404)
        body, mime, filename = export(reg, place, fmt)
        response = HttpResponse(body, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


__all__ = ["FileResponse"]

"""Accounts and the home page (my tasks). Views are thin: look up, check, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.places import kind_of, place_words
from core.roles import Level
from core.scope import get_scope
from portal.demo import DEMO_PASSWORD, PLACES, demo_logins
from portal.forms import LoginForm
from workflows.calendar import missing_holiday_years
from workflows.registry import registry
from workflows.visibility import (
    can_audit,
    inbox,
    lands_on_dashboard,
    notifications_for,
    starts_anything,
    urgency,
)
from workflows.web.display import time_left
from workflows.wording import placed

SOON = dt.timedelta(days=3)
TASKS_PER_PAGE = 50


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": _("登录")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.DEBUG:  # the demo: say whom to log in as, never in production
            context["demo_logins"] = demo_logins()
            context["demo_password"] = DEMO_PASSWORD
            village = Region.objects.filter(code=PLACES[2].code).first()
            context["demo_board"] = village
        return context


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")
    extra_context = {"title": _("修改密码")}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
    extra_context = {"title": _("密码已修改")}


def missing_years(user: Any) -> list[int]:
    """The years whose working days nobody entered, told to a district or a township."""
    levels = get_scope(user).levels()
    return missing_holiday_years() if levels & {Level.DISTRICT, Level.TOWNSHIP} else []


def ways_for(user: Any, regions: dict[int, Region]) -> list[dict[str, Any]]:
    """Where a user with no task is sent from an empty 我的待办, by what their roles allow:
    an ordinary Party member, a supervisor, a collective's head between two approvals."""
    villages = sorted({r.pk: r for r in regions.values() if r.level == Level.VILLAGE}.values(),
                      key=lambda r: r.path)
    ways: list[dict[str, Any]] = []
    if any(can_audit(user, v) for v in villages):
        ways.append({"url": reverse("audit_index"), "name": _("监督检查"),
                     "what": _("核验本村(社区)每件事项的办理记录链,下载全程纪实PDF,查看预警。")})
    starts = starts_anything(user)
    if starts:
        ways.append({"url": reverse("workflows:procedures"), "name": _("发起事项"),
                     "what": _("在事项目录中选择事项,按流程发起。")})
    for village in villages[:3]:
        ways.append({"url": reverse("board", args=[village.pk]),
                     "name": _("%(place)s公开栏") % {"place": village.name},
                     "what": _("正在公示和已结束的公示;对公示有意见可在线提出异议。")})
    if not starts:
        ways.append({"url": reverse("workflows:procedures"), "name": _("办事指南"),
                     "what": _("每个事项的流程、时限、廉政风险点和防控措施。")})
    return ways


@login_required
def home(request: HttpRequest, *, land: bool = True) -> HttpResponse:
    """My tasks: every open step of my roles in my places, emergencies first, then by the
    time left (overdue first, then due soonest).

    TASKS_PER_PAGE at a time (a township's secretary can hold hundreds); the
    counts in the summary are over all of them, in one query. A user of district roles
    only lands on the dashboard instead (``land``; /inbox/ still shows the tasks).
    """
    if land and lands_on_dashboard(request.user):
        return redirect("dashboard")
    now = timezone.now()
    scope = get_scope(request.user)
    mine = inbox(request.user)
    totals = mine.order_by().aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)),
        soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + SOON)))
    paginator = Paginator(mine.annotate(urgent=urgency()).order_by(
        "urgent", F("due_at").asc(nulls_last=True), "opened_at", "pk"), TASKS_PER_PAGE)
    paginator.count = totals["n"]  # known already: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    tasks = list(page.object_list)
    for task in tasks:
        task.time_left = time_left(task.due_at, now)  # type: ignore[attr-defined]
        spec = registry.get(task.case.procedure)
        spec = placed(spec, None) if spec else None  # in the reader's language
        task.procedure_name = spec.name if spec else task.case.procedure  # type: ignore[attr-defined]
        task.step_name = (spec.step(task.step).name  # type: ignore[attr-defined]
                          if spec and spec.has_step(task.step) else task.step)
        task.is_overdue = bool(task.due_at and task.due_at < now)  # type: ignore[attr-defined]
        task.is_soon = bool(task.due_at and now <= task.due_at < now + SOON)  # type: ignore[attr-defined]
    regions = Region.objects.in_bulk([h.region_id for h in scope.held])
    # the role in the words of its place: 村委会委员 in a 村, 居委会委员 in a 社区
    held: list[dict[str, Any]] = [
        {"role": h.role, "label": place_words(h.role.label, kind_of(regions.get(h.region_id))),
         "region_name": regions[h.region_id].name if h.region_id in regions else ""}
        for h in scope.held]
    notes = notifications_for(request.user)
    return render(request, "portal/home.html", {
        # with nothing to do, what this user can do here instead
        "ways": [] if totals["n"] else ways_for(request.user, regions),
        "tasks": tasks,
        "page": page,
        "total": totals["n"],
        "held": held,
        "notifications": notes.select_related("case").order_by("-created_at", "-pk")[:5],
        "overdue": totals["overdue"],
        "soon": totals["soon"],
        "unread": notes.filter(read_at__isnull=True).count(),
        # a district or township is told of a year whose working days nobody entered
        "missing_years": missing_years(request.user),
        # no 发起事项 button for one whose roles open no procedure (a district bureau)
        "can_start": starts_anything(request.user),
        "title": _("我的待办"),
    })

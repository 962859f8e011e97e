"""Accounts and the home page (my tasks). Views are thin: look up, check, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.roles import Level
from core.scope import get_scope
from portal.demo import DEMO_PASSWORD, PLACES, demo_logins
from portal.forms import LoginForm
from portal.inbox import inbox_context
from workflows.calendar import missing_holiday_years
from workflows.visibility import (
    can_audit,
    lands_on_dashboard,
    latest_notifications,
    starts_anything,
)


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
    notes, unread = latest_notifications(request.user, 5)
    context = inbox_context(
        request, ways_for, notifications=notes, unread=unread,
        # a district or township is told of a year whose working days nobody entered
        missing_years=missing_years(request.user),
        # no 发起事项 button for one whose roles open no procedure (a district bureau)
        can_start=starts_anything(request.user))
    return render(request, "portal/home.html", {
        **context,
        "nav_unread": unread,  # the bell's count: not counted twice (portal_nav)
        "title": _("我的待办"),
    })

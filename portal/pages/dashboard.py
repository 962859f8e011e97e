"""The oversight dashboard of district bureaus and townships: the district's home.

District roles land here (``portal.views.home``). The counts are
``portal.pages.dashboard_data``; the Excel workbook ``portal.pages.dashboard_export``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.roles import Level
from core.scope import visible_regions
from portal.pages.dashboard_data import (
    CASE_LIST_URL,
    Dashboard,
    Row,
    build_dashboard,
    columns,
    rank_columns,
)
from portal.pages.dashboard_export import export_response
from portal.views import missing_years
from workflows.choices import CaseState
from workflows.filters import procedure_options
from workflows.visibility import (
    inbox,
    lands_on_dashboard,
    oversight_places,
    oversight_roles,
    require_oversight,
)


def heading(user: Any) -> str:
    return "、".join(sorted(str(role.label) for role in oversight_roles(user)))


def scope_name(user: Any, board: Dashboard) -> str:
    """The place the board counts: the place chosen, or where the user oversees."""
    if board.chosen_region is not None:
        return board.chosen_region.name
    return "、".join(r.name for r in oversight_places(user))


def tiles(total: Row) -> list[dict[str, Any]]:
    """The four numbers at the top, each with the cases it counts."""
    c = total.counts
    return [
        {"n": c.open, "label": _("办理中"), "css": "", "url": total.url(state=CaseState.OPEN)},
        {"n": c.overdue, "label": _("逾期未办"), "css": "danger",
         "url": total.url(state=CaseState.OPEN, overdue=1)},
        {"n": c.publicity, "label": _("公示中"), "css": "notice", "url": total.url(publicity=1)},
        {"n": c.closed, "label": _("已办结"), "css": "ok",
         "url": total.url(state=CaseState.CLOSED)},
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_oversight(request.user)
    board = build_dashboard(request.user, procedure=request.GET.get("procedure", ""),
                            region_id=request.GET.get("region", ""))
    place = scope_name(request.user, board)
    if request.GET.get("format") == "xlsx":
        return export_response(board, place=place, heading=heading(request.user))
    all_procedures = procedure_options(request.user)
    all_regions = list(visible_regions(request.user)
                       .filter(level__in=[Level.TOWNSHIP, Level.VILLAGE]).order_by("path"))
    export_query = urlencode({k: v for k, v in {
        "procedure": board.chosen_procedure,
        "region": board.chosen_region.pk if board.chosen_region else "",
        "format": "xlsx"}.items() if v})
    # the district's home: its own tasks (rare) are said here, with the way to them
    home = lands_on_dashboard(request.user)
    total = Row(str(_("合计")), "total", board.total(), board.base_params)
    return render(request, "pages/dashboard.html", {
        "title": _("事项办理看板"),
        "board": board,
        "total": board.total(),
        "total_row": total,
        "tiles": tiles(total),
        "procedure_rows": board.procedure_rows(),
        "region_rows": board.region_rows(),
        "township_rows": board.township_rows(),
        "ranking": board.ranking(),
        "trend_rows": board.trend_rows(),
        "columns": columns(),
        "rank_columns": rank_columns(),
        "all_procedures": all_procedures,
        "all_regions": all_regions,
        "heading": heading(request.user),
        "place": place,
        "export_query": export_query,
        "case_list_url": CASE_LIST_URL,
        "tasks_waiting": inbox(request.user).count() if home else 0,
        "missing_years": missing_years(request.user) if home else [],
    })

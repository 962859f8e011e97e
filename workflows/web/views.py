"""Browser pages for working cases. Thin: access_* look-ups, gate calls, render.

Forms are never written per procedure: what a user may do is ``actions_json`` (the
API's own description), turned into inputs by ``workflows.web.forms``; a refusal
of the gate (``RuleError``) is shown next to the field it names, and the form
keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import AlreadyNudged, Conflict, OutOfScope, RuleError
from core.models import User
from core.places import PlaceKind, kind_of, place_words
from core.roles import Level
from core.scope import visible_regions
from workflows import gate
from workflows import params as tenant_params
from workflows.acting import openable_villages
from workflows.choices import CaseState, NoticeState
from workflows.filters import CaseFilter, procedure_options
from workflows.models import Case
from workflows.registry import registry
from workflows.serializers import actions_json
from workflows.spec import ActionSpec, ProcedureSpec
from workflows.visibility import (
    access_case,
    access_notice,
    audit_only_in,
    home_kind,
    notifications_for,
    public_notice,
    require_review,
    township_villages,
    visible_cases,
)
from workflows.web import casepage, catalogue, display, pending, queue, widgets
from workflows.web.forms import REASON_LABELS, Submitted, read_form, widget_fields
from workflows.web.meeting import meeting_fields, roll_of_day, verdict
from workflows.web.pdf import notice_pdf as render_pdf
from workflows.web.queries import (
    CappedPaginator,
    case_for_page,
    month_starts,
    my_villages,
    village_overview,
    with_open_tasks,
)
from workflows.wording import placed

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- the catalogue --------------------------------------------------------------------------


@login_required
def procedures(request: HttpRequest) -> HttpResponse:
    """Every procedure by category, searchable (``?q=``), 可发起 or who starts it."""
    kind = home_kind(request.user)
    specs = [placed(s, kind) for s in registry.all()]
    page = catalogue.catalogue(specs, request.user, my_villages(request.user), kind,
                               request.GET.get("q", ""))
    return render(request, "workflows/procedures.html", {**page, "title": _("事项目录")})


def _steps(spec: ProcedureSpec, values: Mapping[str, int | Fraction] | None = None,
           place: PlaceKind | None = None) -> list[dict[str, Any]]:
    values = values or {}
    return [{"step": s, "actors": display.listed(display.role_label(r, place) for r in s.roles),
             "level": place_words(Level(s.level).label, place),
             "description": spec.fill(s.description, values),
             "publicity": s.publicity.days.describe(values.get(s.publicity.days.name))
             if s.publicity else ""} for s in spec.steps]


def _flow_stages(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The procedure page's flow in runs of one stage (none for a procedure without
    stages), each with the number of its first step."""
    if not any(row["step"].stage for row in steps):
        return []
    runs: list[dict[str, Any]] = []
    for number, row in enumerate(steps, start=1):
        if not runs or runs[-1]["name"] != row["step"].stage:
            runs.append({"name": row["step"].stage, "start": number, "steps": []})
        runs[-1]["steps"].append(row)
    return runs


def _description(case: Case, spec: ProcedureSpec | None) -> str:
    """The current step's description with the numbers the case's village follows."""
    if spec is None or not case.current_step or not spec.has_step(case.current_step):
        return ""
    text = spec.step(case.current_step).description
    if "{" not in text:
        return text
    return spec.fill(text, tenant_params.effective_all(spec, case.region))


def _texts(spec: ProcedureSpec, user: Any) -> dict[str, Any]:
    """What the catalogue and the procedure page print of a spec, with the numbers in force
    where the user works: the steps, the summary, risks and measures, and every number with
    its source."""
    values = tenant_params.home_values(spec, user)
    steps = _steps(spec, values, home_kind(user))
    return {
        "steps": steps, "flow_stages": _flow_stages(steps),
        "summary": spec.fill(spec.summary, values),
        "risks": spec.risks_in_force(values),
        "measures": [spec.fill(m, values) for m in spec.measures],
        "params": [tenant_params.param_json(p, values.get(name))
                   for name, p in sorted(spec.all_params().items(),
                                         key=lambda item: item[1].label)],
    }


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _spec_or_404(code: str, user: Any = None) -> ProcedureSpec:
    """The procedure, in the words of the user's villages or communities."""
    spec = registry.get(code)
    if spec is None:
        raise Http404
    return placed(spec, home_kind(user)) if user is not None else spec


@login_required
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    spec = _spec_or_404(code, request.user)
    villages = openable_villages(request.user, spec, my_villages(request.user))
    return render(request, "workflows/procedure_detail.html", {
        "spec": spec, **_texts(spec, request.user), "villages": villages, "title": spec.name,
        "form": {"title": "", "region": str(villages[0].pk) if len(villages) == 1 else ""},
    })


@login_required
def open_case(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the form (village and title); POST: open the case through the gate."""
    spec = _spec_or_404(code, request.user)
    villages = openable_villages(request.user, spec, my_villages(request.user))
    form = {"title": request.POST.get("title", ""), "region": request.POST.get("region", "")}
    error: RuleError | None = None
    if request.method == "POST":
        try:
            case = gate.open_case(actor=_user(request), procedure=spec.code,
                                  region=_int(form["region"]), title=form["title"])
        except OutOfScope:
            error = RuleError("invalid_region", _("请选择您可以发起此事项的村(社区)。"),
                              field="region")
        except RuleError as err:
            error = err
        else:
            messages.success(request, _("已发起“%(title)s”,请办理第一步。") % {"title": case.title})
            return redirect("workflows:case_detail", case.pk)
    status = 200 if error is None else 400
    return render(request, "workflows/procedure_detail.html", {
        "spec": spec, **_texts(spec, request.user), "villages": villages, "title": spec.name,
        "form": form, "error": error, "open_form": True,
    }, status=status)


# --- lists -----------------------------------------------------------------------------------


# the case list's filters set only by the dashboard's links (workflows.filters.CaseFilter)
DRILL_DOWN_FILTERS = ("publicity", "late", "opened_month", "closed_month")


def _options(choices: Iterable[tuple[str, str]], chosen: str) -> SafeString:
    """``<option>`` elements of a filter's choices, the chosen one selected."""
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (value, " selected" if value == chosen else "", label)  # " selected" needs no escaping
        for value, label in choices))


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Visible cases with filters and search; paginated; a fixed number of queries per page."""
    params = request.GET
    chosen = {k: params.get(k, "").strip() for k in
              ("procedure", "state", "overdue", "region", "from", "to", "q")}
    # the API's filters (workflows.filters); a bad value is left out here, and said so
    found = CaseFilter(params, queryset=visible_cases(request.user), request=request)
    for problem in found.problems():
        messages.warning(request, _("%(problem)s该条件未采用。") % {"problem": problem.detail})
    # the filters a dashboard's number links with that the form has no field for: said, and
    # kept when the form is sent again
    refused = {p.field for p in found.problems()}
    drilled = [{"name": name, "value": params[name], "label": found.filters[name].label}
               for name in DRILL_DOWN_FILTERS if params.get(name, "").strip()
               and name not in refused]
    qs = with_open_tasks(found.qs.order_by("-opened_at", "-pk"))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(params.get("page"))
    now = timezone.now()
    rows = []
    for case in page.object_list:
        spec = case.spec
        task = case.open_tasks[0] if case.open_tasks else None
        rows.append({
            "case": case, "procedure": spec.name if spec else case.procedure,
            "step": display.step_name(spec, case.current_step),
            "due": task.due_at if task else None,
            "left": display.time_left(task.due_at, now) if task else "",
            "late": bool(task and task.due_at and task.due_at < now),
        })
    query = params.copy()
    query.pop("page", None)
    places = visible_regions(request.user).exclude(level=Level.DISTRICT).order_by("path")
    return render(request, "workflows/case_list.html", {
        "rows": rows, "page": page, "chosen": chosen, "query": query.urlencode(),
        # a district's few hundred places as options: joined here, not looped in the template
        "procedure_options": _options(
            ((s.code, f"{s.code} {s.name}") for s in procedure_options(request.user)),
            chosen["procedure"]),
        "states": CaseState.choices,
        "place_options": _options(
            ((str(p["pk"]), f"  {p['name']}" if p["level"] == Level.VILLAGE else p["name"])
             for p in places.values("pk", "name", "level")), chosen["region"]),
        "drilled": drilled,
        "title": "事项办理记录",
    })


# --- the case page ----------------------------------------------------------------------------


def _case_page(request: HttpRequest, case_id: int, *, error: RuleError | None = None,
               active: str = "", typed: Submitted | None = None, comment: str = "",
               status: int = 200) -> HttpResponse:
    user = request.user
    case = case_for_page(access_case(user, case_id))
    spec = case.spec
    now = timezone.now()
    events = list(case.events.all())
    actions = actions_json(user, case)
    error_field = error.field if error else None
    error_text = error.detail if error else ""
    errors = widgets.error_map(error)
    # one query, only when a form of the page takes a file
    kept = pending.kept_for(user, case) if any(
        f["type"] == "file" for a in actions for f in a["fields"]) else {}
    tasks = [t for t in case.tasks.all() if t.state == "open"]
    task = tasks[0] if tasks else None
    posted = list(case.notices.all())
    notices = [{"notice": n, "left": display.time_left(n.earliest_end, now),
                "open": n.state == NoticeState.RUNNING and n.earliest_end > now}
               for n in posted]
    opened = casepage.default_action(actions,
                                     publicity_running=any(n["open"] for n in notices))
    forms = []
    for act in actions:
        mine = act["code"] == active
        fields = widget_fields(act, typed.typed if (mine and typed) else None,
                               errors=errors if mine else {}, pending=kept.get(act["code"]),
                               case_id=case.pk)
        listed = widgets.summary(fields, errors) if mine and error is not None else []
        shown_error = mine and error is not None and not any(i["href"] for i in listed)
        forms.append({
            **act, "widgets": fields, "open": mine or (not active and act["code"] == opened),
            "backward": act["kind"] in casepage.BACKWARD,
            "confirm_error": error_text if (mine and error_field == "confirm") else "",
            "comment": comment if mine else "",
            "reason_label": REASON_LABELS.get(act["code"], ""),
            "error": error if (mine and shown_error and error_field != "reason") else None,
            "reason_error": error_text if (mine and error_field == "reason") else "",
            "field_error": error if (mine and not shown_error) else None,
            # every error of the submission, linked to its field, for the list at the top
            "error_list": listed if len(listed) > 1 or not shown_error else [],
            "has_meeting": any(f["type"] == "meeting" for f in act["fields"]),
            "has_file": any(f["type"] == "file" for f in act["fields"]),
        })
    steps = display.step_states(case, spec, events)
    band = casepage.band(case, task, posted, now, kind_of(case.region))
    return render(request, "workflows/case_detail.html", {
        "case": case, "spec": spec, "title": case.title,
        # called by the template only when the cached timeline is missing (see there)
        "timeline": partial(casepage.timeline, case, spec, events, case.attachment_set.all(),
                            case.meetings.all()),
        "steps": steps, "folded": any(s.far for s in steps),
        "stage_groups": display.stage_groups(steps),
        "submitted": casepage.submitted_files(spec, events, case.attachment_set.all()),
        "current_step": spec.step(case.current_step) if spec and case.current_step
        and spec.has_step(case.current_step) else None,
        "current_description": _description(case, spec),
        "task": task, "task_left": display.time_left(task.due_at, now) if task else "",
        "task_late": bool(task and task.due_at and task.due_at < now),
        "forms": forms, "error": error if error and not active else None,
        "field_texts": widgets.script_texts() if forms else {},
        "notices": notices, "read_only": not actions and case.state == CaseState.OPEN,
        "audit_only": audit_only_in(user, case.region),
        "band": band, "nudge": casepage.nudge_button(user, case, task, band, now),
    }, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, pk)


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one action of the case page to the gate; on refusal redraw the page with the reason."""
    case = access_case(request.user, pk)
    code = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    expected = request.POST.get("step") or None
    offered = next((a for a in actions_json(request.user, case) if a["code"] == code), None)
    if offered and offered["kind"] in casepage.BACKWARD and request.POST.get("confirm") != "1":
        # a way back undoes work: the page asks for it to be confirmed (the API does not)
        refused = RuleError("confirm_required",
                            _("请勾选确认后再%(action)s。") % {"action": offered["name"]},
                            field="confirm")
        return _case_page(request, pk, active=code, comment=comment, status=400, error=refused)
    sent = read_form(offered["fields"] if offered else [], request.POST, request.FILES)
    actor = _user(request)
    # the files kept from a refused submission go to the gate unless others were chosen
    with pending.take(actor, case, code, sent) as reused:
        try:
            gate.dispatch(actor=actor, case_id=case.pk, action=code, data=sent.data,
                          files=sent.files, comment=comment, expected_step=expected)
        except OutOfScope:
            raise Http404 from None
        except Conflict as err:
            return _case_page(request, pk, error=err, status=err.http_status)
        except RuleError as err:
            if offered:
                pending.keep(actor, case, code, offered["fields"], sent, err, already=reused)
            return _case_page(request, pk, error=err, active=code if offered else "",
                              typed=sent, comment=comment, status=err.http_status)
    pending.discard(actor, case, code)
    done = {"return": _("已退回"), "withdraw": _("已撤回")}.get(
        code, _("已办理:%(action)s") % {"action": offered["name"]} if offered else _("已办理"))
    messages.success(request, done)
    return redirect("workflows:case_detail", pk)


@login_required
@require_POST
def case_nudge(request: HttpRequest, pk: int) -> HttpResponse:
    """催办 from the case page's band: through the gate, then back to the case with what
    happened (whom it reminded, or why not)."""
    case = access_case(request.user, pk)
    try:
        event = gate.nudge(actor=_user(request), case_id=case.pk,
                           expected_step=request.POST.get("step") or None)
    except OutOfScope:
        raise Http404 from None
    except AlreadyNudged as err:
        messages.warning(request, err.detail)
    except RuleError as err:
        messages.error(request, err.detail)
    else:
        who = display.listed(str(p.get("name", "")) for p in event.data.get("to") or [])
        messages.success(request, _("已催办,已通知 %(who)s。") % {"who": who})
    return redirect("workflows:case_detail", pk)


@login_required
@require_POST
def meeting_check(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """htmx: quorum and result of the meeting being entered, judged as the gate would."""
    case, act = _meeting_action(request, pk, action)
    results = [{"field": fs, "v": verdict(case, act, fs, request.POST)}
               for fs in meeting_fields(act)]
    return render(request, "workflows/_meeting_check.html", {"results": results})


@login_required
@require_POST
def meeting_roll(request: HttpRequest, pk: int, action: str, field: str) -> HttpResponse:
    """htmx: the roll of a meeting field for the day and the body chosen (the checklist)."""
    case, act = _meeting_action(request, pk, action)
    fs = next((f for f in meeting_fields(act) if f.name == field), None)
    if fs is None:
        raise Http404
    shown = roll_of_day(case, act, fs, request.POST)
    if shown.get("signature") and shown["signature"] == request.POST.get(f"f_{fs.name}.roll"):
        return HttpResponse(status=204)  # the same roll as on the page: keep its ticks
    return render(request, "workflows/_meeting_roll.html",
                  {"r": shown, "key": slugify(f"m-{act.code}")})


def _meeting_action(request: HttpRequest, pk: int, action: str) -> tuple[Case, ActionSpec]:
    """The case (404 out of scope) and the action of its current step with a meeting."""
    case = access_case(request.user, pk)
    spec = case.spec
    if spec is None or not case.current_step or not spec.has_step(case.current_step):
        raise Http404
    act = spec.step(case.current_step).action(action)
    if act is None or not meeting_fields(act):
        raise Http404
    return case, act


def pdf_language(request: HttpRequest) -> str:
    """The language a PDF is printed in: ``?lang=`` when it names one of the portal's
    languages, the reader's otherwise."""
    chosen = request.GET.get("lang", "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language() or settings.LANGUAGE_CODE


def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as posted: for those who see its case, as printed; for anyone else, the
    copy the public board links to (personal numbers masked), when the board shows it."""
    notice = None
    if request.user.is_authenticated:
        try:
            notice = access_notice(request.user, pk)
        except Http404:
            notice = None
    public = notice is None
    if notice is None:
        notice = public_notice(pk)
    with translation.override(pdf_language(request)):
        pdf = render_pdf(notice, public=public)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


# --- notifications ----------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    qs = notifications_for(request.user).select_related("case").order_by("-created_at", "-pk")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "workflows/notifications.html", {
        "page": page, "unread": notifications_for(request.user)
        .filter(read_at__isnull=True).count(), "title": "通知",
    })


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    note = notifications_for(request.user).filter(pk=pk).first()
    if note is None:
        raise Http404
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if note.case_id:
        return redirect("workflows:case_detail", note.case_id)
    return redirect("workflows:notifications")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponseRedirect:
    qs = notifications_for(request.user).filter(read_at__isnull=True)
    if request.POST.get("id"):
        qs = qs.filter(pk=request.POST["id"])
    count = qs.update(read_at=timezone.now())
    messages.success(request, f"已将{count}条通知标为已读。")
    return redirect("workflows:notifications")


# --- township review --------------------------------------------------------------------------


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """Township reviewers: their villages' tasks at township level, filtered and most urgent
    first, with batches where a step allows them, and a per-village overview."""
    require_review(request.user)
    return _review_page(request)


def _review_page(request: HttpRequest, *, summary: queue.Batch | None = None,
                 comment: str = "", error: RuleError | None = None) -> HttpResponse:
    found = queue.queue_page(request.user, request.GET)
    for problem in found.problems:
        messages.warning(request, _("%(problem)s该条件未采用。") % {"problem": problem.detail})
    this, last = month_starts(timezone.now())
    return render(request, "workflows/review.html", {
        "queue": found, "rows": found.rows, "page": found.page, "query": found.query,
        "any_batch": any(r["batch"] for r in found.rows),
        "overview": village_overview(request.user, township_villages(request.user)),
        "summary": summary, "comment": comment, "batch_error": error,
        "month": this, "last_month": last, "title": "镇(街道)审核",
    }, status=error.http_status if error else 200)


@login_required
@require_POST
def review_batch(request: HttpRequest) -> HttpResponse:
    """Do the ticked cases of one step with one opinion, one gate call each; say which went
    through and which not, and why (the page keeps the filters of the query string)."""
    require_review(request.user)
    comment = request.POST.get("comment", "")
    try:
        summary = queue.run_batch(actor=_user(request), picks=request.POST.getlist("pick"),
                                  opinion=comment)
    except RuleError as err:
        return _review_page(request, comment=comment, error=err)
    return _review_page(request, summary=summary, comment="" if not summary.refused else comment)

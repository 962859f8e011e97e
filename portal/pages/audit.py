"""The supervisory committee's audit view of its village, and the 全程纪实 PDF of a case.

Who: the village's 村(居)务监督委员会 and 集体经济组织监事会 members, any township role
above the village, the district organisation department and leadership
(``workflows.visibility.can_audit``). Everyone else gets 404.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import CharField, Count, IntegerField, Prefetch, Sum, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.dates import local_moment
from core.downloads import content_disposition, file_name, local_date
from core.places import kind_of
from workflows import params as tenant_params
from workflows.chaincheck import raise_record_alerts, village_chains
from workflows.choices import AlertKind, CaseState
from workflows.models import (
    Alert,
    Attachment,
    Case,
    CaseEvent,
    ChainCheck,
    MeetingRecord,
    Objection,
    PublicityNotice,
)
from workflows.pdfparts import Pieces, parted_pdf
from workflows.pdfstamp import css_string
from workflows.record import build_record
from workflows.registry import registry
from workflows.verify import Stored, domain_rows, verify_case_events
from workflows.visibility import access_case, audit_cases, audit_villages, can_audit
from workflows.wording import placed

CASES_PER_PAGE = 10
ALERTS_SHOWN = 30


def _problem_cases(visible: Any, problems: dict[int, str], shown: list[Case],
                   heads: dict[int, Case]) -> list[Case]:
    """The cases with a problem, in the list's order (newest first): those the page and the
    chain check read already, and only the others read now."""
    known = {**heads, **{c.pk: c for c in shown}}
    found = [known[pk] for pk in problems if pk in known]
    missing = [pk for pk in problems if pk not in known]
    if missing:
        found += list(visible.filter(pk__in=missing))
    return sorted(found, key=lambda c: (c.opened_at, c.pk), reverse=True)


@login_required
def audit_index(request: HttpRequest) -> HttpResponse:
    """Straight to the one village the user audits, or a list to choose from."""
    villages = audit_villages(request.user)
    if not villages:
        raise Http404
    if len(villages) == 1:
        return redirect("audit", region_id=villages[0].pk)
    return render(request, "pages/audit_index.html",
                  {"villages": villages, "title": "村(居)务监督"})


@login_required
def audit(request: HttpRequest, region_id: int) -> HttpResponse:
    villages = audit_villages(request.user, with_checks=True)
    village = next((v for v in villages if v.pk == region_id), None)
    if village is None:  # missing, not a village, or not one this user audits
        raise Http404
    visible = audit_cases(request.user, village)
    # the cases by procedure and state, and the village's alerts by kind, in one query: the
    # alerts' rows come with an empty state (a case always has one)
    both = list(
        visible.order_by().values("procedure", "state")
        .annotate(n=Count("pk"), n_events=Sum("event_count"))
        .values_list("procedure", "state", "n", "n_events")
        .union(Alert.objects.filter(region=village).order_by().values("kind")
               .annotate(none=Value("", output_field=CharField()), n=Count("pk"),
                         n_events=Value(0, output_field=IntegerField()))
               .values_list("kind", "none", "n", "n_events"), all=True))
    counts = [row for row in both if row[1]]
    alert_counts = {kind: n for kind, state_, n, _e in both if not state_}
    # the cases changed since the stored check are verified below, with those shown
    chains = village_chains(village, totals=(sum(r[2] for r in counts),
                                             sum(r[3] or 0 for r in counts)),
                            verify_changed=False)
    problems = chains.problems

    procedure = request.GET.get("procedure", "")
    state = request.GET.get("state", "")
    only = request.GET.get("case", "")
    listed = visible.select_related("opened_by")
    if procedure:
        listed = listed.filter(procedure=procedure)
    if state in CaseState.values:
        listed = listed.filter(state=state)
    if only.isdigit():
        listed = listed.filter(pk=int(only))
    if request.GET.get("problems") and problems:
        listed = listed.filter(pk__in=list(problems))
    paginator = Paginator(listed.order_by("-updated_at", "-pk"), CASES_PER_PAGE)
    if not only and not request.GET.get("problems"):  # counted above already
        paginator.count = sum(n for p, st, n, _ in counts
                              if (not procedure or p == procedure)
                              and (state not in CaseState.values or st == state))
    page = paginator.get_page(request.GET.get("page"))
    cases = list(page.object_list)
    ids = [c.pk for c in cases]
    # the rows of the cases shown and of those changed since the stored check, read once
    also = [c for c in chains.changed if c.pk not in set(ids)]
    ids_read = ids + [c.pk for c in also]

    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.filter(case_id__in=ids_read).order_by("case_id", "seq"):
        events[event.case_id].append(event)
    attachments: dict[int, list[Attachment]] = defaultdict(list)
    for att in Attachment.objects.filter(case_id__in=ids_read).order_by("pk"):
        attachments[att.case_id].append(att)
    notices: dict[int, list[PublicityNotice]] = defaultdict(list)
    for notice in (PublicityNotice.objects.filter(case_id__in=ids_read).order_by("start")
                   .prefetch_related(Prefetch("objections",
                                              queryset=Objection.objects.order_by("received_at")))):
        notices[notice.case_id].append(notice)
    meetings: dict[int, list[MeetingRecord]] = defaultdict(list)
    for meeting in MeetingRecord.objects.filter(case_id__in=ids_read).order_by("held_at", "pk"):
        meetings[meeting.case_id].append(meeting)
    # each under the spec version it was opened under, as its case page and PDF show it
    records = [build_record(case, events[case.pk], attachments[case.pk], notices[case.pk],
                            meetings[case.pk]) for case in cases]
    # what the page shows is verified now, against every row it shows (a window or a
    # meeting changed behind the portal's back is ✘ here at once, and raises an alert)
    domain = domain_rows(ids_read)
    chains.shown({case.pk: verify_case_events(case, events[case.pk], Stored(
        notices=sorted(notices[case.pk], key=lambda n: n.pk),
        objections={n.pk: list(n.objections.all()) for n in notices[case.pk]},
        meetings=meetings[case.pk], attachments=attachments[case.pk],
        domain=domain[case.pk])) for case in [*cases, *also]})
    for record in records:
        record.problem = chains.problems.get(record.case.pk)
    problems = chains.problems

    alerts = list(Alert.objects.filter(region=village).select_related("case", "actor")
                  .order_by("-created_at", "-pk")[:ALERTS_SHOWN])
    procedures: dict[str, int] = defaultdict(int)
    for code, _state, n, _events in counts:
        procedures[code] += n
    specs = [placed(s, kind_of(village)) for s in registry.all() if s.code in procedures]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "pages/audit.html", {
        "title": f"{village.name} · 村(居)务监督",
        "village": village,
        "villages": villages,
        "chains": chains,
        "problems": [(c, problems[c.pk]) for c in _problem_cases(visible, problems, cases,
                                                                  chains.heads)],
        "records": records,
        "page": page,
        "alerts": alerts,
        "alert_counts": [(label, alert_counts.get(value, 0))
                         for value, label in AlertKind.choices if alert_counts.get(value)],
        "specs": [(s, procedures[s.code]) for s in specs],
        "chosen_procedure": procedure,
        "chosen_state": state,
        "states": CaseState.choices,
        "query": query.urlencode(),
        "expand": bool(only) or len(records) == 1,
    })


def _problem_of(case: Case, events: list[CaseEvent], stored: Stored) -> str | None:
    """Everything verify_audit would say of one case now, from the rows its record was
    built of (read once), with its files' last check; a problem raises its alert."""
    found = verify_case_events(case, events, stored)
    raise_record_alerts({case.pk: found} if found else {})
    check = ChainCheck.objects.filter(region_id=case.region_id).only("files", "digests").first()
    kept = [check.files.get(str(case.pk)), check.digests.get(str(case.pk))] if check else []
    parts = [p for p in (found, *kept) if p]
    return ";".join(parts) or None


@login_required
def audit_case_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """The full record (全程纪实) of one case as a PDF."""
    case = access_case(request.user, case_id)
    if not can_audit(request.user, case.region):
        raise Http404
    # in the reader's language, like the page it is exported from: the words of the record
    # (roles, steps, choices) are rendered from their codes as the record is built; what
    # people typed stays as they typed it
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    attachments = list(Attachment.objects.filter(case=case).order_by("pk"))
    notices = list(PublicityNotice.objects.filter(case=case).order_by("start")
                   .prefetch_related(Prefetch(
                       "objections", queryset=Objection.objects.order_by("received_at"))))
    meetings = list(MeetingRecord.objects.filter(case=case).order_by("held_at", "pk"))
    record = build_record(case, events, attachments, notices, meetings)
    record.problem = _problem_of(case, events, Stored(
        notices=sorted(notices, key=lambda n: n.pk),
        objections={n.pk: list(n.objections.all()) for n in notices},
        meetings=meetings, attachments=attachments, domain=domain_rows([case.pk])[case.pk]))
    # the body says only what the record holds: rendered once per content (and language),
    # kept; who exports it and when is stamped on each page of every download
    html = render_to_string("pages/audit_case_pdf.html", {
        "record": record,
        "case": case,
        "spec": record.spec,
        **_numbers_in_force(record.spec, case.region),
        "region_name": case.region.full_name,
    }, request=request)
    viewer = getattr(request.user, "full_name", "") or request.user.get_username()
    line = _("导出时间:%(at)s · 导出人:%(who)s") % {
        "at": local_moment(timezone.now()), "who": viewer}
    stamp_html = render_to_string("pages/audit_case_pdf_stamp.html", {"line": css_string(line)})
    # rendered in parts: the events' pages once, the head and the newest page after a change
    body = parted_pdf(_record_pieces(html, [e.hash for e in record.events]),
                      f"case-{case.pk}-{get_language()}", _number_sheet, stamp_html).stamped
    response = HttpResponse(body, content_type="application/pdf")
    # 桃花村-村集体鱼塘对外承包-全程纪实-2026-12-03.pdf, case-9-2026-12-03.pdf for old clients
    day = local_date()
    response["Content-Disposition"] = content_disposition(
        file_name(case.region.name, case.title[:40], _("全程纪实"), day, ext="pdf"),
        f"case-{case.pk}-{day}.pdf", inline=True)
    return response


def _record_pieces(html: str, ids: list[str]) -> Pieces:
    """The 全程纪实's HTML cut at its markers (pages/audit_case_pdf.html): what opens it, the
    head, one piece an event (the first with the section's heading), the trail, the end."""
    prefix, rest = html.split("<!--pp:head-->", 1)
    head, rest = rest.split("<!--pp:summary-->", 1)
    summary, rest = rest.split("<!--pp:items-->", 1)
    items, rest = rest.split("<!--pp:trail-->", 1)
    trail, suffix = rest.split("<!--pp:end-->", 1)
    pieces = items.split("<!--pp:item-->")[1:]
    return Pieces(prefix=prefix, head=head, summary=summary, items=pieces,
                  ids=ids or ["-"] * len(pieces), trail=trail, suffix=suffix)


def _number_sheet(pages: int) -> str:
    """``pages`` pages of the 全程纪实 holding only their page numbers."""
    return render_to_string("pages/audit_case_pdf_numbers.html", {"pages": range(pages)})


def _numbers_in_force(spec: Any, region: Any) -> dict[str, Any]:
    """The risks and measures of the case's procedure with the numbers its village follows."""
    if spec is None:
        return {"risks": (), "measures": ()}
    values = tenant_params.effective_all(spec, region)
    return {"risks": spec.risks_in_force(values),
            "measures": [spec.fill(m, values) for m in spec.measures]}

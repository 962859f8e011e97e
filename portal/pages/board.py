"""The public boards of the villages (no login): the index of every board, a village's
notices and 四议两公开 resolutions, each notice's own page with its PDF, the supervisory
committee's contact, the villagers' online objections, and the A4 QR poster of a board.

Only what a notice must show is shown: the public fields of the procedure
(``FieldSpec.public``), never an objection's text or its author (only how many were
received), and anything that looks like an ID-card or a mobile number is masked. Which
notices, boards and contacts the public sees is decided in ``workflows.visibility``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import RuleError
from core.idcard import mask_personal
from core.models import Region
from core.places import kind_of, place_words, words_of
from core.roles import Level
from workflows import gate
from workflows.choices import CaseState, NoticeState
from workflows.models import Case, ChainDigest, PublicityNotice
from workflows.registry import registry
from workflows.visibility import (
    accepts_objections,
    board_contacts,
    board_places,
    board_village,
    public_notice,
    public_notices,
)
from workflows.web.pdf import FONT, board_url, qr_png
from workflows.wording import signer

__all__ = ["mask_personal"]  # the board's masking, kept importable from here

RECENT = dt.timedelta(days=90)
RESOLUTIONS_SHOWN = 20
DIGESTS_SHOWN = 7  # "今日存证" and the six days before
PAST_PER_PAGE = 30
FOUR_AND_TWO = "03.1"
HOUR = 3600
CHALLENGE_SIZE = settings.CAPTCHA_IMAGE_SIZE
NOTICE_FIELDS = ("title", "content", "location", "start", "earliest_end", "ended_at", "days",
                 "working_days", "state", "procedure", "step", "region_id", "case__state",
                 "case__current_step")


def _notice(n: PublicityNotice, now: dt.datetime, village: Region) -> dict[str, Any]:
    return {
        "pk": n.pk,
        "url": reverse("board_notice", args=[village.pk, n.pk]),
        "pdf": reverse("workflows:notice_pdf", args=[n.pk]),
        "signer": signer(registry.get(n.procedure), n.step, village),
        "title": mask_personal(n.title),
        "content": mask_personal(n.content),
        "location": mask_personal(n.location),
        "start": n.start,
        "earliest_end": n.earliest_end,
        "ended_at": n.ended_at,
        "days": n.days,
        "working_days": n.working_days,
        "running": n.state == NoticeState.RUNNING,
        "accepting": accepts_objections(n, now),
        "objections": getattr(n, "objection_count", 0),
        "days_left": _days_left(n.earliest_end, now),
    }


def _days_left(end: dt.datetime, now: dt.datetime) -> int:
    """Whole days of the window after today: a window that ends at midnight has its last
    day the day before (0 on that day: "今日公示期满")."""
    last_day = timezone.localdate(end - dt.timedelta(microseconds=1))
    return max(0, (last_day - timezone.localdate(now)).days)


def _day(value: Any) -> str:
    day = parse_date(value) if isinstance(value, str) else None
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _meeting(meeting: dict[str, Any]) -> dict[str, Any]:
    """The figures of the deciding meeting as its event recorded them: the day it was held,
    the roll the portal computed (its source in words: counts, no names), the votes."""
    roll: dict[str, Any] = meeting["roll"] if isinstance(meeting.get("roll"), dict) else {}
    return {**{k: meeting.get(k) for k in ("due", "present", "yes", "no", "abstain")},
            "held": _day(str(meeting.get("held_at") or "")[:10]),
            "unit": roll.get("unit") or "人", "source": roll.get("source", "")}


def _resolution(case: Case) -> dict[str, Any] | None:
    data = case.data if isinstance(case.data, dict) else {}
    decided = data.get("villagers_decide") or {}
    text = decided.get("resolution") if isinstance(decided, dict) else None
    if not text:
        return None
    done = data.get("implementation") or {}
    meeting = decided.get("meeting") if isinstance(decided.get("meeting"), dict) else {}
    body_label = ""
    spec = case.spec
    if spec is not None and spec.has_step("villagers_decide"):
        action = spec.step("villagers_decide").action("decide")
        field = next((f for f in action.fields if f.name == "body"), None) if action else None
        if field is not None:
            body_label = next((c.label for c in field.choices
                               if c.value == decided.get("body")), "")
    if case.state == CaseState.CLOSED and done.get("result"):
        stage = "已公开实施结果"
    elif case.current_step == "resolution_publicity":
        stage = "决议公开中"
    else:
        stage = "实施中"
    return {
        "title": mask_personal(case.title),
        "resolution": mask_personal(str(text)),
        "body": body_label,
        "meeting": _meeting(meeting) if meeting else None,
        "result": mask_personal(str(done.get("result", ""))) if isinstance(done, dict) else "",
        "published_on": _day(done.get("published_on")) if isinstance(done, dict) else "",
        "stage": stage,
        "closed": case.state == CaseState.CLOSED,
        "opened_at": case.opened_at,
    }


def _digest(row: ChainDigest) -> dict[str, Any]:
    """A township's digest as the board shows it: in groups of eight, to copy or compare."""
    return {
        "day": row.day,
        "digest": row.digest,
        "grouped": " ".join(row.digest[i:i + 8] for i in range(0, len(row.digest), 8)),
        "created_at": row.created_at,
        "cases": row.cases,
    }


def _contacts(village: Region) -> list[dict[str, str]]:
    return [{"name": m.user.get_full_name(), "mobile": m.user.mobile}
            for m in board_contacts(village)]


def _board_title(village: Region) -> str:
    return f"{village.name} · {words_of(village).board}"


def board_index(request: HttpRequest) -> HttpResponse:
    """Every board of the district: its townships (streets) and their villages and
    communities, in the order of the tree."""
    places = board_places()
    townships: dict[int, dict[str, Any]] = {}
    districts: list[dict[str, Any]] = []
    by_district: dict[int, dict[str, Any]] = {}
    for region in places:
        if region.level == Level.DISTRICT:
            by_district[region.pk] = {"region": region, "townships": []}
            districts.append(by_district[region.pk])
        elif region.level == Level.TOWNSHIP:
            townships[region.pk] = {"region": region, "villages": []}
            if region.parent_id in by_district:
                by_district[region.parent_id]["townships"].append(townships[region.pk])
        elif region.parent_id in townships:
            townships[region.parent_id]["villages"].append(
                {"region": region, "board": words_of(region).board})
    return render(request, "pages/board_index.html", {
        "districts": districts, "title": gettext("村(居)务公开栏"),
    })


def public_board(request: HttpRequest, region_id: int) -> HttpResponse:
    """A village's board: running notices, those ended in the last 90 days, resolutions,
    the supervisory committee's contact."""
    village = board_village(region_id)
    now = timezone.now()
    since = now - RECENT
    notices = list(
        public_notices(village)
        .filter(Q(state=NoticeState.RUNNING) | Q(ended_at__gte=since))
        .select_related("case").only(*NOTICE_FIELDS)
        .annotate(objection_count=Count("objections"))
        .order_by("-start")[:100]
    )
    # Public reading of the village's own 03.1 cases: only their public fields leave here.
    cases = (Case.objects.filter(region=village, procedure=FOUR_AND_TWO)
             .exclude(state=CaseState.WITHDRAWN)
             .filter(data__villagers_decide__isnull=False)
             .only("title", "state", "current_step", "data", "opened_at", "procedure", "version")
             .order_by("-opened_at")[:RESOLUTIONS_SHOWN])
    rows = list(cases)
    for row in rows:
        row.region = village  # known: its spec reads in the village's words without a query
    resolutions = [r for r in (_resolution(c) for c in rows) if r is not None]
    # the township's daily digests of its villages' records (workflows.anchors): published
    # here, outside the database's reach once someone has kept them
    digests = [_digest(d) for d in ChainDigest.objects.filter(township_id=village.parent_id)
               .only("day", "digest", "created_at", "heads").order_by("-day")[:DIGESTS_SHOWN]]
    return render(request, "pages/board.html", {
        "village": village,
        "running": [_notice(n, now, village) for n in notices
                    if n.state == NoticeState.RUNNING],
        "ended": [_notice(n, now, village) for n in notices if n.state == NoticeState.ENDED],
        "words": words_of(village),
        "contacts": _contacts(village),
        "resolutions": resolutions,
        "digest": digests[0] if digests else None,
        "earlier_digests": digests[1:],
        "now": now,
        "title": _board_title(village),
    })


def board_past(request: HttpRequest, region_id: int) -> HttpResponse:
    """Every ended notice of a village, newest first, each opening its own page."""
    village = board_village(region_id)
    now = timezone.now()
    qs = (public_notices(village).filter(state=NoticeState.ENDED).select_related("case")
          .only(*NOTICE_FIELDS).annotate(objection_count=Count("objections"))
          .order_by("-ended_at", "-pk"))
    page = Paginator(qs, PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pages/board_past.html", {
        "village": village, "words": words_of(village), "page": page,
        "notices": [_notice(n, now, village) for n in page.object_list],
        "title": f"{gettext('往期公示')} · {_board_title(village)}",
    })


class Challenge(CaptchaTextInput):
    """The library's challenge (its key and answer box, then its image) in our words."""

    template_name = "django/forms/widgets/multiwidget.html"

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        inputs = super().render(name, value, attrs, renderer)  # makes the challenge's key
        return format_html('<span class="challenge"><img src="{}" alt="{}" width="{}" '
                           'height="{}">{}</span>', self.image_url(),
                           gettext("验证题:一道算式,请计算结果"), *CHALLENGE_SIZE, inputs)


class ObjectionForm(forms.Form):
    """A villager's objection: who (to be answered), a mobile to be called back on, what."""

    name = forms.CharField(
        label=_("姓名"), max_length=32,
        error_messages={"required": _("请填写您的姓名。")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("手机号码"), max_length=11,
        help_text=_("11位手机号码,仅用于答复您,不会公开。"),
        error_messages={"required": _("请填写您的手机号码。"),
                        "max_length": _("手机号码应为11位数字,如 13812345678。")},
        validators=[RegexValidator(r"^1[3-9]\d{9}$",
                                   _("手机号码应为11位数字,如 13812345678。"))],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric",
                                      "autocomplete": "tel", "pattern": "1[3-9][0-9]{9}"}))
    content = forms.CharField(
        label=_("异议内容"), max_length=1000,
        help_text=_("请写明对公示的哪项内容有异议、理由是什么(不超过1000字)。"),
        error_messages={"required": _("请填写异议内容。"),
                        "max_length": _("异议内容不能超过1000字。")},
        widget=forms.Textarea(attrs={"rows": 5}))
    captcha = CaptchaField(
        label=_("验证题"), help_text=_("请计算图中算式的结果,填写数字。"),
        widget=Challenge(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("验证题答案不正确,请计算新的算式后重新填写。"),
                        "required": _("请填写验证题的答案。")})

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("请填写您的姓名。"))
        return name

    def clean_content(self) -> str:
        content = self.cleaned_data["content"].strip()
        if not content:
            raise forms.ValidationError(_("请填写异议内容。"))
        return content


def _rate_key(request: HttpRequest, notice: PublicityNotice) -> str:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return f"board-objection:{notice.pk}:{address}"


def _rate_limited(key: str) -> bool:
    return int(cache.get(key, 0)) >= settings.BOARD_OBJECTIONS_PER_HOUR


def _count_one(key: str) -> None:
    if not cache.add(key, 1, timeout=HOUR):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, timeout=HOUR)


def board_notice(request: HttpRequest, region_id: int, notice_id: int) -> HttpResponse:
    """One notice of a board, with its full text and its PDF; while its window runs, the
    form to raise an objection online (POST)."""
    village = board_village(region_id)
    notice = public_notice(notice_id, village)
    now = timezone.now()
    words = words_of(village)
    form = ObjectionForm()
    refusal = ""
    status = 200
    if request.method == "POST":
        key = _rate_key(request, notice)
        form = ObjectionForm(request.POST)
        if _rate_limited(key):
            status = 429
            refusal = gettext("同一网络每小时对同一公示最多提交 %(n)d 条异议,请一小时后再试,"
                              "或直接向%(who)s反映。") % {
                "n": settings.BOARD_OBJECTIONS_PER_HOUR, "who": words.supervisory}
        elif not accepts_objections(notice, now):
            status = 400
            refusal = gettext("该公示已结束,不再受理网上异议。")
        elif form.is_valid():
            try:
                gate.record_public_objection(
                    notice_id=notice.pk, name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"], content=form.cleaned_data["content"])
            except RuleError as refused:
                status, refusal = 400, refused.detail
            else:
                _count_one(key)
                return redirect(f"{reverse('board_notice', args=[village.pk, notice.pk])}"
                                "?received=1#received")
        else:
            status = 400
        if refusal:
            form = ObjectionForm()  # a fresh challenge; nothing was stored
    shown = _notice(notice, now, village)
    shown["objections"] = notice.objections.count()
    return render(request, "pages/board_notice.html", {
        "village": village, "words": words, "n": shown, "form": form, "refusal": refusal,
        "received": request.GET.get("received") == "1" and request.method == "GET",
        "contacts": _contacts(village),
        "errors": [(form[name].id_for_label, form[name].label, e)
                   for name, errs in form.errors.items() if name in form.fields
                   for e in errs],
        "title": f"{shown['title']} · {_board_title(village)}",
    }, status=status)


def board_poster(request: HttpRequest, region_id: int) -> HttpResponse:
    """The A4 poster of a board to hang in the village: its name, the QR code, the address."""
    from weasyprint import HTML  # loaded only for a PDF: it is heavy

    village = board_village(region_id)
    url = board_url(village.pk)
    html = render_to_string("pages/board_poster.html", {
        "village": village, "words": words_of(village), "url": url, "qr": qr_png(url),
        "font": FONT, "scan": place_words(gettext("扫码查看村务公开"), kind_of(village)),
    })
    response = HttpResponse(bytes(HTML(string=html).write_pdf()),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-poster-{village.pk}.pdf"'
    return response

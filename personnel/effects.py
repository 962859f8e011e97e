"""The write side of village appointments: nominees, joint vetting, appointment."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from core.errors import RuleError
from core.idcard import id_problem, mask_id
from core.models import Region
from personnel.choices import AUXILIARY, RESERVE, AppointeeState, Track, VettingResult
from personnel.models import Appointee, JointVetting
from workflows.alerts import raise_alert
from workflows.choices import AlertKind, CaseState
from workflows.effects import EffectContext

MAX_LINES = 200


@dataclass(frozen=True)
class Post:
    name: str
    count: int
    monthly_pay: Decimal
    term_months: int


def _lines(text: Any) -> list[tuple[int, list[str]]]:
    out = []
    for number, raw in enumerate(str(text or "").splitlines(), 1):
        if raw.strip():
            out.append((number, [p.strip() for p in re.split(r"[,,|\t]", raw)]))
    if len(out) > MAX_LINES:
        raise RuleError("invalid_field", f"不能超过{MAX_LINES}行。")
    return out


def _day(value: Any) -> dt.date | None:
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


def _not_future(ctx: EffectContext, field: str, label: str) -> dt.date:
    day = _day(ctx.data.get(field))
    if day is None:
        raise RuleError("missing_field", f"请填写{label}。", field=field)
    if day > timezone.localdate():
        raise RuleError("invalid_date", f"{label}不能晚于今天。", field=field)
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_people(text: Any, *, field: str) -> list[tuple[str, str, str]]:
    """Lines "姓名,身份证号,职务或岗位": checked row by row, no ID twice."""
    people: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    for number, parts in _lines(text):
        where = f"第{number}行"
        if len(parts) != 3:
            raise RuleError("invalid_field", f"{where}应写作“姓名,身份证号,拟任职务(岗位)”。",
                            field=field)
        name, id_number, post = parts[0], parts[1].upper(), parts[2]
        if not name or not post:
            raise RuleError("invalid_field", f"{where}:姓名和职务(岗位)不能为空。", field=field)
        problem = id_problem(id_number)
        if problem:
            raise RuleError("invalid_id_number",
                            f"{where}:身份证号“{mask_id(id_number)}”{problem}。", field=field)
        if id_number in seen:
            raise RuleError("invalid_field", f"{where}:与第{seen[id_number]}行是同一人。",
                            field=field)
        seen[id_number] = number
        people.append((name[:64], id_number, post[:100]))
    if not people:
        raise RuleError("missing_field", "请至少列出一人。", field=field)
    return people


def parse_posts(text: Any, *, field: str = "posts") -> list[Post]:
    """Lines "岗位,人数,月报酬(元),期限(月)" decided by the two committees."""
    posts: list[Post] = []
    for number, parts in _lines(text):
        where = f"第{number}行"
        if len(parts) != 4:
            raise RuleError("invalid_field", f"{where}应写作“岗位,人数,月报酬(元),期限(月)”。",
                            field=field)
        name, raw_count, raw_pay, raw_term = parts
        try:
            count, term, pay = int(raw_count), int(raw_term), Decimal(raw_pay)
        except (ValueError, InvalidOperation):
            raise RuleError("invalid_field", f"{where}:人数、期限应为整数,报酬应为金额。",
                            field=field) from None
        if not name or count < 1 or term < 1 or not pay.is_finite() or pay <= 0:
            raise RuleError("invalid_field", f"{where}:岗位不能为空,人数、报酬和期限须大于0。",
                            field=field)
        if any(p.name == name for p in posts):
            raise RuleError("invalid_field", f"{where}:岗位“{name}”重复。", field=field)
        posts.append(Post(name[:100], count, pay.quantize(Decimal("0.01")), term))
    if not posts:
        raise RuleError("missing_field", "请列出岗位、人数、报酬和期限。", field=field)
    return posts


def _alert_failed_before(ctx: EffectContext, people: Sequence[tuple[str, str, str]]) -> None:
    """Someone who failed a joint vetting is put forward again: tell the supervisors."""
    ids = [p[1] for p in people]
    failed = (Appointee.objects.filter(id_number__in=ids, vetting=VettingResult.FAILED)
              .exclude(case=ctx.case).values_list("id_number", flat=True).distinct())
    for number in failed:
        name = next(p[0] for p in people if p[1] == number)
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=f"“{ctx.case.title}”再次提名曾联审未通过的{name}({mask_id(number)}),"
                            "存在“带病”任用风险,须重新联审。",
                    key=f"personnel-renominated:{ctx.case.pk}:{number}")


def _replace_nominees(ctx: EffectContext, rows: Iterable[Appointee]) -> None:
    Appointee.objects.filter(case=ctx.case).delete()
    Appointee.objects.bulk_create(list(rows))


# --- 05.1 -------------------------------------------------------------------------------------


def propose_reserve(ctx: EffectContext) -> None:
    people = parse_people(ctx.data.get("nominees"), field="nominees")
    track = Track(str(ctx.data.get("track")))
    _replace_nominees(ctx, (
        Appointee(case=ctx.case, region=ctx.case.region, procedure=RESERVE, seq=i, track=track,
                  name=name, id_number=number, post=post)
        for i, (name, number, post) in enumerate(people, 1)
    ))
    _alert_failed_before(ctx, people)


def close_without_appointment(ctx: EffectContext) -> None:
    Appointee.objects.filter(case=ctx.case).update(state=AppointeeState.NOT_APPOINTED)


# --- 05.2 -------------------------------------------------------------------------------------


def decide_posts(ctx: EffectContext) -> None:
    parse_posts(ctx.data.get("posts"))


def select_staff(ctx: EffectContext) -> None:
    posts = {p.name: p for p in parse_posts(ctx.step_data("deliberate").get("posts"))}
    people = parse_people(ctx.data.get("staff"), field="staff")
    used: dict[str, int] = {}
    for name, _number, post in people:
        if post not in posts:
            raise RuleError("post_not_decided",
                            f"{name}的岗位“{post}”不是两委会议确定的岗位"
                            f"({'、'.join(posts)})。", field="staff")
        used[post] = used.get(post, 0) + 1
        if used[post] > posts[post].count:
            raise RuleError("post_count_exceeded",
                            f"岗位“{post}”两委会议确定{posts[post].count}人,不能多用。",
                            field="staff")
    _replace_nominees(ctx, (
        Appointee(case=ctx.case, region=ctx.case.region, procedure=AUXILIARY, seq=i,
                  track=Track.AUXILIARY, name=name, id_number=number, post=post,
                  monthly_pay=posts[post].monthly_pay, term_months=posts[post].term_months)
        for i, (name, number, post) in enumerate(people, 1)
    ))
    _alert_failed_before(ctx, people)


# --- the joint vetting and the appointment (both) ---------------------------------------------


def _record_vetting(ctx: EffectContext, result: VettingResult) -> dt.date:
    vetted_on = _not_future(ctx, "vetted_on", "联审日期")
    JointVetting.objects.create(
        case=ctx.case, region=ctx.case.region, vetted_on=vetted_on, result=result,
        departments=list(ctx.data.get("departments", [])),
        opinion=str(ctx.data.get("opinion", "")),
        vetted_by=ctx.actor.get_full_name() or ctx.actor.get_username())
    return vetted_on


def vetting_passed(ctx: EffectContext) -> None:
    """Everyone passes except those named in ``excluded`` (by ID number or name)."""
    nominees = list(Appointee.objects.filter(case=ctx.case).order_by("seq"))
    excluded = {p.strip().upper() for p in re.split(r"[,,、\s]+", str(ctx.data.get(
        "excluded") or "")) if p.strip()}
    failing = [a for a in nominees if a.id_number in excluded or a.name.upper() in excluded]
    known = {a.id_number for a in nominees} | {a.name.upper() for a in nominees}
    unknown = sorted(excluded - known)
    if unknown:
        raise RuleError("invalid_field", f"“{'、'.join(unknown)}”不是本次提名的人员。",
                        field="excluded")
    if len(failing) == len(nominees):
        raise RuleError("vetting_all_failed", "全部人员未通过联审,请选择“联审未通过”。",
                        field="excluded")
    _record_vetting(ctx, VettingResult.PASSED)
    Appointee.objects.filter(pk__in=[a.pk for a in failing]).update(
        vetting=VettingResult.FAILED, state=AppointeeState.NOT_APPOINTED)
    Appointee.objects.filter(case=ctx.case, vetting=VettingResult.PENDING).update(
        vetting=VettingResult.PASSED)


def vetting_failed(ctx: EffectContext) -> None:
    """The case closes without appointment; a later nomination of them raises an alert."""
    _record_vetting(ctx, VettingResult.FAILED)
    Appointee.objects.filter(case=ctx.case).update(vetting=VettingResult.FAILED,
                                                   state=AppointeeState.NOT_APPOINTED)


def _require_vetting(ctx: EffectContext) -> list[Appointee]:
    latest = JointVetting.objects.filter(case=ctx.case).order_by("-pk").first()
    pending = Appointee.objects.filter(case=ctx.case, vetting=VettingResult.PENDING).exists()
    if latest is None or latest.result != VettingResult.PASSED or pending:
        raise RuleError("vetting_not_passed", "联审未通过或尚未联审,不能任用。")
    passed = list(Appointee.objects.filter(case=ctx.case, vetting=VettingResult.PASSED))
    if not passed:
        raise RuleError("vetting_not_passed", "没有通过联审的人员,不能任用。")
    return passed


def appoint_reserve(ctx: EffectContext) -> None:
    passed = _require_vetting(ctx)
    start = _day(ctx.data.get("appointed_on"))
    Appointee.objects.filter(pk__in=[a.pk for a in passed]).update(
        state=AppointeeState.APPOINTED, start_on=start)


def hire_staff(ctx: EffectContext) -> None:
    passed = _require_vetting(ctx)
    start = _day(ctx.data.get("start_on"))
    if start is None:
        raise RuleError("missing_field", "请填写聘用起始日期。", field="start_on")
    for person in passed:
        person.state = AppointeeState.APPOINTED
        person.start_on = start
        person.end_on = add_months(start, int(person.term_months or 0)) - dt.timedelta(days=1)
        person.save(update_fields=["state", "start_on", "end_on"])


# --- registers --------------------------------------------------------------------------------


RESERVE_COLUMNS = (
    ("seq", "序号"), ("track", "组织"), ("name", "姓名"), ("id_number", "身份证号"),
    ("post", "拟任职务"), ("vetting", "联审结果"), ("state", "状态"), ("start_on", "任职日期"),
)
AUXILIARY_COLUMNS = (
    ("name", "姓名"), ("id_number", "身份证号"), ("post", "岗位"), ("pay", "月报酬(元)"),
    ("term", "期限(月)"), ("start_on", "起始日期"), ("end_on", "终止日期"),
    ("vetting", "联审结果"), ("state", "状态"),
)


def register_rows(procedure: str) -> Callable[[Region], Iterable[Sequence[Any]]]:
    def rows(region: Region) -> Iterable[Sequence[Any]]:
        qs = (Appointee.objects.filter(region=region, procedure=procedure)
              .exclude(case__state=CaseState.WITHDRAWN).order_by("case_id", "seq"))
        for n, a in enumerate(qs.iterator(2000), 1):
            if procedure == RESERVE:
                yield (n, a.get_track_display(), a.name, a.masked_id, a.post,
                       a.get_vetting_display(), a.get_state_display(), a.start_on or "")
            else:
                yield (a.name, a.masked_id, a.post, a.monthly_pay, a.term_months,
                       a.start_on or "", a.end_on or "", a.get_vetting_display(),
                       a.get_state_display())

    return rows

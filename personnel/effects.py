"""The rule checks and register writes of village appointments: nominees, joint vetting,
appointment.

Each effect's check parses and checks what was sent (the lists of people and posts,
the vetting's exclusions, that a vetting passed) before anything is stored, and
hands what it found to its apply through ``ctx.scratch``; the apply writes the
nominees, the vetting and the appointment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from core import dates
from core.errors import RuleError
from core.idcard import id_problem, mask_id
from personnel.choices import AUXILIARY, RESERVE, AppointeeState, Track, VettingResult
from personnel.models import Appointee, JointVetting
from workflows import calendar as cal
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect

MAX_LINES = 200
People = list[tuple[str, str, str]]


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


def end_of_term(start: dt.date, months: int) -> dt.date:
    """The last day of a term of ``months`` beginning on ``start``."""
    return (cal.add_months(dates.start_of(start), months) - dt.timedelta(days=1)).date()


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


def _mark_not_appointed(ctx: EffectContext) -> None:
    Appointee.objects.filter(case=ctx.case).update(state=AppointeeState.NOT_APPOINTED)


CLOSE_WITHOUT_APPOINTMENT = effect("personnel.close_without_appointment",
                                   apply=_mark_not_appointed)


# --- 05.1 -------------------------------------------------------------------------------------


def _check_nominees(ctx: EffectContext) -> None:
    ctx.scratch["people"] = parse_people(ctx.data.get("nominees"), field="nominees")


def _write_nominees(ctx: EffectContext) -> None:
    people: People = ctx.scratch["people"]
    track = Track(str(ctx.data["track"]))
    _replace_nominees(ctx, (
        Appointee(case=ctx.case, region=ctx.case.region, procedure=RESERVE, seq=i, track=track,
                  name=name, id_number=number, post=post)
        for i, (name, number, post) in enumerate(people, 1)
    ))
    _alert_failed_before(ctx, people)


PROPOSE_RESERVE = effect("personnel.propose_reserve", check=_check_nominees,
                         apply=_write_nominees)


# --- 05.2 -------------------------------------------------------------------------------------


def _check_posts(ctx: EffectContext) -> None:
    parse_posts(ctx.data.get("posts"))


DECIDE_POSTS = effect("personnel.decide_posts", check=_check_posts)


def _check_staff(ctx: EffectContext) -> None:
    """Every person on a post the two committees decided, no post over its number."""
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
    ctx.scratch["posts"] = posts
    ctx.scratch["people"] = people


def _write_staff(ctx: EffectContext) -> None:
    posts: dict[str, Post] = ctx.scratch["posts"]
    people: People = ctx.scratch["people"]
    _replace_nominees(ctx, (
        Appointee(case=ctx.case, region=ctx.case.region, procedure=AUXILIARY, seq=i,
                  track=Track.AUXILIARY, name=name, id_number=number, post=post,
                  monthly_pay=posts[post].monthly_pay, term_months=posts[post].term_months)
        for i, (name, number, post) in enumerate(people, 1)
    ))
    _alert_failed_before(ctx, people)


SELECT_STAFF = effect("personnel.select_staff", check=_check_staff, apply=_write_staff,
                      reads=("deliberate",))


# --- the joint vetting and the appointment (both) ---------------------------------------------


def _record_vetting(ctx: EffectContext, result: VettingResult) -> None:
    JointVetting.objects.create(
        case=ctx.case, region=ctx.case.region, vetted_on=ctx.data["vetted_on"], result=result,
        departments=list(ctx.data.get("departments", [])),
        opinion=str(ctx.data.get("opinion", "")),
        vetted_by=ctx.actor.get_full_name() or ctx.actor.get_username())


def _check_exclusions(ctx: EffectContext) -> None:
    """Everyone passes except those named in ``excluded`` (by ID number or name), who must
    be among the nominees; and not everyone may be excluded."""
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
    ctx.scratch["failing"] = [a.pk for a in failing]


def _write_vetting_passed(ctx: EffectContext) -> None:
    _record_vetting(ctx, VettingResult.PASSED)
    Appointee.objects.filter(pk__in=ctx.scratch["failing"]).update(
        vetting=VettingResult.FAILED, state=AppointeeState.NOT_APPOINTED)
    Appointee.objects.filter(case=ctx.case, vetting=VettingResult.PENDING).update(
        vetting=VettingResult.PASSED)


def _write_vetting_failed(ctx: EffectContext) -> None:
    """The case closes without appointment; a later nomination of them raises an alert."""
    _record_vetting(ctx, VettingResult.FAILED)
    Appointee.objects.filter(case=ctx.case).update(vetting=VettingResult.FAILED,
                                                   state=AppointeeState.NOT_APPOINTED)


VETTING_PASSED = effect("personnel.vetting_passed", check=_check_exclusions,
                        apply=_write_vetting_passed)
VETTING_FAILED = effect("personnel.vetting_failed", apply=_write_vetting_failed)


def _check_vetting_passed(ctx: EffectContext) -> None:
    """Nobody is appointed unless the latest joint vetting passed, whatever led here."""
    latest = JointVetting.objects.filter(case=ctx.case).order_by("-pk").first()
    pending = Appointee.objects.filter(case=ctx.case, vetting=VettingResult.PENDING).exists()
    if latest is None or latest.result != VettingResult.PASSED or pending:
        raise RuleError("vetting_not_passed", "联审未通过或尚未联审,不能任用。")
    passed = list(Appointee.objects.filter(case=ctx.case, vetting=VettingResult.PASSED))
    if not passed:
        raise RuleError("vetting_not_passed", "没有通过联审的人员,不能任用。")
    ctx.scratch["passed"] = passed


def _write_appointment(ctx: EffectContext) -> None:
    passed: list[Appointee] = ctx.scratch["passed"]
    Appointee.objects.filter(pk__in=[a.pk for a in passed]).update(
        state=AppointeeState.APPOINTED, start_on=ctx.data.get("appointed_on"))


def _write_hiring(ctx: EffectContext) -> None:
    passed: list[Appointee] = ctx.scratch["passed"]
    start: dt.date = ctx.data["start_on"]
    for person in passed:
        person.state = AppointeeState.APPOINTED
        person.start_on = start
        person.end_on = end_of_term(start, int(person.term_months or 0))
        person.save(update_fields=["state", "start_on", "end_on"])


APPOINT_RESERVE = effect("personnel.appoint_reserve", check=_check_vetting_passed,
                         apply=_write_appointment)
HIRE_STAFF = effect("personnel.hire_staff", check=_check_vetting_passed, apply=_write_hiring)

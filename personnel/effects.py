"""The rule checks and register writes of village appointments: nominees, joint vetting,
appointment.

Each effect's check reads what was sent (the tables of people and posts, typed and bounded
by their columns; the vetting's exclusions; that a vetting passed) and refuses what the
rules refuse, each refusal naming its cell, before anything is stored; it hands what it
found to its apply through ``ctx.scratch``; the apply writes the nominees, the vetting and
the appointment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.errors import RuleError
from core.idcard import mask_id
from core.listing import listed
from personnel.choices import AUXILIARY, RESERVE, AppointeeState, Track, VettingResult
from personnel.models import Appointee, JointVetting
from workflows import calendar as cal
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.fields import FieldErrors
from workflows.messages import Text

People = list[tuple[str, str, str]]


@dataclass(frozen=True)
class Post:
    name: str
    count: int
    monthly_pay: Decimal
    term_months: int


def _raise(errors: list[RuleError]) -> None:
    if errors:
        raise FieldErrors(errors) if len(errors) > 1 else errors[0]


def end_of_term(start: dt.date, months: int) -> dt.date:
    """The last day of a term of ``months`` beginning on ``start``."""
    return (cal.add_months(dates.start_of(start), months) - dt.timedelta(days=1)).date()


def people_of(rows: Iterable[Mapping[str, Any]], *, field: str) -> People:
    """The table's rows (name, ID number and post checked by their columns): nobody twice."""
    people: People = []
    seen: dict[str, int] = {}
    errors: list[RuleError] = []
    for i, row in enumerate(rows):
        number = str(row["id_number"])
        if number in seen:
            errors.append(RuleError(
                "invalid_field", _("第%(row)s行与第%(other)s行是同一人(身份证号%(id_number)s)。")
                                 % {"row": i + 1, "other": seen[number] + 1,
                                    "id_number": mask_id(number)}, field=f"{field}[{i}].id_number"))
            continue
        seen[number] = i
        people.append((str(row["name"]), number, str(row["post"])))
    _raise(errors)
    return people


def posts_of(rows: Iterable[Mapping[str, Any]], *, field: str = "posts") -> list[Post]:
    """The posts the two committees decided (each cell bounded by its column): no post
    twice."""
    posts: list[Post] = []
    errors: list[RuleError] = []
    for i, row in enumerate(rows):
        name = str(row["post"])
        if any(p.name == name for p in posts):
            errors.append(RuleError("invalid_field", _("岗位“%(name)s”重复。") % {"name": name},
                                    field=f"{field}[{i}].post"))
            continue
        posts.append(Post(name, int(row["count"]), Decimal(row["monthly_pay"]),
                          int(row["term_months"])))
    _raise(errors)
    return posts


def _alert_failed_before(ctx: EffectContext, people: Sequence[tuple[str, str, str]]) -> None:
    """Someone who failed a joint vetting is put forward again: tell the supervisors."""
    ids = [p[1] for p in people]
    failed = (Appointee.objects.filter(id_number__in=ids, vetting=VettingResult.FAILED)
              .exclude(case=ctx.case).values_list("id_number", flat=True).distinct())
    for number in failed:
        name = next(p[0] for p in people if p[1] == number)
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=Text(gettext_noop("“{title}”再次提名曾联审未通过的{name}({id}),"
                                              "存在“带病”任用风险,须重新联审。"),
                                 title=ctx.case.title, name=name, id=mask_id(number)),
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
    ctx.scratch["people"] = people_of(ctx.data["nominees"], field="nominees")


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
    posts_of(ctx.data["posts"])


DECIDE_POSTS = effect("personnel.decide_posts", check=_check_posts)


def _check_staff(ctx: EffectContext) -> None:
    """Every person on a post the two committees decided, no post over its number."""
    decided = ctx.step_values("deliberate").get("posts")
    posts = {p.name: p for p in posts_of(decided if isinstance(decided, list) else ())}
    people = people_of(ctx.data["staff"], field="staff")
    used: dict[str, int] = {}
    errors: list[RuleError] = []
    for i, (name, _number, post) in enumerate(people):
        if post not in posts:
            errors.append(RuleError("post_not_decided",
                                    _("%(name)s的岗位“%(post)s”不是两委会议确定的岗位(%(items)s)。")
                                    % {"name": name, "post": post, "items": listed(posts)},
                                    field=f"staff[{i}].post"))
            continue
        used[post] = used.get(post, 0) + 1
        if used[post] > posts[post].count:
            errors.append(RuleError("post_count_exceeded",
                                    _("岗位“%(post)s”两委会议确定%(count)s人,不能多用。")
                                    % {"post": post, "count": posts[post].count},
                                    field=f"staff[{i}].post"))
    _raise(errors)
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
    """Everyone passes except those listed in ``excluded`` by their ID number, who must be
    among the nominees; and not everyone may be excluded."""
    nominees = {a.id_number: a for a in Appointee.objects.filter(case=ctx.case).order_by("seq")}
    failing: dict[str, Appointee] = {}
    errors: list[RuleError] = []
    for i, row in enumerate(ctx.data.get("excluded") or ()):
        number = str(row["id_number"])
        if number not in nominees:
            errors.append(RuleError("invalid_field",
                                    _("身份证号%(id_number)s不是本次提名的人员。")
                                    % {"id_number": mask_id(number)},
                                    field=f"excluded[{i}].id_number"))
        else:
            failing[number] = nominees[number]
    _raise(errors)
    if nominees and len(failing) == len(nominees):
        raise RuleError("vetting_all_failed", _("全部人员未通过联审,请选择“联审未通过”。"),
                        field="excluded")
    ctx.scratch["failing"] = [a.pk for a in failing.values()]


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
        raise RuleError("vetting_not_passed", _("联审未通过或尚未联审,不能任用。"))
    passed = list(Appointee.objects.filter(case=ctx.case, vetting=VettingResult.PASSED))
    if not passed:
        raise RuleError("vetting_not_passed", _("没有通过联审的人员,不能任用。"))
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

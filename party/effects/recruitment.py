"""Effects of 01.1 发展党员: each stage writes the applicant's line of the register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from core.errors import RuleError
from core.models import Region
from party.choices import MemberSource, MemberStatus, ReviewResult, TrainingKind
from party.effects.common import (
    actor_name,
    clean_id_number,
    day,
    full_members_named,
    not_in_future,
    require_day,
)
from party.models import PartyMember, TrainingRecord
from workflows import params as tenant_params
from workflows.alerts import raise_alert
from workflows.calendar import add_months
from workflows.choices import AlertKind
from workflows.effects import EffectContext
from workflows.models import PublicityNotice
from workflows.registry import registry
from workflows.spec import Param

Effect = Callable[[EffectContext], None]


def param_value(ctx: EffectContext, param: Param) -> int:
    spec = registry.get(ctx.case.procedure)
    assert spec is not None
    return int(tenant_params.effective(spec, param, ctx.case.region))


def add_months_to_day(start: dt.date, months: int) -> dt.date:
    moment = timezone.make_aware(dt.datetime.combine(start, dt.time(12)))
    return timezone.localtime(add_months(moment, months)).date()


def member_of(ctx: EffectContext) -> PartyMember:
    member = PartyMember.objects.select_for_update().filter(recruitment_case=ctx.case).first()
    if member is None:
        raise RuleError("member_not_found", "该发展党员事项没有对应的党员名册记录。")
    return member


def register_applicant(ctx: EffectContext) -> None:
    """Application: the applicant enters the register (status 入党申请人)."""
    number = clean_id_number(ctx.data.get("id_number"))
    applied = require_day(ctx, "application_date")
    not_in_future(applied, "application_date", "递交入党申请日期")
    region: Region = ctx.case.region
    if PartyMember.objects.filter(region=region, id_number=number).exists():
        raise RuleError("member_exists", "党员名册中已有该身份证号码的人员,不能重复登记。",
                        field="id_number")
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    PartyMember.objects.create(
        region=region, name=ctx.data["name"], gender=ctx.data["gender"], birth_date=birth,
        id_number=number, phone=ctx.data.get("phone", ""), residence=ctx.data["residence"],
        status=MemberStatus.APPLICANT, source=MemberSource.RECRUITED,
        application_date=applied, recruitment_case=ctx.case,
    )


def record_talk(ctx: EffectContext, within: Param) -> None:
    """The talk within a month: a late talk is reported to the supervisors."""
    member = member_of(ctx)
    talked = require_day(ctx, "talk_date")
    not_in_future(talked, "talk_date", "谈话日期")
    assert member.application_date is not None
    if talked < member.application_date:
        raise RuleError("invalid_date", "谈话日期不能早于递交入党申请日期。", field="talk_date")
    limit = add_months_to_day(member.application_date, param_value(ctx, within))
    if talked > limit:
        raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                    message=f"{ctx.case.region.name}入党申请人{member.name}于"
                            f"{member.application_date:%Y年%m月%d日}递交申请,"
                            f"{talked:%Y年%m月%d日}才谈话,超过{within.describe()}。",
                    key=f"party-talk:{ctx.case.pk}")


def set_activist(ctx: EffectContext) -> None:
    """The committee's decision: its meeting date is the activist date; two contacts."""
    member = member_of(ctx)
    met = require_day(ctx, "meeting_date")
    not_in_future(met, "meeting_date", "支委会召开日期")
    notice = (PublicityNotice.objects.filter(case=ctx.case, step="activist_publicity")
              .order_by("-start").first())
    if notice is not None and met < timezone.localtime(notice.earliest_end).date():
        raise RuleError("invalid_date", "支委会须在公示期满后召开。", field="meeting_date")
    first, second = full_members_named(ctx, ("contact_1", "contact_2"), "培养联系人",
                                       exclude=member)
    member.status = MemberStatus.ACTIVIST
    member.activist_date = met
    member.contact_1, member.contact_2 = first, second
    member.save()


def _record(ctx: EffectContext, kind: TrainingKind, reporter: str) -> None:
    member = member_of(ctx)
    on = require_day(ctx, "on")
    not_in_future(on, "on", "日期")
    TrainingRecord.objects.create(member=member, case=ctx.case, kind=kind, on=on,
                                  reporter=reporter, summary=ctx.data.get("summary", ""),
                                  recorded_by=actor_name(ctx))


def record_activist_report(ctx: EffectContext) -> None:
    _record(ctx, TrainingKind.ACTIVIST_REPORT, member_of(ctx).name)


def record_contact_report(ctx: EffectContext) -> None:
    member = member_of(ctx)
    name = str(ctx.data.get("contact", "")).strip()
    contacts = {c.name for c in (member.contact_1, member.contact_2) if c is not None}
    if name not in contacts:
        raise RuleError("not_a_contact",
                        f"“{name}”不是{member.name}的培养联系人({'、'.join(sorted(contacts))})。",
                        field="contact")
    _record(ctx, TrainingKind.CONTACT_REPORT, name)


def record_branch_assessment(ctx: EffectContext) -> None:
    _record(ctx, TrainingKind.BRANCH_ASSESSMENT, ctx.case.region.name + "党支部")


def record_probation_report(ctx: EffectContext) -> None:
    _record(ctx, TrainingKind.PROBATION_REPORT, member_of(ctx).name)


def check_training(ctx: EffectContext, report_every: Param, assess_every: Param) -> None:
    """Proposing a development target: short training records raise an alert."""
    member = member_of(ctx)
    assert member.activist_date is not None
    today = timezone.localdate()
    months = (today.year - member.activist_date.year) * 12 + today.month \
        - member.activist_date.month
    quarters = months // param_value(ctx, report_every)
    halves = months // param_value(ctx, assess_every)
    records = TrainingRecord.objects.filter(member=member, case=ctx.case)
    short: list[str] = []
    own = records.filter(kind=TrainingKind.ACTIVIST_REPORT).count()
    if own < quarters:
        short.append(f"思想汇报{own}次(应不少于{quarters}次)")
    for contact in (member.contact_1, member.contact_2):
        if contact is None:
            continue
        n = records.filter(kind=TrainingKind.CONTACT_REPORT, reporter=contact.name).count()
        if n < quarters:
            short.append(f"联系人{contact.name}报告{n}次(应不少于{quarters}次)")
    assessed = records.filter(kind=TrainingKind.BRANCH_ASSESSMENT).count()
    if assessed < halves:
        short.append(f"支部考察{assessed}次(应不少于{halves}次)")
    if short:
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=f"{ctx.case.region.name}入党积极分子{member.name}被推荐为发展对象,"
                            f"但培养考察记录不足:{';'.join(short)}。",
                    key=f"party-training:{ctx.case.pk}")


def set_target(ctx: EffectContext) -> None:
    """The township accepts the filing: that date is the development-target date."""
    member = member_of(ctx)
    accepted = require_day(ctx, "filed_on")
    not_in_future(accepted, "filed_on", "备案同意日期")
    member.status = MemberStatus.TARGET
    member.target_date = accepted
    member.save()


def set_introducers(ctx: EffectContext) -> None:
    member = member_of(ctx)
    first, second = full_members_named(ctx, ("introducer_1", "introducer_2"), "入党介绍人",
                                       exclude=member)
    member.introducer_1, member.introducer_2 = first, second
    member.save()


def check_training_hours(ctx: EffectContext, hours: Param) -> None:
    need = param_value(ctx, hours)
    got = int(ctx.data.get("class_hours", 0))
    if got < need:
        raise RuleError("training_too_short",
                        f"发展对象集中培训不少于{need}个学时,本次登记{got}个学时。",
                        field="class_hours")


def check_admission_vote(ctx: EffectContext) -> None:
    """No admission without a passed political review and the training certificate."""
    review = ctx.step_data("political_review")
    if review.get("review_result") != ReviewResult.PASSED:
        raise RuleError("political_review_missing",
                        "未经政治审查或政治审查不合格的,不能发展入党。")
    if not ctx.step_data("district_training").get("certificate_no"):
        raise RuleError("training_missing", "发展对象未参加区委组织部集中培训,不能提交支部大会。")
    if ctx.step_data("pre_review").get("result") != ReviewResult.PASSED:
        raise RuleError("pre_review_missing", "未经镇(街道)党(工)委预审合格,不能提交支部大会。")
    met = require_day(ctx, "meeting_date")
    not_in_future(met, "meeting_date", "支部大会召开日期")


def approve_admission(ctx: EffectContext) -> None:
    member = member_of(ctx)
    met = day(ctx.step_data("general_meeting").get("meeting_date"))
    member.status = MemberStatus.PROBATIONARY
    member.admission_date = met
    member.save()


def record_oath(ctx: EffectContext) -> None:
    member = member_of(ctx)
    member.party_group = str(ctx.data.get("party_group", ""))
    member.save()


def extend_probation(ctx: EffectContext, shortest: Param, longest: Param) -> None:
    member = member_of(ctx)
    if member.probation_extension_months:
        raise RuleError("extension_once", "预备期只能延长一次。", field="months")
    months = int(ctx.data.get("months", 0))
    low, high = param_value(ctx, shortest), param_value(ctx, longest)
    if not low <= months <= high:
        raise RuleError("invalid_extension", f"延长预备期的时间为{low}至{high}个月。",
                        field="months")
    member.probation_extension_months = months
    member.save()


def approve_conversion(ctx: EffectContext, probation: Param) -> None:
    """Full membership; party standing counts from the end of probation."""
    member = member_of(ctx)
    approved = require_day(ctx, "approved_on")
    not_in_future(approved, "approved_on", "审批日期")
    assert member.admission_date is not None
    member.status = MemberStatus.FULL
    member.conversion_date = approved
    member.standing_from = add_months_to_day(
        member.admission_date, param_value(ctx, probation) + member.probation_extension_months)
    member.save()


def not_admitted(ctx: EffectContext) -> None:
    member = member_of(ctx)
    member.status = MemberStatus.NOT_ADMITTED
    member.save()


def archive_member(ctx: EffectContext) -> None:
    member = member_of(ctx)
    member.archive_kept_by = dict(ARCHIVE_KEEPERS).get(str(ctx.data.get("kept_by")), "")
    member.save()


ARCHIVE_KEEPERS = (
    ("personnel_file", "归入本人人事档案"),
    ("township", "党员档案由镇(街道)党(工)委保存"),
    ("district", "党员档案由区委组织部保存"),
)


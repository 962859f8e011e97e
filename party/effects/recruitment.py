"""Effects of 01.1 发展党员: each stage writes the applicant's line of the register.

Every check finds the applicant's line (``member_not_found`` otherwise) and refuses what
the rules refuse before anything is stored; every apply writes the line it was handed in
``ctx.scratch["member"]``. Effects that hang on a number of the rules are made by a
factory taking its :class:`~workflows.spec.Param` (its value in force comes from ``ctx``).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.errors import RuleError
from core.listing import listed
from party.choices import MemberSource, MemberStatus, ReviewResult, TrainingKind
from party.effects.common import (
    actor_name,
    full_members_named,
    months_after,
    plain_name,
    ref_id,
)
from party.models import PartyMember, TrainingRecord
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.messages import Text
from workflows.models import PublicityNotice
from workflows.proposals import register_proposal
from workflows.spec import Effect, Param

ARCHIVE_KEEPERS = (
    ("personnel_file", "归入本人人事档案"),
    ("township", "党员档案由镇(街道)党(工)委保存"),
    ("district", "党员档案由区委组织部保存"),
)


def _member(ctx: EffectContext) -> PartyMember:
    """The applicant's line of the register, locked (found once, by the check)."""
    if "member" not in ctx.scratch:
        member = (PartyMember.objects.select_for_update(of=("self",))
                  .select_related("contact_1", "contact_2")
                  .filter(recruitment_case=ctx.case).first())
        if member is None:
            raise RuleError("member_not_found", _("该发展党员事项没有对应的党员名册记录。"))
        ctx.scratch["member"] = member
    found: PartyMember = ctx.scratch["member"]
    return found


def _find(ctx: EffectContext) -> None:
    _member(ctx)


def _int(ctx: EffectContext, param: Param) -> int:
    return int(ctx.param(param))


# --- 申请入党 ---------------------------------------------------------------------------------


def _check_applicant(ctx: EffectContext) -> None:
    """The ID number is checked by its field (``format=id_number``); once in the register."""
    number = str(ctx.data["id_number"])
    if PartyMember.objects.filter(region=ctx.case.region, id_number=number).exists():
        raise RuleError("member_exists", _("党员名册中已有该身份证号码的人员,不能重复登记。"),
                        field="id_number")
    ctx.scratch["id_number"] = number


def _register_applicant(ctx: EffectContext) -> None:
    number: str = ctx.scratch["id_number"]
    PartyMember.objects.create(
        region=ctx.case.region, name=ctx.data["name"], gender=ctx.data["gender"],
        birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        id_number=number, phone=ctx.data.get("phone", ""), residence=ctx.data["residence"],
        status=MemberStatus.APPLICANT, source=MemberSource.RECRUITED,
        application_date=ctx.data["application_date"], recruitment_case=ctx.case,
    )


# Application: the applicant enters the register (status 入党申请人).
REGISTER_APPLICANT = effect("party.register_applicant", check=_check_applicant,
                            apply=_register_applicant)


@cache
def record_talk(within: Param) -> Effect:
    """The talk, not before the application; a talk later than ``within`` after it is
    reported to the supervisors."""

    def check(ctx: EffectContext) -> None:
        member = _member(ctx)
        assert member.application_date is not None
        dates.not_before(ctx.data["talk_date"], member.application_date, field="talk_date",
                         label=_("谈话日期"), start_label=_("递交入党申请日期"))

    def apply(ctx: EffectContext) -> None:
        member = _member(ctx)
        assert member.application_date is not None
        talked: dt.date = ctx.data["talk_date"]
        months = _int(ctx, within)
        if talked > months_after(member.application_date, months):
            raise_alert(kind=AlertKind.LATE_REPORT, case=ctx.case, actor=ctx.actor,
                        message=Text(gettext_noop("{place}入党申请人{name}于{applied}递交申请,"
                                                  "{talked}才谈话,超过{limit}。"),
                                     place=ctx.case.region.name, name=member.name,
                                     applied=member.application_date, talked=talked,
                                     limit=within.amount(months)),
                        key=f"party-talk:{ctx.case.pk}")

    return effect(f"party.record_talk.{within.name}", check=check, apply=apply)


# --- 入党积极分子 -------------------------------------------------------------------------------


def _check_activist(ctx: EffectContext) -> None:
    """The committee meets after the publicity; two full members other than the applicant
    become the contacts."""
    member = _member(ctx)
    notice = (PublicityNotice.objects.filter(case=ctx.case, step="activist_publicity")
              .order_by("-start").first())
    if notice is not None:
        dates.not_before(ctx.data["meeting"]["held_on"], notice.earliest_end,
                         field="meeting.held_at", label=_("支委会召开日期"),
                         start_label=_("积极分子人选公示期满"))
    ctx.scratch["contacts"] = full_members_named(ctx, ("contact_1", "contact_2"),
                                                 _("培养联系人"), exclude=member)


def _set_activist(ctx: EffectContext) -> None:
    """The day the committee met (its meeting's ``held_at``) is the activist date."""
    member = _member(ctx)
    member.status = MemberStatus.ACTIVIST
    member.activist_date = ctx.data["meeting"]["held_on"]
    member.contact_1, member.contact_2 = ctx.scratch["contacts"]
    member.save()


SET_ACTIVIST = effect("party.set_activist", check=_check_activist, apply=_set_activist)


def _reporter(ctx: EffectContext, kind: TrainingKind) -> str:
    member = _member(ctx)
    if kind == TrainingKind.CONTACT_REPORT:
        chosen = ctx.data.get("contact")
        contacts = {c.pk: c.name for c in (member.contact_1, member.contact_2) if c is not None}
        pk = ref_id(chosen)
        if pk not in contacts:
            name = plain_name(chosen.get("name") if isinstance(chosen, dict) else "")
            raise RuleError("not_a_contact", _("%(name)s不是%(member)s的培养联系人(%(items)s)。")
                                             % {"name": name, "member": member.name,
                                                "items": listed(sorted(contacts.values()))},
                            field="contact")
        return contacts[pk]
    if kind == TrainingKind.BRANCH_ASSESSMENT:
        return ctx.case.region.name + "党支部"
    return member.name


@cache
def record_training(kind: TrainingKind) -> Effect:
    """A line of the training record: the activist's or probationer's own report, a
    contact's report (only the two contacts may report), the branch's assessment."""

    def check(ctx: EffectContext) -> None:
        ctx.scratch["reporter"] = _reporter(ctx, kind)

    def apply(ctx: EffectContext) -> None:
        TrainingRecord.objects.create(
            member=_member(ctx), case=ctx.case, kind=kind, on=ctx.data["on"],
            reporter=ctx.scratch["reporter"], summary=ctx.data.get("summary", ""),
            recorded_by=actor_name(ctx))

    return effect(f"party.record_training.{kind.value}", check=check, apply=apply)


@cache
def alert_short_training(report_every: Param, assess_every: Param) -> Effect:
    """Proposing a development target: fewer reports or assessments than the months of
    training call for raise an alert (the proposal itself goes ahead)."""

    def apply(ctx: EffectContext) -> None:
        member = _member(ctx)
        assert member.activist_date is not None
        today = timezone.localdate(ctx.at)
        months = ((today.year - member.activist_date.year) * 12 + today.month
                  - member.activist_date.month)
        quarters = months // _int(ctx, report_every)
        halves = months // _int(ctx, assess_every)
        records = TrainingRecord.objects.filter(member=member, case=ctx.case)
        short: list[Text] = []
        own = records.filter(kind=TrainingKind.ACTIVIST_REPORT).count()
        if own < quarters:
            short.append(Text(gettext_noop("思想汇报{n}次(应不少于{least}次)"),
                              n=own, least=quarters))
        for contact in (member.contact_1, member.contact_2):
            if contact is None:
                continue
            n = records.filter(kind=TrainingKind.CONTACT_REPORT, reporter=contact.name).count()
            if n < quarters:
                short.append(Text(gettext_noop("联系人{name}报告{n}次(应不少于{least}次)"),
                                  name=contact.name, n=n, least=quarters))
        assessed = records.filter(kind=TrainingKind.BRANCH_ASSESSMENT).count()
        if assessed < halves:
            short.append(Text(gettext_noop("支部考察{n}次(应不少于{least}次)"),
                              n=assessed, least=halves))
        if short:
            raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                        message=Text(gettext_noop("{place}入党积极分子{name}被推荐为发展对象,"
                                                  "但培养考察记录不足:{short}。"),
                                     place=ctx.case.region.name, name=member.name,
                                     short=short),
                        key=f"party-training:{ctx.case.pk}")

    return effect(f"party.alert_short_training.{report_every.name}.{assess_every.name}",
                  check=_find, apply=apply)


# --- 发展对象 -----------------------------------------------------------------------------------


def _set_target(ctx: EffectContext) -> None:
    """The township's acceptance of the filing dates the development target."""
    member = _member(ctx)
    member.status = MemberStatus.TARGET
    member.target_date = ctx.data["filed_on"]
    member.save()


SET_TARGET = effect("party.set_target", check=_find, apply=_set_target)


def _check_announcement(ctx: EffectContext) -> None:
    """The branch tells the general meeting and the person of the committee's decision: not
    before the committee met."""
    _member(ctx)
    decided = ctx.step_values("target_decision").get("meeting")
    day = decided.get("held_on") if isinstance(decided, dict) else None
    if isinstance(day, dt.date):
        for name, label in (("announced_on", "向党员大会通报日期"), ("told_on", "告知本人日期")):
            dates.not_before(ctx.data[name], day, field=name, label=label,
                             start_label=_("支委会确定发展对象初步人选的日期"))


CHECK_ANNOUNCEMENT = effect("party.check_target_announcement", check=_check_announcement,
                            reads=("target_decision",))


def _check_introducers(ctx: EffectContext) -> None:
    ctx.scratch["introducers"] = full_members_named(
        ctx, ("introducer_1", "introducer_2"), _("入党介绍人"), exclude=_member(ctx))


def _set_introducers(ctx: EffectContext) -> None:
    member = _member(ctx)
    member.introducer_1, member.introducer_2 = ctx.scratch["introducers"]
    member.save()


SET_INTRODUCERS = effect("party.set_introducers", check=_check_introducers,
                         apply=_set_introducers)


# --- 预备党员的接收 -----------------------------------------------------------------------------


def _check_admission_vote(ctx: EffectContext) -> None:
    """No admission without a passed political review, the training certificate and a
    passed pre-review; the meeting not before the 入党志愿书 was issued (the probation it
    starts can never begin before the form)."""
    if ctx.step_data("political_review").get("review_result") != ReviewResult.PASSED:
        raise RuleError("political_review_missing",
                        _("未经政治审查或政治审查不合格的,不能发展入党。"))
    if not ctx.step_data("district_training").get("certificate_no"):
        raise RuleError("training_missing",
                        _("发展对象未参加区委组织部集中培训,不能提交支部大会。"))
    if ctx.step_data("pre_review").get("result") != ReviewResult.PASSED:
        raise RuleError("pre_review_missing", _("未经镇(街道)党(工)委预审合格,不能提交支部大会。"))
    issued = ctx.step_values("volunteer_form").get("issued_on")
    if isinstance(issued, dt.date):
        dates.not_before(ctx.data["meeting"]["held_on"], issued, field="meeting.held_at",
                         label=_("支部大会召开日期"), start_label=_("入党志愿书发放日期"))


CHECK_ADMISSION_VOTE = effect("party.check_admission_vote", check=_check_admission_vote,
                              reads=("political_review", "district_training", "pre_review",
                                     "volunteer_form"))


def _approve_admission(ctx: EffectContext) -> None:
    """Probationary from the day the general meeting that voted was held (its meeting's
    ``held_at``): the year of probation, and later the party standing, count from it."""
    member = _member(ctx)
    member.status = MemberStatus.PROBATIONARY
    member.admission_date = ctx.step_values("general_meeting")["meeting"]["held_on"]
    member.save()


APPROVE_ADMISSION = effect("party.approve_admission", check=_find, apply=_approve_admission,
                           reads=("general_meeting",))


def _record_oath(ctx: EffectContext) -> None:
    """The party group chosen (one of the branch's groups; the ref's id is its name)."""
    member = _member(ctx)
    group = ctx.data.get("party_group")
    member.party_group = str(group["id"]) if isinstance(group, dict) else ""
    member.save()


RECORD_OATH = effect("party.record_oath", check=_find, apply=_record_oath)


# --- 预备党员的教育考察和转正 -------------------------------------------------------------------


def _check_months(ctx: EffectContext, shortest: Param, longest: Param) -> None:
    low, high = _int(ctx, shortest), _int(ctx, longest)
    if not low <= int(ctx.data.get("months", 0)) <= high:
        raise RuleError("invalid_extension", _("延长预备期的时间为%(low)s至%(high)s个月。")
                                             % {"low": low, "high": high},
                        field="months")


@cache
def extend_probation(shortest: Param, longest: Param) -> Effect:
    """The general meeting's decision, at the end of the probation (the action's wait):
    once only, by ``shortest`` to ``longest`` months; it takes effect when the township
    approves it (``APPROVE_EXTENSION``)."""

    def check(ctx: EffectContext) -> None:
        if _member(ctx).probation_extension_months:
            raise RuleError("extension_once", _("预备期只能延长一次,已经延长过的不能再次延长。"),
                            field="months")
        _check_months(ctx, shortest, longest)

    return effect(f"party.extend_probation.{shortest.name}.{longest.name}", check=check)


def _extension_decided(case: object) -> int | None:
    """The months the general meeting decided (the township approves that decision)."""
    data = getattr(case, "data", None)
    decided = data.get("probation", {}).get("months") if isinstance(data, dict) else None
    return decided if isinstance(decided, int) else None


EXTENSION_DECIDED = register_proposal("party.extension_decided", _extension_decided)


def _check_extension_approval(ctx: EffectContext) -> None:
    _member(ctx)
    decided = ctx.step_values("probation").get("months")
    if decided != ctx.data.get("months"):
        raise RuleError("extension_mismatch",
                        _("批准延长的时间须与支部大会决定的%(decided)s个月一致;不同意的请选择不批准"
                          "。")
                        % {"decided": decided},
                        field="months")


def _approve_extension(ctx: EffectContext) -> None:
    member = _member(ctx)
    member.probation_extension_months = int(ctx.data["months"])
    member.save()


APPROVE_EXTENSION = effect("party.approve_extension", check=_check_extension_approval,
                           apply=_approve_extension, reads=("probation",))


@cache
def approve_conversion(probation: Param) -> Effect:
    """Full membership; party standing counts from the end of the probation (extended)."""

    def check(ctx: EffectContext) -> None:
        if _member(ctx).admission_date is None:
            raise RuleError("not_probationary", _("名册中没有该党员接收为预备党员的日期。"))

    def apply(ctx: EffectContext) -> None:
        member = _member(ctx)
        assert member.admission_date is not None
        member.status = MemberStatus.FULL
        member.conversion_date = ctx.data["approved_on"]
        member.standing_from = months_after(
            member.admission_date, _int(ctx, probation) + member.probation_extension_months)
        member.save()

    return effect(f"party.approve_conversion.{probation.name}", check=check, apply=apply)


def _not_admitted(ctx: EffectContext) -> None:
    member = _member(ctx)
    member.status = MemberStatus.NOT_ADMITTED
    member.save()


NOT_ADMITTED = effect("party.not_admitted", check=_find, apply=_not_admitted)


def _archive_member(ctx: EffectContext) -> None:
    member = _member(ctx)
    member.archive_kept_by = dict(ARCHIVE_KEEPERS).get(str(ctx.data.get("kept_by")), "")
    member.save()


ARCHIVE_MEMBER = effect("party.archive_member", check=_find, apply=_archive_member)

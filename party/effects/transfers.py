"""Effects of 01.3/01.4 (transfers out and in) and 01.5 (floating members)."""

from __future__ import annotations

from django.utils import timezone

from core.errors import RuleError
from party.choices import (
    FloatingState,
    Gender,
    MemberSource,
    MemberStatus,
    TransferDirection,
    TransferScope,
    TransferState,
)
from party.effects.common import (
    actor_name,
    clean_id_number,
    day,
    find_member,
    not_in_future,
    require_day,
)
from party.effects.recruitment import add_months_to_day, param_value
from party.models import FloatingContact, FloatingMember, PartyMember, TransferRecord
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext
from workflows.spec import Param

# --- 01.3 transfer out ----------------------------------------------------------------------


def issue_letter(ctx: EffectContext) -> None:
    member = find_member(ctx.case.region, ctx.data.get("member"), field="member")
    if TransferRecord.objects.filter(member=member, direction=TransferDirection.OUT).exclude(
            state=TransferState.DONE).exclude(case__state="withdrawn").exists():
        raise RuleError("transfer_open", f"{member.name}已有正在办理的转出手续。", field="member")
    issued = require_day(ctx, "issued_on")
    not_in_future(issued, "issued_on", "开具日期")
    TransferRecord.objects.create(
        region=ctx.case.region, case=ctx.case, member=member, direction=TransferDirection.OUT,
        scope=ctx.data["scope"], name=member.name, other_org=ctx.data["destination"],
        letter_no=ctx.data.get("letter_no", ""), issued_on=issued, state=TransferState.ISSUED)


def _record(ctx: EffectContext) -> TransferRecord:
    return (TransferRecord.objects.select_for_update(of=("self",)).select_related("member")
            .get(case=ctx.case))


def _mark_out(record: TransferRecord, on: object) -> None:
    record.state = TransferState.DONE
    record.save()
    member = record.member
    assert member is not None
    member.status = MemberStatus.TRANSFERRED_OUT
    member.transferred_out_date = day(on) or timezone.localdate()
    member.transferred_to = record.other_org
    member.floating = False
    member.save()


def confirm_in_system(ctx: EffectContext) -> None:
    record = _record(ctx)
    record.system_confirmed = True
    _mark_out(record, ctx.data.get("completed_on"))


def send_paper_letter(ctx: EffectContext, receipt_within: Param) -> None:
    record = _record(ctx)
    sent = require_day(ctx, "sent_on")
    record.letter_no = str(ctx.data.get("letter_no", record.letter_no))
    record.receipt_due = add_months_to_day(sent, param_value(ctx, receipt_within))
    record.state = TransferState.IN_TRANSIT
    record.save()


def receive_receipt(ctx: EffectContext) -> None:
    record = _record(ctx)
    received = require_day(ctx, "receipt_on")
    not_in_future(received, "receipt_on", "回执交回日期")
    record.receipt_on = received
    _mark_out(record, received)


# --- 01.4 transfer in -----------------------------------------------------------------------


def receive_transfer(ctx: EffectContext) -> None:
    number = clean_id_number(ctx.data.get("id_number"))
    if PartyMember.objects.filter(region=ctx.case.region, id_number=number).exclude(
            status=MemberStatus.TRANSFERRED_OUT).exists():
        raise RuleError("member_exists", "本村(社区)党员名册中已有该党员。", field="id_number")
    TransferRecord.objects.create(
        region=ctx.case.region, case=ctx.case, direction=TransferDirection.IN,
        scope=ctx.data["scope"], name=ctx.data["name"], other_org=ctx.data["from_org"],
        letter_no=ctx.data.get("letter_no", ""), issued_on=require_day(ctx, "received_on"),
        system_confirmed=ctx.data["scope"] == TransferScope.IN_PROVINCE,
        state=TransferState.PUBLICITY)


def refuse_transfer(ctx: EffectContext) -> None:
    """A refusal to accept a member is always reported to the supervisors."""
    record = _record(ctx)
    raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                message=f"{ctx.case.region.name}不接收{record.name}的党组织关系,"
                        f"理由:{ctx.data.get('reason', '')}",
                key=f"party-refuse-in:{ctx.case.pk}")
    record.state = TransferState.DONE
    record.save()


def report_in(ctx: EffectContext) -> None:
    """The member reports to the branch: he enters (or re-enters) the register."""
    record = _record(ctx)
    received = ctx.step_data("receive")
    reported = require_day(ctx, "reported_on")
    not_in_future(reported, "reported_on", "报到日期")
    number = str(received.get("id_number", ""))
    status = (MemberStatus.PROBATIONARY if received.get("membership") == "probationary"
              else MemberStatus.FULL)
    member = PartyMember.objects.filter(region=ctx.case.region, id_number=number).first()
    if member is None:
        member = PartyMember(region=ctx.case.region, id_number=number)
    member.name = str(received.get("name", record.name))
    member.gender = str(received.get("gender", Gender.MALE))
    member.status = status
    member.source = MemberSource.TRANSFER_IN
    member.phone = str(received.get("phone", ""))
    member.admission_date = day(received.get("admission_date"))
    member.party_group = str(ctx.data.get("party_group", ""))
    member.transferred_in_date = reported
    member.transferred_out_date = None
    member.transferred_to = ""
    member.save()
    record.member = member
    record.reported_on = reported
    record.state = TransferState.REPORTED
    record.save()


# --- 01.5 floating members ------------------------------------------------------------------


def register_floating(ctx: EffectContext) -> None:
    member = find_member(ctx.case.region, ctx.data.get("member"), field="member")
    if FloatingMember.objects.filter(member=member, state=FloatingState.OUT).exists():
        raise RuleError("already_floating", f"{member.name}已在流动党员台账中。", field="member")
    left = require_day(ctx, "left_on")
    not_in_future(left, "left_on", "外出日期")
    contact = find_member(ctx.case.region, ctx.data.get("branch_contact"),
                          field="branch_contact", statuses=(MemberStatus.FULL,),
                          what="正式党员(党支部联系人)")
    if contact.pk == member.pk:
        raise RuleError("same_person", "党支部联系人不能是流动党员本人。", field="branch_contact")
    FloatingMember.objects.create(
        region=ctx.case.region, case=ctx.case, member=member,
        destination=ctx.data["destination"], work=ctx.data["work"], left_on=left,
        phone=ctx.data["phone"], branch_contact=contact.name, last_contact_on=left)
    member.floating = True
    member.save()


def _floating(ctx: EffectContext) -> FloatingMember:
    return FloatingMember.objects.select_for_update().select_related("member").get(case=ctx.case)


def issue_certificate(ctx: EffectContext) -> None:
    row = _floating(ctx)
    row.certificate_no = str(ctx.data["certificate_no"])
    row.certificate_on = require_day(ctx, "issued_on")
    row.save()


def host_report(ctx: EffectContext) -> None:
    row = _floating(ctx)
    row.host_branch = str(ctx.data["host_branch"])
    row.host_reported_on = require_day(ctx, "reported_on")
    row.last_contact_on = max(filter(None, (row.last_contact_on, row.host_reported_on)))
    row.save()


def _contact(ctx: EffectContext, kind: str) -> None:
    row = _floating(ctx)
    on = require_day(ctx, "on")
    not_in_future(on, "on", "日期")
    FloatingContact.objects.create(floating=row, on=on, kind=kind,
                                   content=str(ctx.data.get("content", "")),
                                   recorded_by=actor_name(ctx))
    if row.last_contact_on is None or on > row.last_contact_on:
        row.last_contact_on = on
    row.save()


def record_contact(ctx: EffectContext) -> None:
    _contact(ctx, "联系沟通(" + str(ctx.data.get("way", "")) + ")")


def record_homecoming(ctx: EffectContext) -> None:
    _contact(ctx, "返乡组织生活或教育培训")


def nominate_reserve(ctx: EffectContext) -> None:
    row = _floating(ctx)
    if row.reserve_nominated:
        raise RuleError("already_nominated", f"{row.member.name}已纳入村后备力量培养。")
    row.reserve_nominated = True
    row.save()
    FloatingContact.objects.create(floating=row, on=timezone.localdate(),
                                   kind="纳入村后备力量培养",
                                   content=str(ctx.data.get("reason", "")),
                                   recorded_by=actor_name(ctx))


def floating_returned(ctx: EffectContext) -> None:
    row = _floating(ctx)
    row.state = FloatingState.RETURNED
    row.returned_on = require_day(ctx, "returned_on")
    row.save()
    row.member.floating = False
    row.member.save()

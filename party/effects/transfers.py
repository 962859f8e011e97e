"""Effects of 01.3/01.4 (transfers out and in) and 01.5 (floating members).

The checks find the members named in the register and refuse what the rules refuse; the
applies write the transfer ledgers, the floating members' ledger and the register.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import RuleError
from party.choices import (
    ContactWay,
    FloatingState,
    Gender,
    MemberSource,
    MemberStatus,
    TransferDirection,
    TransferScope,
    TransferState,
)
from party.effects.common import actor_name, member_named, months_after
from party.models import FloatingContact, FloatingMember, PartyMember, TransferRecord
from workflows.alerts import raise_alert
from workflows.choices import AlertKind, CaseState
from workflows.effects import EffectContext, effect
from workflows.messages import Text
from workflows.spec import Effect, Param

# --- 01.3 transfer out ----------------------------------------------------------------------


def _check_letter(ctx: EffectContext) -> None:
    """A member of the register, with no other transfer out under way."""
    member = member_named(ctx.case.region, ctx.data.get("member"), field="member")
    if TransferRecord.objects.filter(member=member, direction=TransferDirection.OUT).exclude(
            state=TransferState.DONE).exclude(case__state=CaseState.WITHDRAWN).exists():
        raise RuleError("transfer_open", _("%(member)s已有正在办理的转出手续。")
                                         % {"member": member.name}, field="member")
    ctx.scratch["member"] = member


def _issue_letter(ctx: EffectContext) -> None:
    member: PartyMember = ctx.scratch["member"]
    TransferRecord.objects.create(
        region=ctx.case.region, case=ctx.case, member=member, direction=TransferDirection.OUT,
        scope=ctx.data["scope"], name=member.name, other_org=ctx.data["destination"],
        letter_no=ctx.data.get("letter_no", ""), issued_on=ctx.data["issued_on"],
        state=TransferState.ISSUED)


ISSUE_LETTER = effect("party.issue_transfer_letter", check=_check_letter, apply=_issue_letter)


def _record(ctx: EffectContext) -> TransferRecord:
    return (TransferRecord.objects.select_for_update(of=("self",)).select_related("member")
            .get(case=ctx.case))


def _mark_out(record: TransferRecord, on: dt.date) -> None:
    """The transfer is done: the member leaves the register (marked, never deleted)."""
    record.state = TransferState.DONE
    record.save()
    member = record.member
    assert member is not None
    member.status = MemberStatus.TRANSFERRED_OUT
    member.transferred_out_date = on
    member.transferred_to = record.other_org
    member.floating = False
    member.save()


def _confirm_in_system(ctx: EffectContext) -> None:
    record = _record(ctx)
    record.system_confirmed = True
    _mark_out(record, ctx.data["completed_on"])


CONFIRM_IN_SYSTEM = effect("party.confirm_transfer_in_system", apply=_confirm_in_system)


@cache
def send_paper_letter(receipt_within: Param) -> Effect:
    """The paper letter is under way: its receipt is due ``receipt_within`` after it."""

    def apply(ctx: EffectContext) -> None:
        record = _record(ctx)
        record.letter_no = str(ctx.data.get("letter_no", record.letter_no))
        record.receipt_due = months_after(ctx.data["sent_on"], int(ctx.param(receipt_within)))
        record.state = TransferState.IN_TRANSIT
        record.save()

    return effect(f"party.send_paper_letter.{receipt_within.name}", apply=apply)


def _receive_receipt(ctx: EffectContext) -> None:
    record = _record(ctx)
    record.receipt_on = ctx.data["receipt_on"]
    _mark_out(record, ctx.data["receipt_on"])


RECEIVE_RECEIPT = effect("party.receive_transfer_receipt", apply=_receive_receipt)


# --- 01.4 transfer in -----------------------------------------------------------------------


def _check_incoming(ctx: EffectContext) -> None:
    """The ID number is checked by its field (``format=id_number``); not twice a member."""
    number = str(ctx.data["id_number"])
    if PartyMember.objects.filter(region=ctx.case.region, id_number=number).exclude(
            status=MemberStatus.TRANSFERRED_OUT).exists():
        raise RuleError("member_exists", _("本村(社区)党员名册中已有该党员。"), field="id_number")


def _receive_transfer(ctx: EffectContext) -> None:
    TransferRecord.objects.create(
        region=ctx.case.region, case=ctx.case, direction=TransferDirection.IN,
        scope=ctx.data["scope"], name=ctx.data["name"], other_org=ctx.data["from_org"],
        letter_no=ctx.data.get("letter_no", ""), issued_on=ctx.data["received_on"],
        system_confirmed=ctx.data["scope"] == TransferScope.IN_PROVINCE,
        state=TransferState.PUBLICITY)


RECEIVE_TRANSFER = effect("party.receive_transfer", check=_check_incoming,
                          apply=_receive_transfer)


def _refuse_transfer(ctx: EffectContext) -> None:
    """A refusal to accept a member is always reported to the supervisors."""
    record = _record(ctx)
    raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                message=Text(gettext_noop("{place}不接收{name}的党组织关系,理由:{reason}"),
                             place=ctx.case.region.name, name=record.name,
                             reason=ctx.data.get("reason", "")),
                key=f"party-refuse-in:{ctx.case.pk}")
    record.state = TransferState.DONE
    record.save()


REFUSE_TRANSFER = effect("party.refuse_transfer", apply=_refuse_transfer)


def _report_in(ctx: EffectContext) -> None:
    """The member reports to the branch: he enters (or re-enters) the register."""
    record = _record(ctx)
    received = ctx.step_values("receive")
    reported: dt.date = ctx.data["reported_on"]
    number = str(received.get("id_number", "")).strip().upper()
    member = PartyMember.objects.filter(region=ctx.case.region, id_number=number).first()
    if member is None:
        member = PartyMember(region=ctx.case.region, id_number=number)
    member.name = str(received.get("name", record.name))
    member.gender = str(received.get("gender", Gender.MALE))
    member.status = (MemberStatus.PROBATIONARY if received.get("membership") == "probationary"
                     else MemberStatus.FULL)
    member.source = MemberSource.TRANSFER_IN
    member.phone = str(received.get("phone", ""))
    admitted = received.get("admission_date")
    member.admission_date = admitted if isinstance(admitted, dt.date) else None
    group = ctx.data.get("party_group")  # one of the branch's groups: its id is its name
    member.party_group = str(group["id"]) if isinstance(group, dict) else ""
    member.transferred_in_date = reported
    member.transferred_out_date = None
    member.transferred_to = ""
    member.save()
    record.member = member
    record.reported_on = reported
    record.state = TransferState.REPORTED
    record.save()


REPORT_IN = effect("party.report_in", apply=_report_in, reads=("receive",))


# --- 01.5 floating members ------------------------------------------------------------------


def _check_floating(ctx: EffectContext) -> None:
    """A member not already away, and a full member other than him as the branch's contact."""
    member = member_named(ctx.case.region, ctx.data.get("member"), field="member")
    if FloatingMember.objects.filter(member=member, state=FloatingState.OUT).exists():
        raise RuleError("already_floating", _("%(member)s已在流动党员台账中。")
                                            % {"member": member.name}, field="member")
    contact = member_named(ctx.case.region, ctx.data.get("branch_contact"),
                           field="branch_contact", statuses=(MemberStatus.FULL,),
                           what=_("正式党员(党支部联系人)"))
    if contact.pk == member.pk:
        raise RuleError("same_person", _("党支部联系人不能是流动党员本人。"),
                        field="branch_contact")
    ctx.scratch["member"], ctx.scratch["contact"] = member, contact


def _register_floating(ctx: EffectContext) -> None:
    member: PartyMember = ctx.scratch["member"]
    left: dt.date = ctx.data["left_on"]
    FloatingMember.objects.create(
        region=ctx.case.region, case=ctx.case, member=member,
        destination=ctx.data["destination"], work=ctx.data["work"], left_on=left,
        phone=ctx.data["phone"], branch_contact=ctx.scratch["contact"].name,
        last_contact_on=left)
    member.floating = True
    member.save()


REGISTER_FLOATING = effect("party.register_floating", check=_check_floating,
                           apply=_register_floating)


def _floating(ctx: EffectContext) -> FloatingMember:
    if "floating" not in ctx.scratch:
        ctx.scratch["floating"] = (FloatingMember.objects.select_for_update(of=("self",))
                                   .select_related("member").get(case=ctx.case))
    row: FloatingMember = ctx.scratch["floating"]
    return row


def _issue_certificate(ctx: EffectContext) -> None:
    row = _floating(ctx)
    row.certificate_no = str(ctx.data["certificate_no"])
    row.certificate_on = ctx.data["issued_on"]
    row.save()


ISSUE_CERTIFICATE = effect("party.issue_floating_certificate", apply=_issue_certificate)


def _host_report(ctx: EffectContext) -> None:
    row = _floating(ctx)
    row.host_branch = str(ctx.data["host_branch"])
    row.host_reported_on = ctx.data["reported_on"]
    row.last_contact_on = max(filter(None, (row.last_contact_on, row.host_reported_on)))
    row.save()


HOST_REPORT = effect("party.floating_host_report", apply=_host_report)


def _contact(ctx: EffectContext, kind: str) -> None:
    row = _floating(ctx)
    on: dt.date = ctx.data["on"]
    FloatingContact.objects.create(floating=row, on=on, kind=kind,
                                   content=str(ctx.data.get("content", "")),
                                   recorded_by=actor_name(ctx))
    if row.last_contact_on is None or on > row.last_contact_on:
        row.last_contact_on = on
    row.save()


def _record_contact(ctx: EffectContext) -> None:
    _contact(ctx, f"联系沟通({ContactWay(ctx.data['way']).label})")


def _record_homecoming(ctx: EffectContext) -> None:
    _contact(ctx, "返乡组织生活或教育培训")


RECORD_CONTACT = effect("party.record_floating_contact", apply=_record_contact)
RECORD_HOMECOMING = effect("party.record_homecoming", apply=_record_homecoming)


def _check_not_nominated(ctx: EffectContext) -> None:
    row = _floating(ctx)
    if row.reserve_nominated:
        raise RuleError("already_nominated", _("%(name)s已纳入村后备力量培养。")
                                             % {"name": row.member.name})


def _nominate_reserve(ctx: EffectContext) -> None:
    row = _floating(ctx)
    row.reserve_nominated = True
    row.save()
    FloatingContact.objects.create(floating=row, on=timezone.localdate(ctx.at),
                                   kind="纳入村后备力量培养",
                                   content=str(ctx.data.get("reason", "")),
                                   recorded_by=actor_name(ctx))


NOMINATE_RESERVE = effect("party.nominate_reserve", check=_check_not_nominated,
                          apply=_nominate_reserve)


def _floating_returned(ctx: EffectContext) -> None:
    row = _floating(ctx)
    row.state = FloatingState.RETURNED
    row.returned_on = ctx.data["returned_on"]
    row.save()
    row.member.floating = False
    row.member.save()


FLOATING_RETURNED = effect("party.floating_returned", apply=_floating_returned)

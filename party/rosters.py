"""The party register (党员名册) as a roster of the engine (``workflows.rosters``).

It is the source of the 党员大会's roll (``party.rolls``) and of every field that names a
member (``ref="party_member"``, narrowed by ``ref_filter``: ``full``, ``probationary``,
``member`` (both), ``voting`` (full, not under 留党察看), ``target``, ``activist``,
``applicant``, ``pipeline`` (the last three); words may be joined by commas).

A person's way into the party is recorded by the procedures (01.1 发展党员, 01.3/01.4
transfers): their status and the dates of its stages are not edited here. What the roster
pages add is the register of members who joined before the portal (原有党员登记: full or
probationary members with their dates), their contact details and party group, 留党察看,
and the end of a membership other than by a transfer (去世、出党: 党员减少).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.errors import RuleError
from core.models import Region
from core.roles import Role
from party.choices import Gender, MemberEnd, MemberSource, MemberStatus, Residence
from party.models import PartyMember
from party.models.members import MEMBERS, STAGES
from workflows.rosters import RefFilter, RosterSpec, end_fields, register_roster
from workflows.spec import TODAY, FieldType, Format, field

EDITORS = (Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY, Role.BRANCH_COMMITTEE)
# the procedures whose cases' viewers read the register
PROCEDURES = ("01.1", "01.2", "01.3", "01.4", "01.5", "02.1", "02.2", "02.3", "02.4", "02.5")
# statuses a member registered through the roster page may have (the others come from 01.1)
REGISTERED = (MemberStatus.FULL, MemberStatus.PROBATIONARY)
STAGE_FIELDS = tuple(attr for _status, attr in STAGES)
# what the procedures keep: not changed on the roster pages once a procedure wrote them
MANAGED = ("status", *STAGE_FIELDS, "transferred_in_date")

COLUMNS = (
    field("name", "姓名", max_length=32),
    field("gender", "性别", FieldType.CHOICE, choices=Gender.choices),
    field("id_number", "身份证号", format=Format.ID_NUMBER),
    field("birth_date", "出生日期", FieldType.DATE, required=False, max=TODAY),
    field("phone", "手机号码", format=Format.MOBILE, required=False),
    field("party_group", "所在党小组", required=False, max_length=32,
          help="如:第一党小组"),
    field("residence", "居住情况", FieldType.CHOICE, choices=Residence.choices),
    field("floating", "流动党员", FieldType.BOOLEAN, required=False),
    field("status", "党员类别", FieldType.CHOICE, choices=MemberStatus.choices,
          help="登记原有党员时选“正式党员”或“预备党员”;其余由“发展党员”等事项记录"),
    field("admission_date", "入党日期(接收为预备党员)", FieldType.DATE, required=False,
          max=TODAY),
    field("conversion_date", "转为正式党员日期", FieldType.DATE, required=False, max=TODAY,
          after="admission_date"),
    field("suspended_from", "留党察看起始日期", FieldType.DATE, required=False, max=TODAY),
    field("suspended_until", "留党察看截止日期", FieldType.DATE, required=False,
          after="suspended_from"),
)


def _status(member: PartyMember, day: dt.date) -> MemberStatus | None:
    return member.status_on(day)


def _is(*statuses: MemberStatus) -> Any:
    wanted = {str(s) for s in statuses}
    return lambda m, day: (_status(m, day) or "") in wanted


FILTERS: Mapping[str, RefFilter] = {
    "full": RefFilter("正式党员", _is(MemberStatus.FULL)),
    "probationary": RefFilter("预备党员", _is(MemberStatus.PROBATIONARY)),
    "target": RefFilter("发展对象", _is(MemberStatus.TARGET)),
    "activist": RefFilter("入党积极分子", _is(MemberStatus.ACTIVIST)),
    "applicant": RefFilter("入党申请人", _is(MemberStatus.APPLICANT)),
    "member": RefFilter("党员", _is(*MEMBERS)),
    "voting": RefFilter("有表决权的正式党员",
                        lambda m, day: _is(MemberStatus.FULL)(m, day) and not m.suspended_on(day)),
    "pipeline": RefFilter("入党申请人、积极分子和发展对象",
                          _is(MemberStatus.APPLICANT, MemberStatus.ACTIVIST,
                              MemberStatus.TARGET)),
}


def label(member: PartyMember, day: dt.date) -> str:
    """What a cadre picks a member by: 张三(正式党员,第一党小组)."""
    status = _status(member, day)
    parts = [str(status.label) if status else str(member.get_status_display())]
    if member.party_group:
        parts.append(member.party_group)
    if member.suspended_on(day):
        parts.append("留党察看")
    return f"{member.name}({','.join(parts)})"


def _managed(member: PartyMember | None) -> bool:
    """A member whose way into the party (or out of it) a procedure records."""
    return member is not None and (
        member.recruitment_case_id is not None or member.source != MemberSource.REGISTER
        or member.status not in REGISTERED)


def check(village: Region, member: PartyMember | None,
          values: Mapping[str, Any]) -> list[RuleError]:
    errors: list[RuleError] = []
    number = values.get("id_number")
    twin = PartyMember.objects.filter(region=village, id_number=number)
    if member is not None:
        twin = twin.exclude(pk=member.pk)
    if number and twin.exists():
        errors.append(RuleError("member_exists",
                                _("党员名册中已有该身份证号码的人员(含已转出、已减少的),不能重复登"
                                  "记。"), field="id_number"))
    if _managed(member):
        assert member is not None
        changed = [name for name in ("status", "admission_date", "conversion_date")
                   if values.get(name) != getattr(member, name)]
        if changed:
            errors.append(RuleError(
                "managed_by_procedure",
                _("%(name)s的党员类别和入党、转正日期由“发展党员”或组织关系转接事项记录"
                  "(现为%(status)s),不能在名册中修改。")
                % {"name": member.name, "status": member.get_status_display()},
                field=changed[0]))
        return errors
    if values.get("status") not in REGISTERED:
        errors.append(RuleError("invalid_field", _("在名册中登记的原有党员应为正式党员或预备党员;"
                                                   "入党申请人经“发展党员”事项登记。"),
                                field="status"))
    if values.get("admission_date") is None:
        errors.append(RuleError("missing_field", _("请填写“入党日期(接收为预备党员)”。"),
                                field="admission_date"))
    if values.get("status") == MemberStatus.FULL and values.get("conversion_date") is None:
        errors.append(RuleError("missing_field", _("正式党员请填写“转为正式党员日期”。"),
                                field="conversion_date"))
    if values.get("status") == MemberStatus.PROBATIONARY and values.get("conversion_date"):
        errors.append(RuleError("invalid_field", _("预备党员不应有“转为正式党员日期”;已转正的请选“"
                                                   "正式党员”。"), field="conversion_date"))
    return errors


def write(member: PartyMember, values: Mapping[str, Any], actor: Any) -> None:
    """A member registered here came before the portal (原有党员登记); 党龄 counts from
    the conversion."""
    if member.pk is None:
        member.source = MemberSource.REGISTER
    if not _managed(member) and member.status == MemberStatus.FULL:
        member.standing_from = member.standing_from or member.conversion_date
    number = str(values.get("id_number") or "")
    if member.birth_date is None and len(number) == 18:
        member.birth_date = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def end(member: PartyMember, values: Mapping[str, Any], actor: Any) -> None:
    """党员减少: the member leaves the register (the date and why)."""
    member.status = MemberStatus.LEFT


PARTY_MEMBERS = register_roster(RosterSpec(
    code="party_member", name="党员名册", entry="党员", model=PartyMember, columns=COLUMNS,
    procedures=PROCEDURES, editors=EDITORS, label=label, key=("id_number",),
    order=("party_group", "name"), search=("name", "id_number", "party_group"),
    filters=FILTERS, check=check, write=write, end=end,
    ends=end_fields(MemberEnd.choices, date_label="减少日期", reason_label="减少原因"),
    extra=(("来源", lambda m: m.get_source_display()),), unit="人",
    listed=("name", "gender", "id_number", "phone", "party_group", "admission_date",
            "conversion_date", "suspended_from"),
    example={"name": "张三", "gender": "男", "id_number": "330299198001011234",
             "birth_date": "1980-01-01", "phone": "13800000000", "party_group": "第一党小组",
             "residence": Residence.RESIDENT.label, "floating": "否",
             "status": MemberStatus.FULL.label, "admission_date": "2008-07-01",
             "conversion_date": "2009-07-01"},
    basis="党员大会的应到人数:有表决权的正式党员(预备党员、受留党察看处分的党员列席,无表决权)。"
          "入党申请人、积极分子和发展对象经“发展党员”事项登记。",
))

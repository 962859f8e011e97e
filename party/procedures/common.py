"""Texts, roles and meeting rules shared by the party procedures (01 and 02)."""

from __future__ import annotations

from dataclasses import replace

from core.roles import Role
from workflows.common import PARTY_MEASURES
from workflows.spec import (
    Basis,
    FieldSpec,
    FieldType,
    MeetingRule,
    Source,
    field,
    local,
    model_text,
    more_than,
    ratio,
)

CATEGORY = "党建工作"
GUIDING_UNITS = ("区委组织部",)
GUIDING_ROLES = (Role.DISTRICT_ORG,)
SUPERVISOR = "上级党组织"
MEASURES = PARTY_MEASURES

BRANCH = (Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY)
BRANCH_COMMITTEE = (Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY, Role.BRANCH_COMMITTEE)
TOWNSHIP = (Role.TOWNSHIP_PARTY,)

GENERAL_QUORUM = ratio("general_quorum", "党员大会到会比例(有表决权的党员)", 1, 2,
                       source=model_text("“表决必须有半数以上有表决权的党员到会方可进行”"))
GENERAL_PASS = ratio("general_pass", "党员大会通过比例(应到会有表决权的党员)", 1, 2,
                     source=model_text("“赞成人数超过应到会有表决权的党员的半数为通过”"))

# [law] 党支部工作条例: 表决必须有半数以上有表决权的党员到会方可进行,
# 赞成人数超过应到会有表决权的党员的半数为通过.
GENERAL_MEETING = MeetingRule(
    body="党支部党员大会",
    quorum=more_than(GENERAL_QUORUM, Basis.DUE),
    pass_line=more_than(GENERAL_PASS, Basis.DUE),
    roll_label="应到会有表决权的党员人数",
    roll="party_members",
)

# 到会委员数超过半数方可进行; a decision needs more than half of the members due.
COMMITTEE_MEETING = MeetingRule(
    body="党支部委员会会议",
    quorum=more_than(ratio("committee_quorum", "支委会到会比例", 1, 2,
                           source=model_text("“到会委员数超过半数方可进行”")), Basis.DUE),
    pass_line=more_than(ratio("committee_pass", "支委会通过比例(应到委员)", 1, 2,
                              source=local("示范文本只定到会委员超过半数;本区按民主集中制,"
                                           "决定事项以超过应到委员半数赞成为通过")),
                        Basis.DUE),
    roll_label="支部委员人数",
    roll="branch_committee",
)

ARCHIVE_CONTROL = ("办结前须逐项勾选归档清单,缺一项系统拒绝办结;"
                   "每一步的记录和附件随办理记录自动留存并计算SHA-256,台账可导出PDF和Excel")

NO_QUORUM = local("会议不作表决,示范文本未定到会比例;默认不设,区、镇(街道)可以设定")


def sourced(rule: MeetingRule, quorum: Source = NO_QUORUM) -> MeetingRule:
    """``rule`` (made by the engine's ``attendance`` or ``simple_majority``) with the source of
    its quorum and, when it has none yet, of its pass line."""
    line = rule.pass_line
    if line.ratio.source is None:
        line = replace(line, ratio=line.ratio.based_on(quorum))
    return replace(rule, quorum=replace(rule.quorum, ratio=rule.quorum.ratio.based_on(quorum)),
                   pass_line=line)


# a phone number: an 11-digit mobile, or a fixed line with its area code
PHONE_PATTERN = r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?"
PHONE_HELP = "手机号码,或带区号的固定电话(如0571-87654321)"


def member_ref(name: str, label: str, ref_filter: str = "member", *, required: bool = True,
               help: str = "") -> FieldSpec:
    """A person of the village's party register (党员名册), picked from it: ``ref_filter``
    ``full`` (正式党员), ``member`` (正式和预备党员) … (party.rosters)."""
    what = {"full": "本支部的正式党员", "member": "本支部的党员"}.get(ref_filter, "名册中的人员")
    return field(name, label, FieldType.REF, ref="party_member", ref_filter=ref_filter,
                 required=required, help=help or f"从党员名册中选择{what}")

"""The numbers of the party rules that more than the specs read: the periodic checks
(``party.checks``) and the activist pool (``party.pool``) take them from here, with the codes
of their procedures, so that neither imports the procedures (which import them)."""

from __future__ import annotations

from party.choices import MeetingKind
from workflows.spec import Param, Unit, min_months, months

# --- 01.1 发展党员 ------------------------------------------------------------------------------
RECRUITMENT_CODE = "01.1"
TALK_WITHIN = months("talk_within", "与入党申请人谈话时限", 1)
ACTIVIST_PERIOD = min_months("activist_period", "入党积极分子培养考察期", 12)
REPORT_EVERY = months("activist_report_every", "积极分子和培养联系人汇报间隔", 3)
ASSESS_EVERY = months("branch_assessment_every", "党支部考察间隔", 6)
PROBATION = min_months("probation_period", "预备期", 12)
EXTENSION_MIN = Param("probation_extension_min", "延长预备期最短", 6, 6, Unit.MONTHS)
EXTENSION_MAX = Param("probation_extension_max", "延长预备期最长", 12, 1, Unit.MONTHS,
                      ceiling=12)
TRAINING_HOURS = Param("target_training_hours", "发展对象集中培训学时", 24, 24, Unit.COUNT)

# --- 01.3 转出, 01.5 流动党员 -------------------------------------------------------------------
FLOATING_CODE = "01.5"
RECEIPT_WITHIN = months("receipt_within", "省外转移回执交回时限", 3)
HANDLE_WITHIN = months("township_handle_within", "镇(街道)党委办理转移时限", 1)
CONTACT_EVERY = months("floating_contact_every", "与流动党员联系间隔", 3)

# --- 02 组织生活 --------------------------------------------------------------------------------
MEETINGS_CODE = "02.1"
THEMED_DAY_CODE = "02.3"
# how often each meeting is due (a township may require it more often, never less)
EVERY = {
    MeetingKind.GENERAL: months("general_meeting_every", "党员大会召开周期", 3),
    MeetingKind.COMMITTEE: months("committee_meeting_every", "支委会召开周期", 1),
    MeetingKind.GROUP: months("group_meeting_every", "党小组会召开周期", 1),
    MeetingKind.LECTURE: months("lecture_every", "党课开展周期", 12),
}
THEMED_DAY_EVERY = months("themed_day_every", "主题党日开展周期", 1)
FORMS_AT_LEAST = Param("appraisal_forms_at_least", "述职评议形式种数", 2, 2, Unit.COUNT)
SAME_FORM_LIMIT = Param("themed_day_same_form_alert", "主题党日连续同一形式预警次数", 3, 2,
                        Unit.COUNT, ceiling=3)
STUDY_AT_LEAST = Param("life_meeting_study_sessions", "会前集中学习次数", 1, 1, Unit.COUNT)

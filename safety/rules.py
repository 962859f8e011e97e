"""Every number of the safety procedures, as named parameters with their floors, and the
codes of the procedures (contract 1).

The procedures (``safety.procedures``) and their effects (``safety.effects``) both read
these; this module imports only ``workflows.spec``, so neither imports the other.
Hours and minutes have no unit of their own in the engine: they are counts whose
ceiling is the default, so no tenant setting can make a reporting limit looser.
"""

from __future__ import annotations

from workflows.spec import Param, Unit, days, deadline_days, months

# the procedure codes, for the periodic checks that look their specs up in the registry
MEDIATION_CODE = "07.1"
PETITIONS_CODE = "07.2"
CORRECTION_CODE = "07.3"
GRID_CODE = "08"
EDUCATION_CODE = "09"
EMERGENCY_CODE = "10.1"
HAZARDS_CODE = "10.2"
STANDARDS_CODE = "10.3"
FIRE_CODE = "10.4"


def hours(name: str, label: str, n: int) -> Param:
    return Param(name, label, n, 1, Unit.COUNT, ceiling=n)


# 07(1)
MEDIATION_DAYS = deadline_days("mediation_days", "矛盾纠纷调解期限(天)", 30)
FOLLOW_UP_DAYS = deadline_days("follow_up_days", "调解结束后跟踪回访期限(天)", 15)
TOWNSHIP_ACK_DAYS = deadline_days("township_ack_days", "镇(街道)确认重大纠纷上报的期限(天)", 3)
# 07(2) — 信访工作条例
PETITION_REGISTER_DAYS = deadline_days("petition_register_days",
                                       "收到信访事项后登记时限(天)", 1)
PETITION_ACCEPT_DAYS = deadline_days("petition_accept_days", "受理并告知信访人的期限(天)", 15)
PETITION_HANDLE_DAYS = deadline_days("petition_handle_days", "信访事项办理期限(天)", 60)
PETITION_EXTENSION_MAX = deadline_days("petition_extension_max", "办理期限最多延长(天)", 30)
PETITION_REVIEW_DAYS = days("petition_review_days", "收到处理意见后请求复查的期限(天)", 30)
# 07(3)
CORRECTION_CHECK_IN_DAYS = deadline_days("correction_check_in_days",
                                         "抽查点验最长间隔(天)", 1)
CORRECTION_PUBLICITY = days("correction_assessment_publicity", "考核奖惩结果公示天数", 5,
                            floor=3)
# 08
GRID_REPORT_HOURS = hours("grid_report_hours", "重大事件上报镇(街道)时限(小时)", 1)
SCREENING_DAYS = deadline_days("screening_days", "集中排查办理期限(天)", 30)
# 09
LEGAL_EDUCATION_EVERY = months("legal_education_every", "法治宣传教育活动最长间隔(月)", 3)
# 10(1)
EMERGENCY_REPORT_HOURS = hours("emergency_report_hours", "突发事件上报镇(街道)时限(小时)", 1)
AFTERMATH_DAYS = deadline_days("emergency_aftermath_days", "善后处理和调查评估期限(天)", 30)
# 10(2)
HAZARD_RECTIFY_MAX_DAYS = deadline_days("hazard_rectify_max_days", "隐患整改最长期限(天)", 30)
HAZARD_FEEDBACK_DAYS = deadline_days("hazard_feedback_days", "销号后记录反馈期限(天)", 7)
# 10(3)
SAFETY_CHECK_DAYS = deadline_days("safety_check_days", "宣传培训后检查落实期限(天)", 90)
# 10(4)
FIRE_REPORT_HOURS = hours("fire_report_hours", "火灾发生后向上级报告时限(小时)", 1)
FIRE_CALL_MINUTES = hours("fire_call_minutes", "火灾发生后拨打119时限(分钟)", 10)
PETITION_REVIEW_HANDLE_DAYS = deadline_days("petition_review_handle_days", "复查办理期限(天)", 30)

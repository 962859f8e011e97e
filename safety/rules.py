"""Every number of the safety procedures, as named parameters with their floors, and the
codes of the procedures (contract 1).

The procedures (``safety.procedures``) and their effects (``safety.effects``) both read
these; this module imports only ``workflows.spec``, so neither imports the other.
Hours and minutes have no unit of their own in the engine: they are counts whose
ceiling is the default, so no tenant setting can make a reporting limit looser.
"""

from __future__ import annotations

from workflows.spec import Param, Source, Unit, days, deadline_days, law, local, model_text, months

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


def hours(name: str, label: str, n: int, *, source: Source) -> Param:
    """A limit in hours (or minutes): a count whose ceiling is the default."""
    return Param(name, label, n, 1, Unit.COUNT, ceiling=n, source=source)


# 07(1) — the model text asks for 及时调处 and 及时跟踪回访 without a number of days
MEDIATION_DAYS = deadline_days(
    "mediation_days", "矛盾纠纷调解期限(天)", 30,
    source=local("示范文本只要求“及时调处”,未定期限;本区定为自登记起的办结期限"))
FOLLOW_UP_DAYS = deadline_days(
    "follow_up_days", "调解结束后跟踪回访期限(天)", 15,
    source=local("示范文本只要求“及时跟踪回访”,未定期限;本区定为调解结束后的回访期限"))
TOWNSHIP_ACK_DAYS = deadline_days(
    "township_ack_days", "镇(街道)确认重大纠纷上报的期限(天)", 3,
    source=local("示范文本要求“及时向街道和有关部门上报”重大疑难复杂纠纷,未定镇(街道)"
                 "确认的期限;本区设定"))
# 07(2) — 信访工作条例 (中共中央、国务院, 2022)
PETITION_REGISTER_DAYS = deadline_days(
    "petition_register_days", "收到信访事项后登记时限(天)", 1,
    source=local("《信访工作条例》要求收到信访事项予以登记,未定登记时限;示范文本的风险点"
                 "为“漏登漏记,拖延登记”,本区要求收到当日至次日登记"))
PETITION_ACCEPT_DAYS = deadline_days(
    "petition_accept_days", "受理并告知信访人的期限(天)", 15,
    source=law("《信访工作条例》第二十五条、第二十六条:收到信访事项之日起15日内决定是否"
               "受理并告知信访人"))
PETITION_HANDLE_DAYS = deadline_days(
    "petition_handle_days", "信访事项办理期限(天)", 60,
    source=law("《信访工作条例》第三十二条:信访事项应当自受理之日起60日内办结"))
PETITION_EXTENSION_MAX = deadline_days(
    "petition_extension_max", "办理期限最多延长(天)", 30,
    source=law("《信访工作条例》第三十二条:情况复杂的可以适当延长办理期限,"
               "但延长期限不得超过30日,并告知信访人延期理由"))
PETITION_REVIEW_DAYS = days(
    "petition_review_days", "收到处理意见后请求复查的期限(天)", 30,
    source=law("《信访工作条例》第三十五条:信访人不服处理意见的,可以自收到书面答复之日起"
               "30日内请求复查"))
PETITION_REVIEW_HANDLE_DAYS = deadline_days(
    "petition_review_handle_days", "复查办理期限(天)", 30,
    source=law("《信访工作条例》第三十五条:收到复查请求之日起30日内提出复查意见"))
# 07(3)
CORRECTION_CHECK_IN_DAYS = deadline_days(
    "correction_check_in_days", "抽查点验最长间隔(天)", 1,
    source=model_text("“每日通过信息化平台对社区矫正对象抽查点验,坚持信息化核查日报告”"))
# 08 — the model text asks for 及时上报 without a number of hours
GRID_REPORT_HOURS = hours(
    "grid_report_hours", "重大事件上报镇(街道)时限(小时)", 1,
    source=local("示范文本要求“及时上报无法处置及重大突发事件”,未定时限;本区以小时数界定"
                 "“及时”"))
SCREENING_DAYS = deadline_days(
    "screening_days", "集中排查办理期限(天)", 30,
    source=local("示范文本要求“集中排查”“及时调处”,未定期限;本区设定每轮排查的办理期限"))
# 09
LEGAL_EDUCATION_EVERY = months(
    "legal_education_every", "法治宣传教育活动最长间隔(月)", 3,
    source=local("示范文本的风险点为“宣传不及时”,未定频次;本区设定两次活动的最长间隔"))
# 10(1)
EMERGENCY_REPORT_HOURS = hours(
    "emergency_report_hours", "突发事件上报镇(街道)时限(小时)", 1,
    source=local("示范文本要求突发事件“上报镇(街道)”,未定时限;本区设定,与《生产安全事故"
                 "报告和调查处理条例》第九条单位负责人1小时内报告的要求一致"))
AFTERMATH_DAYS = deadline_days(
    "emergency_aftermath_days", "善后处理和调查评估期限(天)", 30,
    source=local("示范文本列出“善后处理、调查评估、后续处置”,未定期限;本区设定"))
# 10(2) — the flowchart is lost in the scraped model text: the numbers are this district's
HAZARD_RECTIFY_MAX_DAYS = deadline_days(
    "hazard_rectify_max_days", "隐患整改最长期限(天)", 30,
    source=local("示范文本的风险点为“举报发现处理问题不及时”,未定整改期限;本区设定"
                 "登记隐患时可给的最长整改期限"))
HAZARD_FEEDBACK_DAYS = deadline_days(
    "hazard_feedback_days", "销号后记录反馈期限(天)", 7,
    source=local("示范文本的风险点为“记录和反馈不及时”,未定期限;本区设定"))
# 10(3) — likewise
SAFETY_CHECK_DAYS = deadline_days(
    "safety_check_days", "宣传培训后检查落实期限(天)", 90,
    source=local("示范文本的风险点为“管理实施不严格”,未定检查频次;本区设定培训后检查落实"
                 "的期限"))
SAFETY_RULES_QUORUM = local("两委会议照本区村级议事规则:过半数成员到会方可开会")
SAFETY_RULES_PASS = local("两委会议照本区村级议事规则:到会成员过半数同意为通过")
# 10(4)
FIRE_REPORT_HOURS = hours(
    "fire_report_hours", "火灾发生后向上级报告时限(小时)", 1,
    source=local("示范文本要求“立即报告上级部门”,未定时限;本区以小时数界定“立即”"))
FIRE_CALL_MINUTES = hours(
    "fire_call_minutes", "火灾发生后拨打119时限(分钟)", 10,
    source=local("示范文本要求“立即拨打119”,未定时限;本区以分钟数界定“立即”"))

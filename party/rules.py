"""The numbers of the party rules that more than the specs read: the periodic checks
(``party.checks``) and the activist pool (``party.pool``) take them from here, with the codes
of their procedures, so that neither imports the procedures (which import them).

Each number says where it comes from (issue 11): the party rule with its article, the model
text's own words, or a choice of this district where neither states it."""

from __future__ import annotations

from party.choices import MeetingKind
from workflows.spec import Param, Unit, law, local, min_months, model_text, months

XIZE = "《中国共产党发展党员工作细则》"
DANGZHANG = "《中国共产党章程》"
BRANCH_RULES = "《中国共产党支部工作条例(试行)》"

# --- 01.1 发展党员 ------------------------------------------------------------------------------
RECRUITMENT_CODE = "01.1"
TALK_WITHIN = months("talk_within", "与入党申请人谈话时限", 1, source=model_text(
    "“在一个月内派人(支委成员或党小组负责人)与入党申请人谈话”"))
ACTIVIST_PERIOD = min_months("activist_period", "入党积极分子培养考察期", 12, source=model_text(
    "“对入党积极分子进行一年以上的培养、教育和考察”"))
REPORT_EVERY = months("activist_report_every", "积极分子和培养联系人汇报间隔", 3,
                      source=model_text("“入党积极分子每季度至少要向党组织汇报一次”,"
                                        "“培养联系人将培养情况每季度至少向党支部报告一次”"))
ASSESS_EVERY = months("branch_assessment_every", "党支部考察间隔", 6, source=model_text(
    "“党支部每半年应对入党积极分子进行一次考察”"))
PROBATION = min_months("probation_period", "预备期", 12, source=model_text(
    "“预备期为一年”;自支部大会通过之日起算见" + DANGZHANG + "第七条"))
EXTENSION_MIN = Param("probation_extension_min", "延长预备期最短", 6, 6, Unit.MONTHS,
                      source=law(XIZE + "第三十二条:“延长时间不能少于半年”"))
# a district may allow less than a year, never less than the half year an extension must last
EXTENSION_MAX = Param("probation_extension_max", "延长预备期最长", 12, 6, Unit.MONTHS,
                      ceiling=12, source=law(DANGZHANG + "第七条:“可以延长预备期,但不能超过"
                                             "一年”;" + XIZE + "第三十二条"))
TRAINING_HOURS = Param("target_training_hours", "发展对象集中培训学时", 24, 24, Unit.COUNT,
                       source=law(XIZE + "第十八条:“培训时间一般不少于3天(或不少于24个"
                                  "学时)”"))
TRAINING_DAYS = Param("target_training_days", "发展对象集中培训天数", 3, 3, Unit.DAYS,
                      source=law(XIZE + "第十八条:“培训时间一般不少于3天(或不少于24个学时)”"))
# 镇(街道)党(工)委每年对入党积极分子队伍状况作一次分析 (party.pool): the township is reminded
# this many days before the year ends while it has not recorded the year's analysis; the year
# past without it, the district organisation department is told (a township may remind earlier)
POOL_ANALYSIS_REMIND = Param("pool_analysis_remind_days", "队伍状况年度分析提前提醒天数", 31, 31,
                             Unit.DAYS, source=local(
                                 "示范文本只定“每年对入党积极分子队伍状况作一次分析”,未定提醒"
                                 "时间;本区自12月1日起提醒未作分析的镇(街道)党(工)委"))

# --- 01.2 党费 ----------------------------------------------------------------------------------
DUES_CODE = "01.2"
# a member with no payment for this many months: the branch is alerted (a district may alert
# sooner); for six months, the township is told: 连续六个月不交纳党费 is 自行脱党
DUES_ARREARS_ALERT = months("dues_arrears_alert", "未交党费预警月数", 3, source=local(
    "示范文本未定;本区对连续3个月未交党费的党员向党支部预警,督促及时交纳"))
DUES_LAPSE = Param("dues_lapse_months", "连续不交党费上报月数", 6, 6, Unit.MONTHS, ceiling=6,
                   source=law(DANGZHANG + "第九条:“党员如果没有正当理由,连续六个月不参加党"
                              "的组织生活,或不交纳党费,或不做党所分配的工作,就被认为是自行"
                              "脱党”"))

# --- 01.3 转出, 01.5 流动党员 -------------------------------------------------------------------
FLOATING_CODE = "01.5"
RECEIPT_WITHIN = months("receipt_within", "省外转移回执交回时限", 3, source=local(
    "示范文本只定“将党组织关系介绍信回执交回原镇(街道)党委”,未定期限;本区定为3个月"))
HANDLE_WITHIN = months("township_handle_within", "镇(街道)党委办理转移时限", 1, source=local(
    "示范文本未定镇(街道)党委办理转移、接收的期限;本区定为1个月"))
CONTACT_EVERY = months("floating_contact_every", "与流动党员联系间隔", 3, source=local(
    "示范文本只定“流入地党组织与流出地党组织积极沟通交流”,未定间隔;本区定为每季度"))

# --- 02 组织生活 --------------------------------------------------------------------------------
MEETINGS_CODE = "02.1"
THEMED_DAY_CODE = "02.3"
LIFE_MEETING_CODE = "02.4"
APPRAISAL_CODE = "02.5"
# how often each meeting is due (a township may require it more often, never less)
EVERY = {
    MeetingKind.GENERAL: months("general_meeting_every", "党员大会召开周期", 3, source=model_text(
        "“党员大会是党支部的议事决策机构,由全体党员参加,一般每季度召开1次”")),
    MeetingKind.COMMITTEE: months("committee_meeting_every", "支委会召开周期", 1,
                                  source=model_text("“党支部委员会是党支部日常工作的领导机构,"
                                                    "一般每月召开1次”")),
    MeetingKind.GROUP: months("group_meeting_every", "党小组会召开周期", 1, source=model_text(
        "“党小组会议一般每月召开1次”")),
    MeetingKind.LECTURE: months("lecture_every", "党课开展周期", 12, source=law(
        BRANCH_RULES + "第十九条:党支部书记每年至少为党员讲1次党课")),
}
THEMED_DAY_EVERY = months("themed_day_every", "主题党日开展周期", 1, source=law(
    BRANCH_RULES + "第十九条:“党支部应当每月相对固定1天开展主题党日”"))
FORMS_AT_LEAST = Param("appraisal_forms_at_least", "述职评议形式种数", 2, 2, Unit.COUNT,
                       source=local("示范文本把“述职评议形式单一”列为风险点,未定种数;本区要求"
                                    "不少于2种"))
SAME_FORM_LIMIT = Param("themed_day_same_form_alert", "主题党日连续同一形式预警次数", 3, 2,
                        Unit.COUNT, ceiling=3, source=local(
                            "示范文本把“活动形式单一”列为风险点,未定次数;本区对连续3次同一"
                            "形式预警"))
STUDY_AT_LEAST = Param("life_meeting_study_sessions", "会前集中学习次数", 1, 1, Unit.COUNT,
                       source=model_text("“会前准备 认真组织学习”"))
# the yearly 组织生活会 and 民主评议党员 (party.checks): the branch and the township are reminded
# this many days before the year ends while the year has none, and alerted once it has ended
LIFE_MEETING_REMIND = Param("life_meeting_remind_days", "组织生活会年底提醒天数", 31, 31,
                            Unit.DAYS, source=local(
                                "组织生活会每年至少召开1次(" + BRANCH_RULES + "第二十条),"
                                "未定提醒时间;本区自12月1日起提醒,年度结束仍未召开的预警"))
APPRAISAL_REMIND = Param("member_appraisal_remind_days", "民主评议党员年底提醒天数", 31, 31,
                         Unit.DAYS, source=local(
                             "民主评议党员一般每年开展1次(" + BRANCH_RULES + "第二十一条),"
                             "未定提醒时间;本区自12月1日起提醒,年度结束仍未开展的预警"))

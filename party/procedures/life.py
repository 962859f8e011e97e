"""02 党的组织生活制度: 02.1 三会一课, 02.2 述职评议, 02.3 主题党日, 02.4 组织生活会,
02.5 民主评议党员."""

from __future__ import annotations

from core.roles import Level, Role
from party.choices import ActivityForm, AppraisalForm, AppraisalGrade, MeetingKind, ReportGrade
from party.effects import life as fx
from party.procedures.common import (
    ARCHIVE_CONTROL,
    BRANCH,
    BRANCH_COMMITTEE,
    CATEGORY,
    COMMITTEE_MEETING,
    GENERAL_MEETING,
    GENERAL_QUORUM,
    GUIDING_ROLES,
    GUIDING_UNITS,
    MEASURES,
    SUPERVISOR,
    TOWNSHIP,
    member_ref,
    sourced,
)
from party.rules import (
    APPRAISAL_CODE,
    APPRAISAL_REMIND,
    EVERY,
    FORMS_AT_LEAST,
    LIFE_MEETING_CODE,
    LIFE_MEETING_REMIND,
    MEETINGS_CODE,
    SAME_FORM_LIMIT,
    STUDY_AT_LEAST,
    THEMED_DAY_CODE,
    THEMED_DAY_EVERY,
)
from workflows.registry import registry
from workflows.spec import (
    NO_VOTE,
    PDF_OR_IMAGE,
    TODAY,
    ActionSpec,
    Basis,
    FieldSpec,
    FieldType,
    MeetingBy,
    MeetingRule,
    ProcedureSpec,
    Require,
    Risk,
    RiskKind,
    Route,
    StepSpec,
    at_least,
    attendance,
    field,
    file_field,
    meeting_field,
    more_than,
)


def absentees(person: FieldSpec) -> FieldSpec:
    """Who of the roll did not come, each with the reason of the leave (请销假): the rows
    must name exactly those of the meeting's roll not ticked as present (party.effects.life)."""
    return field("absentees", "缺席人员及请假事由", FieldType.TABLE, required=False,
                 max_rows=500, help="应到而未到会的人员逐一登记请假事由;全部到会的不填",
                 columns=(person, field("reason", "请假事由", max_length=100)))


# the meeting's roll is the party register (党员大会、党小组会、党课、主题党日 …)
ABSENTEES = absentees(member_ref("member", "缺席党员"))
# the branch committee's roll is who holds its offices (任职记录): its members are users
COMMITTEE_ABSENTEES = absentees(field(
    "member", "缺席委员", FieldType.USER, user_roles=BRANCH_COMMITTEE,
    help="从本支部委员中选择"))
YEAR = field("year", "年度", FieldType.INTEGER, min=2000, max=2100)
ARCHIVED = field("archived", "材料已整理归档", FieldType.BOOLEAN)
GROUP_ROLES = (*BRANCH, Role.PARTY_GROUP_LEADER)

# A general meeting that only hears reports still needs its quorum; the pass line of
# "no motion" is met by any count.
GENERAL_NO_MOTION = MeetingRule(
    body="党支部党员大会(无表决事项)",
    quorum=more_than(GENERAL_QUORUM, Basis.DUE),
    pass_line=at_least(NO_VOTE, Basis.PRESENT),
    roll_label="应到会有表决权的党员人数",
    roll="party_members",
    votes=False,
)
COMMITTEE_NO_MOTION = MeetingRule(
    body="党支部委员会会议(无表决事项)",
    quorum=COMMITTEE_MEETING.quorum,
    pass_line=at_least(NO_VOTE, Basis.PRESENT),
    roll_label="支部委员人数",
    roll="branch_committee",
    votes=False,
)
# meetings that put nothing to the vote: who attended, against the register of the day
GROUP_MEETING = sourced(attendance("党小组会", name="group_meeting", roll="party_group",
                                   roll_by="party_group", roll_label="该党小组的党员人数"))
LECTURE = sourced(attendance("党课", name="lecture", roll="party_all", roll_label="全体党员人数"))
PARTY_GROUP = field("party_group", "召开会议的党小组", FieldType.REF, ref="party_group")
THEMED_DAY_RULE = sourced(attendance("主题党日活动", name="themed_day", roll="party_all",
                                     roll_label="全体党员人数"))
LIFE_MEETING_RULE = sourced(attendance("组织生活会", name="life_meeting", roll="party_all",
                                       roll_label="全体党员人数"))
# 民主评议党员: at a general meeting or in the groups, every member of the branch takes part
APPRAISAL_GENERAL = sourced(attendance("党员大会(民主评议党员)", name="appraisal_general",
                                       roll="party_all", roll_label="全体党员人数"))
APPRAISAL_GROUPS = sourced(attendance("党小组会(民主评议党员)", name="appraisal_groups",
                                      roll="party_all", roll_label="全体党员人数"))
MOTION = field("motion", "是否有表决事项", FieldType.CHOICE,
               choices=(("motion", "有表决事项"), ("none", "无表决事项(听取报告、学习等)")))


def _attended(label: str = "到会情况") -> FieldSpec:
    """Who attended, ticked on the register of the day (the meeting's date included)."""
    return meeting_field(label)


def _hold(code: str, name: str, kind: MeetingKind, roles: tuple[Role, ...],
          *fields: FieldSpec, rules: tuple[MeetingRule, MeetingRule] | MeetingRule,
          description: str = "", absent: FieldSpec = ABSENTEES) -> StepSpec:
    """A meeting of 三会一课: with a motion or not (a pair of rules chosen by ``motion``),
    or one rule of attendance (a group's meeting, a lecture)."""
    voted = isinstance(rules, tuple)
    return StepSpec(
        code=code, name=name, level=Level.VILLAGE, roles=roles, back_to=("prepare",),
        description=description,
        actions=(ActionSpec(
            "held", "会议已召开,记录存档", to="follow_up",
            fields=(
                *((MOTION, meeting_field("到会和表决情况")) if voted else ()),
                *fields,
                *(() if voted else (_attended(),)),
                absent,
                field("record", "会议记录(按议题依次记录讨论情况)", FieldType.TEXT),
                file_field("minutes", "会议记录原件扫描件"),
            ),
            meeting=None if isinstance(rules, tuple) else rules,
            meeting_by=MeetingBy("motion", {"motion": rules[0], "none": rules[1]})
            if isinstance(rules, tuple) else None,
            effects=(fx.record_meeting(kind),),
        ),),
    )


MEETINGS = registry.register(ProcedureSpec(
    code=MEETINGS_CODE,
    regular_meetings=True,  # the township's overview counts its meetings month by month
    name="党的组织生活制度(党支部“三会一课”)",
    title_example="2026年第四季度党员大会",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="党员大会一般每季度召开1次,支部委员会会议一般每月召开1次,党小组会一般每月召开1次,"
            "按时上好党课;每次会议确定议题、发出通知、按议题召开、做好记录、抓好落实、整理归档。",
    risks=(
        Risk("会议记录不规范",
             "每次会议须登记议题、主持人、应到实到人数、按议题的会议记录并上传记录原件;党员大会"
             "和支委会的到会和通过人数由系统按应到人数计算(半数以上到会,赞成超过应到半数);"
             "会议自动写入三会一课台账;到期未开会的支部由定期检查提醒支部书记并告知镇党委"),
        Risk("执行请销假制度不严格",
             "应到人员由名册计算,到会人员逐人勾选;名册中未到会的人员须逐一选出并登记请假"
             "事由,漏登、多登或登记了到会的人员,系统拒绝"),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL),
    ),
    measures=MEASURES,
    params=tuple(EVERY.values()),
    steps=(
        StepSpec(
            code="prepare", name="确定议题、会前准备、发出通知", level=Level.VILLAGE,
            roles=GROUP_ROLES,
            description="党员大会、支委会由支部书记召集并主持(可委托副书记或委员);党小组会由"
                        "党小组组长召集并主持;党课确定授课人员、通知党员、精心备课。",
            actions=(ActionSpec(
                "prepare", "发出会议通知", to="hold_general",
                fields=(field("kind", "会议类别", FieldType.CHOICE,
                              choices=tuple((k.value, k.label) for k in MeetingKind)),
                        field("topics", "会议议题(授课主题)", FieldType.TEXT),
                        field("chair", "召集人、主持人(授课人)"),
                        field("planned_on", "计划召开日期", FieldType.DATE),
                        field("notice_sent", "已发出会议通知", FieldType.BOOLEAN)),
                requires=(Require("notice_sent", True, "须提前发出会议通知。"),),
                route_by=Route("kind", {MeetingKind.GENERAL.value: "hold_general",
                                        MeetingKind.COMMITTEE.value: "hold_committee",
                                        MeetingKind.GROUP.value: "hold_group",
                                        MeetingKind.LECTURE.value: "hold_lecture"}),
            ),),
        ),
        _hold("hold_general", "召开党员大会", MeetingKind.GENERAL, BRANCH,
              field("decisions", "议定事项", FieldType.TEXT),
              rules=(GENERAL_MEETING, GENERAL_NO_MOTION),
              description="表决必须有半数以上有表决权的党员到会方可进行,赞成人数超过应到会有表决权"
                          "的党员的半数为通过。"),
        _hold("hold_committee", "召开支部委员会会议", MeetingKind.COMMITTEE, BRANCH,
              field("decisions", "议定事项(需提交党员大会的注明)", FieldType.TEXT),
              rules=(COMMITTEE_MEETING, COMMITTEE_NO_MOTION), absent=COMMITTEE_ABSENTEES,
              description="到会委员数超过半数方可进行;主持人报告会议议题、到会情况,"
                          "按议题依次进行。"),
        _hold("hold_group", "召开党小组会", MeetingKind.GROUP, GROUP_ROLES,
              PARTY_GROUP,
              field("decisions", "学习、谈心谈话、批评和自我批评情况", FieldType.TEXT),
              rules=GROUP_MEETING,
              description="由党小组组长召集并主持,组织党员政治学习、谈心谈话、批评和自我批评。"),
        _hold("hold_lecture", "讲授党课、研讨交流", MeetingKind.LECTURE, BRANCH,
              field("reactions", "研讨交流和反响", FieldType.TEXT),
              file_field("materials", "党课讲稿或课件"), rules=LECTURE,
              description="讲授党课,由党支部书记主持研讨交流,做好党课记录。"),
        StepSpec(
            code="follow_up", name="会后落实、整理归档", level=Level.VILLAGE, roles=GROUP_ROLES,
            actions=(ActionSpec(
                "archive", "落实完毕,归档", to=None, outcome="会议已召开并归档",
                fields=(field("implementation", "议定事项落实情况(党小组会向党支部汇报情况)",
                              FieldType.TEXT), ARCHIVED),
                checklist=("archived",),
                effects=(fx.FOLLOW_UP_MEETING,),
            ),),
        ),
    ),
))

REPORT_APPRAISAL = registry.register(ProcedureSpec(
    code="02.2",
    name="党的组织生活制度(述职评议)",
    title_example="2026年度党支部书记抓党建述职评议",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="进行实地考核、撰写述职报告、组织会议述评、确定评价等次、运用考核结果、"
            "抓好整改落实。",
    risks=(
        Risk("实地考核情况掌握不全面",
             "实地考核须逐项完成查阅台账资料、走访党员群众、实地查看阵地、听取两委班子意见,"
             "缺一项系统拒绝"),
        Risk("述职评议形式单一",
             "会议述评须采用不少于{appraisal_forms_at_least}种形式(现场述职、书面述职、党员群众代表"
             "测评、现场提问点评等),否则系统拒绝"),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL + ";评议结果写入述职评议台账"),
    ),
    measures=MEASURES,
    params=(FORMS_AT_LEAST,),
    steps=(
        StepSpec(
            code="field_assessment", name="进行实地考核", level=Level.TOWNSHIP, roles=TOWNSHIP,
            actions=(ActionSpec(
                "assessed", "实地考核完成", to="report",
                fields=(field("year", "述职年度", FieldType.INTEGER, min=2000, max=2100),
                        field("read_records", "已查阅台账资料", FieldType.BOOLEAN),
                        field("visited_members", "已走访党员群众", FieldType.BOOLEAN),
                        field("inspected_sites", "已实地查看阵地建设", FieldType.BOOLEAN),
                        field("heard_committees", "已听取两委班子意见", FieldType.BOOLEAN),
                        field("findings", "考核情况", FieldType.TEXT)),
                checklist=("read_records", "visited_members", "inspected_sites",
                           "heard_committees"),
            ),),
        ),
        StepSpec(
            code="report", name="撰写述职报告", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,),
            actions=(ActionSpec(
                "submit", "提交述职报告", to="appraisal",
                fields=(field("summary", "述职报告要点", FieldType.TEXT),
                        file_field("report", "述职报告")),
            ),),
        ),
        StepSpec(
            code="appraisal", name="组织会议述评", level=Level.TOWNSHIP, roles=TOWNSHIP,
            back_to=("report",),
            actions=(ActionSpec(
                "appraised", "会议述评完成", to="grade",
                fields=(field("forms", "述职评议形式", FieldType.MULTICHOICE,
                              choices=tuple((a.value, a.label) for a in AppraisalForm)),
                        field("held_on", "述评会议日期", FieldType.DATE, max=TODAY),
                        field("participants", "参加人员", FieldType.TEXT),
                        field("comments", "点评意见", FieldType.TEXT),
                        file_field("scores", "测评表汇总")),
                effects=(fx.check_forms(FORMS_AT_LEAST),),
            ),),
        ),
        StepSpec(
            code="grade", name="确定评价等次", level=Level.TOWNSHIP, roles=TOWNSHIP,
            actions=(ActionSpec(
                "grade", "确定等次", to="use_result",
                fields=(field("grade", "评价等次", FieldType.CHOICE,
                              choices=tuple((g.value, g.label) for g in ReportGrade)),
                        field("basis", "评定依据", FieldType.TEXT)),
                effects=(fx.GRADE_REPORT,),
            ),),
        ),
        StepSpec(
            code="use_result", name="运用考核结果", level=Level.TOWNSHIP, roles=TOWNSHIP,
            actions=(ActionSpec(
                "use", "结果已运用", to="rectify",
                fields=(field("use", "结果运用情况(通报、与报酬挂钩、评先评优等)",
                              FieldType.TEXT),
                        field("interviewed", "已约谈(评价为“差”的必须约谈)", FieldType.BOOLEAN),
                        field("problems", "反馈的问题和整改要求", FieldType.TEXT)),
                effects=(fx.USE_REPORT_RESULT,),
            ),),
        ),
        StepSpec(
            code="rectify", name="抓好整改落实", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,),
            actions=(ActionSpec(
                "rectified", "整改完成,归档", to=None, outcome="述职评议完成",
                fields=(field("rectification", "整改落实情况", FieldType.TEXT),
                        file_field("evidence", "整改材料"), ARCHIVED),
                checklist=("archived",),
                effects=(fx.RECTIFY_REPORT,),
            ),),
        ),
    ),
))

THEMED_DAY = registry.register(ProcedureSpec(
    code=THEMED_DAY_CODE,
    name="党的组织生活制度(主题党日活动)",
    title_example="11月主题党日:参观红色教育基地",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="确定活动主题、发布活动内容、组织开展活动、建立活动台账、整理资料及时归档。",
    risks=(
        Risk("主题党日活动开展不规范",
             "须先确定主题、发布活动内容再开展,开展日期不能早于发布日期;缺席人员须逐一登记请假"
             "事由;活动自动写入主题党日活动台账;当月未开展的支部由定期检查提醒并告知镇党委"),
        Risk("活动形式单一",
             "连续{themed_day_same_form_alert}次采用同一活动形式的,系统向村务监督委员会和镇纪委"
             "预警", kind=RiskKind.ALERT),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL),
    ),
    measures=MEASURES,
    params=(SAME_FORM_LIMIT, THEMED_DAY_EVERY),
    steps=(
        StepSpec(
            code="theme", name="确定活动主题", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "theme", "确定主题", to="publish",
                fields=(field("month", "活动月份", FieldType.MONTH, max=TODAY),
                        field("theme", "活动主题"),
                        field("form", "活动形式", FieldType.CHOICE,
                              choices=tuple((a.value, a.label) for a in ActivityForm))),
            ),),
        ),
        StepSpec(
            code="publish", name="发布活动内容", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "publish", "已发布", to="hold",
                fields=(field("content", "活动内容和安排", FieldType.TEXT, public=True),
                        field("published_on", "发布日期", FieldType.DATE, max=TODAY),
                        field("channel", "发布渠道(微信群、公开栏等)")),
            ),),
        ),
        StepSpec(
            code="hold", name="组织开展活动", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "held", "活动已开展,记入台账", to="archive",
                fields=(_attended("开展日期和参加情况"),
                        ABSENTEES, field("record", "活动情况", FieldType.TEXT),
                        file_field("photos", "活动照片", accept=PDF_OR_IMAGE)),
                meeting=THEMED_DAY_RULE,
                effects=(fx.record_themed_day(SAME_FORM_LIMIT),),
            ),),
        ),
        StepSpec(
            code="archive", name="整理资料、及时归档", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec("archive", "归档", to=None, outcome="主题党日活动已开展并归档",
                                fields=(ARCHIVED,), checklist=("archived",)),),
        ),
    ),
))

LIFE_MEETING = registry.register(ProcedureSpec(
    code=LIFE_MEETING_CODE,
    name="党的组织生活制度(组织生活会)",
    title_example="2026年度党支部组织生活会",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="确定会议主题;会前认真组织学习、开展谈心谈话、广泛听取意见;会上认真查摆问题、"
            "开展批评与自我批评、明确整改方向;会后制定整改措施、逐一整改落实、整理材料归档。"
            "每年至少召开一次:年度内尚未召开的,年底前{life_meeting_remind_days}起提醒党支部和"
            "镇(街道)党(工)委,年度结束仍未召开的向党支部和镇(街道)党(工)委预警。",
    risks=(
        Risk("理论学习不够",
             "会前须登记集中学习次数(不少于{life_meeting_study_sessions}次)并上传学习记录,"
             "否则不能召开会议"),
        Risk("批评与自我批评不深入",
             "会上须逐条列出查摆的问题,到会党员人人开展批评与自我批评,登记人数少于实到人数的"
             "系统拒绝"),
        Risk("整改措施不贴合实际",
             "每条整改措施须对应会上查摆的一条问题并从党员名册中选定责任人、写明时限,"
             "每条问题都须有措施,否则系统拒绝;措施全部落实前不能归档"),
    ),
    measures=MEASURES,
    params=(STUDY_AT_LEAST, LIFE_MEETING_REMIND),
    steps=(
        StepSpec(
            code="topic", name="确定会议主题", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "topic", "确定主题", to="prepare",
                fields=(YEAR, field("topic", "会议主题"),
                        field("reported", "已报镇(街道)党(工)委", FieldType.BOOLEAN)),
                requires=(Require("reported", True, "会议主题须报镇(街道)党(工)委。"),),
            ),),
        ),
        StepSpec(
            code="prepare", name="会前准备", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "prepared", "准备就绪", to="meeting",
                fields=(field("study_sessions", "集中学习次数", FieldType.INTEGER),
                        file_field("study_record", "学习记录"),
                        field("talks", "谈心谈话情况", FieldType.TEXT),
                        field("opinions", "广泛听取的意见", FieldType.TEXT)),
                effects=(fx.check_study(STUDY_AT_LEAST),),
            ),),
        ),
        StepSpec(
            code="meeting", name="会议召开", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "held", "会议已召开", to="rectify",
                fields=(_attended(), ABSENTEES,
                        field("problems", "查摆的问题", FieldType.TABLE, min_rows=1,
                              max_rows=100, help="会上查摆的问题逐条登记,整改措施按条目对应",
                              columns=(field("problem", "问题", max_length=500),)),
                        field("all_criticised", "到会党员均已开展批评与自我批评",
                              FieldType.BOOLEAN),
                        field("direction", "明确的整改方向", FieldType.TEXT),
                        file_field("minutes", "会议记录")),
                requires=(Require("all_criticised", True,
                                  "组织生活会上到会党员均应开展批评与自我批评。"),),
                meeting=LIFE_MEETING_RULE,
                effects=(fx.CHECK_LIFE_MEETING,),
            ),),
        ),
        StepSpec(
            code="rectify", name="制定整改措施", level=Level.VILLAGE, roles=BRANCH,
            back_to=("meeting",),
            actions=(ActionSpec(
                "plan", "整改措施已制定", to="follow_through",
                fields=(field("measures", "整改措施", FieldType.TABLE, min_rows=1,
                              max_rows=300, help="每条查摆的问题至少一条整改措施",
                              default_from=fx.PROBLEMS_TO_ANSWER,
                              columns=(
                                  field("problem", "对应问题(序号)", FieldType.INTEGER,
                                        min=1, max=100,
                                        help="会上查摆的第几条问题"),
                                  field("measure", "整改措施", max_length=500),
                                  member_ref("owner", "责任人"),
                                  field("due_on", "完成时限", FieldType.DATE, min=TODAY),
                              )),),
                effects=(fx.PLAN_RECTIFICATION,),
            ),),
        ),
        StepSpec(
            code="follow_through", name="逐一整改落实、整理归档", level=Level.VILLAGE,
            roles=BRANCH,
            actions=(ActionSpec(
                "done", "整改落实,归档", to=None, outcome="组织生活会整改已落实并归档",
                fields=(field("results", "落实情况", FieldType.TABLE, min_rows=1,
                              max_rows=300, default_from=fx.MEASURES_TO_REPORT,
                              help="逐项登记整改措施的完成情况;全部措施落实后方可归档",
                              columns=(
                                  field("measure", "整改措施(序号)", FieldType.INTEGER, min=1,
                                        max=300, help="整改措施表中的第几项"),
                                  field("result", "完成情况", max_length=500),
                                  field("done_on", "完成日期", FieldType.DATE, max=TODAY),
                              )), ARCHIVED),
                checklist=("archived",),
                effects=(fx.COMPLETE_RECTIFICATION,),
            ),),
        ),
    ),
))

GRADES = field(
    "grades", "评定结果", FieldType.TABLE, min_rows=1, max_rows=500,
    help="本支部每名党员(正式党员和预备党员)都须评定,每人一行",
    columns=(member_ref("member", "党员"),
             field("grade", "等次", FieldType.CHOICE,
                   choices=tuple((g.value, g.label) for g in AppraisalGrade))))
FOLLOW_UPS = field(
    "follow_ups", "结果运用情况", FieldType.TABLE, required=False, max_rows=500,
    help="评为“不合格”的党员必须登记教育转化或组织处置情况;其他党员可登记褒奖、帮助情况",
    columns=(member_ref("member", "党员", help="本次评定了等次的党员"),
             field("follow_up", "褒奖、帮助或组织处置情况", max_length=500)))

APPRAISAL = registry.register(ProcedureSpec(
    code=APPRAISAL_CODE,
    name="党的组织生活制度(民主评议党员)",
    title_example="2026年度民主评议党员",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="召开党员大会或党小组会,个人自评、党员互评、民主测评,支委会或党员大会根据评议情况"
            "和日常表现提出评定意见,用好评定结果。每年开展一次:年度内尚未评议的,年底前"
            "{member_appraisal_remind_days}起提醒党支部和镇(街道)党(工)委,年度结束仍未评议的"
            "向党支部和镇(街道)党(工)委预警。",
    risks=(
        Risk("评价体系不够完善",
             "自评、互评、民主测评依次进行不能跳过;等次只能为优秀、合格、基本合格、不合格;"
             "名册中每名党员都须评定且一年只评一次"),
        Risk("评定结果运用不到位",
             "评为“不合格”的党员没有教育转化或组织处置记录的,系统拒绝办结;"
             "处理情况写入民主评议党员台账"),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL),
    ),
    measures=MEASURES,
    params=(APPRAISAL_REMIND,),
    steps=(
        StepSpec(
            code="convene", name="召开党员大会或党小组会", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "convene", "会议已召开", to="self_assess",
                fields=(field("year", "评议年度", FieldType.INTEGER, min=2000, max=2100),
                        field("body", "会议形式", FieldType.CHOICE,
                              choices=(("general", "党员大会"), ("groups", "党小组会"))),
                        _attended(), ABSENTEES),
                meeting_by=MeetingBy("body", {"general": APPRAISAL_GENERAL,
                                              "groups": APPRAISAL_GROUPS}),
                effects=(fx.CHECK_CONVENED,),
            ),),
        ),
        StepSpec(
            code="self_assess", name="个人自评", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec("done", "自评完成", to="mutual",
                                fields=(field("count", "完成自评人数", FieldType.INTEGER),
                                        file_field("records", "自评材料"))),),
        ),
        StepSpec(
            code="mutual", name="党员互评", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec("done", "互评完成", to="ballot",
                                fields=(field("summary", "互评情况", FieldType.TEXT),)),),
        ),
        StepSpec(
            code="ballot", name="民主测评", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec("done", "测评完成", to="grade",
                                fields=(field("issued", "发出测评票", FieldType.INTEGER),
                                        field("returned", "收回测评票", FieldType.INTEGER),
                                        file_field("tally", "测评票汇总表")),
                                effects=(fx.CHECK_BALLOTS,)),),
        ),
        StepSpec(
            code="grade", name="提出评定意见", level=Level.VILLAGE, roles=BRANCH,
            back_to=("ballot",),
            actions=(ActionSpec(
                "grade", "评定等次", to="follow_up",
                fields=(field("body", "评定机构", FieldType.CHOICE,
                              choices=(("committee", "党支部委员会会议"), ("general", "党员大会"))),
                        GRADES),
                effects=(fx.RECORD_GRADES,),
            ),),
        ),
        StepSpec(
            code="follow_up", name="运用评定结果", level=Level.VILLAGE, roles=BRANCH,
            description="对“优秀”进行褒奖;对“合格”肯定优点,提出希望和要求;对“基本合格”指出"
                        "差距,帮助改进提高;对“不合格”立足教育转化,按规定办法和程序作出组织处置。",
            actions=(ActionSpec(
                "close", "结果已运用,归档", to=None, outcome="民主评议党员完成",
                fields=(FOLLOW_UPS, ARCHIVED),
                checklist=("archived",),
                effects=(fx.RECORD_FOLLOW_UPS,),
            ),),
        ),
    ),
))

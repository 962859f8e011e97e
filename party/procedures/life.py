"""02 党的组织生活制度: 02.1 三会一课, 02.2 述职评议, 02.3 主题党日, 02.4 组织生活会,
02.5 民主评议党员."""

from __future__ import annotations

from core.roles import Level, Role
from party.choices import ActivityForm, AppraisalForm, MeetingKind, ReportGrade
from party.effects import life as fx
from party.procedures.common import (
    ARCHIVE_CONTROL,
    BRANCH,
    CATEGORY,
    COMMITTEE_MEETING,
    GENERAL_MEETING,
    GENERAL_QUORUM,
    GUIDING_ROLES,
    GUIDING_UNITS,
    MEASURES,
    SUPERVISOR,
    TOWNSHIP,
)
from party.rules import (
    EVERY,
    FORMS_AT_LEAST,
    MEETINGS_CODE,
    SAME_FORM_LIMIT,
    STUDY_AT_LEAST,
    THEMED_DAY_CODE,
    THEMED_DAY_EVERY,
)
from workflows.registry import registry
from workflows.spec import (
    PDF_OR_IMAGE,
    TODAY,
    ActionSpec,
    Basis,
    FieldSpec,
    FieldType,
    MeetingBy,
    MeetingRule,
    Param,
    ProcedureSpec,
    Require,
    Risk,
    RiskKind,
    Route,
    StepSpec,
    Unit,
    at_least,
    field,
    file_field,
    meeting_field,
    more_than,
)

ABSENTEES = field("absentees", "缺席人员及请假事由", FieldType.TEXT, required=False,
                  help="每行一人:姓名:请假事由;人数须等于应到减实到")
HELD_ON = field("held_on", "召开日期", FieldType.DATE, max=TODAY)
ARCHIVED = field("archived", "材料已整理归档", FieldType.BOOLEAN)
GROUP_ROLES = (*BRANCH, Role.PARTY_GROUP_LEADER)

# A general meeting that only hears reports still needs its quorum; the pass line of
# "no motion" is met by any count.
GENERAL_NO_MOTION = MeetingRule(
    body="党支部党员大会(无表决事项)",
    quorum=more_than(GENERAL_QUORUM, Basis.DUE),
    pass_line=at_least(Param("no_motion_pass", "无表决事项", 0, 0, Unit.RATIO), Basis.PRESENT),
    roll_label="应到会有表决权的党员人数",
)
COMMITTEE_NO_MOTION = MeetingRule(
    body="党支部委员会会议(无表决事项)",
    quorum=COMMITTEE_MEETING.quorum,
    pass_line=at_least(Param("no_motion_pass", "无表决事项", 0, 0, Unit.RATIO), Basis.PRESENT),
    roll_label="支部委员人数",
)
MOTION = field("motion", "是否有表决事项", FieldType.CHOICE,
               choices=(("motion", "有表决事项"), ("none", "无表决事项(听取报告、学习等)")))


def _attendance() -> tuple[FieldSpec, ...]:
    return (field("due", "应到人数", FieldType.INTEGER),
            field("present", "实到人数", FieldType.INTEGER))


def _hold(code: str, name: str, kind: MeetingKind, roles: tuple[Role, ...],
          *fields: FieldSpec, rules: tuple[MeetingRule, MeetingRule] | None = None,
          description: str = "") -> StepSpec:
    return StepSpec(
        code=code, name=name, level=Level.VILLAGE, roles=roles, back_to=("prepare",),
        description=description,
        actions=(ActionSpec(
            "held", "会议已召开,记录存档", to="follow_up",
            fields=(
                *(() if rules is None else (MOTION, meeting_field("到会和表决情况"))),
                *fields,
                HELD_ON,
                ABSENTEES,
                field("record", "会议记录(按议题依次记录讨论情况)", FieldType.TEXT),
                file_field("minutes", "会议记录原件扫描件"),
            ),
            meeting_by=None if rules is None else MeetingBy("motion", {"motion": rules[0],
                                                                       "none": rules[1]}),
            effects=(fx.record_meeting(kind),),
        ),),
    )


MEETINGS = registry.register(ProcedureSpec(
    code=MEETINGS_CODE,
    name="党的组织生活制度(党支部“三会一课”)",
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
             "缺席人员须逐一登记姓名和请假事由,人数须等于应到减实到,否则系统拒绝"
             "(absence_unexplained)"),
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
              rules=(COMMITTEE_MEETING, COMMITTEE_NO_MOTION),
              description="到会委员数超过半数方可进行;主持人报告会议议题、到会情况,"
                          "按议题依次进行。"),
        _hold("hold_group", "召开党小组会", MeetingKind.GROUP, GROUP_ROLES,
              *_attendance(),
              field("decisions", "学习、谈心谈话、批评和自我批评情况", FieldType.TEXT),
              description="由党小组组长召集并主持,组织党员政治学习、谈心谈话、批评和自我批评。"),
        _hold("hold_lecture", "讲授党课、研讨交流", MeetingKind.LECTURE, BRANCH,
              *_attendance(), field("reactions", "研讨交流和反响", FieldType.TEXT),
              file_field("materials", "党课讲稿或课件"),
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
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="进行实地考核、撰写述职报告、组织会议述评、确定评价等次、运用考核结果、"
            "抓好整改落实。",
    risks=(
        Risk("实地考核情况掌握不全面",
             "实地考核须逐项完成查阅台账资料、走访党员群众、实地查看阵地、听取两委班子意见,"
             "缺一项系统拒绝(checklist_incomplete)"),
        Risk("述职评议形式单一",
             "会议述评须采用不少于2种形式(现场述职、书面述职、党员群众代表测评、现场提问点评等),"
             "否则系统拒绝(forms_too_few)"),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL + ";评议结果写入述职评议台账"),
    ),
    measures=MEASURES,
    params=(FORMS_AT_LEAST,),
    steps=(
        StepSpec(
            code="field_assessment", name="进行实地考核", level=Level.TOWNSHIP, roles=TOWNSHIP,
            actions=(ActionSpec(
                "assessed", "实地考核完成", to="report",
                fields=(field("year", "述职年度", FieldType.INTEGER),
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
             "连续3次采用同一活动形式的,系统向村务监督委员会和镇纪委预警", kind=RiskKind.ALERT),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL),
    ),
    measures=MEASURES,
    params=(SAME_FORM_LIMIT, THEMED_DAY_EVERY),
    steps=(
        StepSpec(
            code="theme", name="确定活动主题", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "theme", "确定主题", to="publish",
                fields=(field("month", "活动月份(如2026-11)"), field("theme", "活动主题"),
                        field("form", "活动形式", FieldType.CHOICE,
                              choices=tuple((a.value, a.label) for a in ActivityForm))),
                effects=(fx.CHECK_MONTH,),
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
                fields=(field("held_on", "开展日期", FieldType.DATE, max=TODAY), *_attendance(),
                        ABSENTEES, field("record", "活动情况", FieldType.TEXT),
                        file_field("photos", "活动照片", accept=PDF_OR_IMAGE)),
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
    code="02.4",
    name="党的组织生活制度(组织生活会)",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="确定会议主题;会前认真组织学习、开展谈心谈话、广泛听取意见;会上认真查摆问题、"
            "开展批评与自我批评、明确整改方向;会后制定整改措施、逐一整改落实、整理材料归档。",
    risks=(
        Risk("理论学习不够",
             "会前须登记集中学习次数(不少于1次)并上传学习记录,否则不能召开会议"),
        Risk("批评与自我批评不深入",
             "会上须逐条列出查摆的问题,到会党员人人开展批评与自我批评,登记人数少于实到人数的"
             "系统拒绝(criticism_incomplete)"),
        Risk("整改措施不贴合实际",
             "每条整改措施须对应会上查摆的一条问题并写明责任人和时限(measure_unrelated),"
             "每条问题都须有措施(problem_without_measure);措施全部落实前不能归档"
             "(rectification_open)"),
    ),
    measures=MEASURES,
    params=(STUDY_AT_LEAST,),
    steps=(
        StepSpec(
            code="topic", name="确定会议主题", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "topic", "确定主题", to="prepare",
                fields=(field("year", "年度", FieldType.INTEGER), field("topic", "会议主题"),
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
                fields=(HELD_ON, *_attendance(), ABSENTEES,
                        field("problems", "查摆的问题(每行一条)", FieldType.TEXT),
                        field("self_criticisms", "开展批评与自我批评的人数", FieldType.INTEGER),
                        field("direction", "明确的整改方向", FieldType.TEXT),
                        file_field("minutes", "会议记录")),
                effects=(fx.CHECK_LIFE_MEETING,),
            ),),
        ),
        StepSpec(
            code="rectify", name="制定整改措施", level=Level.VILLAGE, roles=BRANCH,
            back_to=("meeting",),
            actions=(ActionSpec(
                "plan", "整改措施已制定", to="follow_through",
                fields=(field("measures", "整改措施", FieldType.TEXT,
                              help="每行一条:问题序号|整改措施|责任人|完成时限(如2027-03-31)"),),
                effects=(fx.PLAN_RECTIFICATION,),
            ),),
        ),
        StepSpec(
            code="follow_through", name="逐一整改落实、整理归档", level=Level.VILLAGE,
            roles=BRANCH,
            actions=(ActionSpec(
                "done", "整改落实,归档", to=None, outcome="组织生活会整改已落实并归档",
                fields=(field("results", "落实情况", FieldType.TEXT,
                              help="每行一条:措施序号|完成情况|完成日期"), ARCHIVED),
                checklist=("archived",),
                effects=(fx.COMPLETE_RECTIFICATION,),
            ),),
        ),
    ),
))

GRADE_HELP = "每行一人:姓名:等次(优秀、合格、基本合格、不合格);本支部每名党员都须评定"

APPRAISAL = registry.register(ProcedureSpec(
    code="02.5",
    name="党的组织生活制度(民主评议党员)",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="召开党员大会或党小组会,个人自评、党员互评、民主测评,支委会或党员大会根据评议情况"
            "和日常表现提出评定意见,用好评定结果。",
    risks=(
        Risk("评价体系不够完善",
             "自评、互评、民主测评依次进行不能跳过;等次只能为优秀、合格、基本合格、不合格;"
             "名册中每名党员都须评定且一年只评一次(ungraded_members、graded_twice)"),
        Risk("评定结果运用不到位",
             "评为“不合格”的党员没有教育转化或组织处置记录的,系统拒绝办结(follow_up_missing);"
             "处理情况写入民主评议党员台账"),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL),
    ),
    measures=MEASURES,
    steps=(
        StepSpec(
            code="convene", name="召开党员大会或党小组会", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "convene", "会议已召开", to="self_assess",
                fields=(field("year", "评议年度", FieldType.INTEGER),
                        field("body", "会议形式", FieldType.CHOICE,
                              choices=(("general", "党员大会"), ("groups", "党小组会"))),
                        HELD_ON, *_attendance(), ABSENTEES),
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
                        field("grades", "评定结果", FieldType.TEXT, help=GRADE_HELP)),
                effects=(fx.RECORD_GRADES,),
            ),),
        ),
        StepSpec(
            code="follow_up", name="运用评定结果", level=Level.VILLAGE, roles=BRANCH,
            description="对“优秀”进行褒奖;对“合格”肯定优点,提出希望和要求;对“基本合格”指出"
                        "差距,帮助改进提高;对“不合格”立足教育转化,按规定办法和程序作出组织处置。",
            actions=(ActionSpec(
                "close", "结果已运用,归档", to=None, outcome="民主评议党员完成",
                fields=(field("follow_ups", "结果运用情况", FieldType.TEXT, required=False,
                              help="每行一人:姓名:褒奖、帮助或组织处置情况;评为不合格的必须填写"),
                        ARCHIVED),
                checklist=("archived",),
                effects=(fx.RECORD_FOLLOW_UPS,),
            ),),
        ),
    ),
))

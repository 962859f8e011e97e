"""07(3) “三零”单位创建(加强社区矫正对象管理).

The identity and personal information of a person under correction are protected by law
(《中华人民共和国社区矫正法》第四条; 第五十四条 for minors), so the procedure is confidential:
nothing of a case reaches the public board or a notice. The village's correction group
(矫正小组) supervises, records and reports; the township's judicial office (司法所, which
works for the district's correction institution: 社区矫正法 第九条) decides the assessments
and their rewards and penalties (第二十八条); the village supervisory committee reads the
whole record.
"""

from __future__ import annotations

from core.roles import Level, Role
from safety.choices import (
    AfterAssessment,
    AssessmentOutcome,
    CheckInMethod,
    CheckInResult,
    EducationKind,
    GroupRole,
    TerminationReason,
)
from safety.effects import correction as c
from safety.procedures.common import (
    CATEGORY,
    MEASURES_073,
    PHONE_HELP,
    PHONE_PATTERN,
    SUPERVISOR,
    choices_of,
)
from safety.rules import CORRECTION_CHECK_IN_DAYS, CORRECTION_CODE
from workflows.registers import RegisterSpec, register
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    FieldType,
    Format,
    Kind,
    ProcedureSpec,
    Require,
    Risk,
    RiskKind,
    Route,
    StepSpec,
    field,
    file_field,
)

GROUP = (Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER, Role.GRID_WORKER, Role.MEDIATOR)

# the correction group (矫正小组): who its members are, each with how to reach them
CORRECTION_GROUP = field(
    "group", "矫正小组成员", FieldType.TABLE, min_rows=1, max_rows=20,
    help="矫正小组的每名成员一行(司法所工作人员、村(居)委会人员、网格员、家庭成员等)",
    columns=(
        field("name", "姓名", max_length=32),
        field("role", "身份", FieldType.CHOICE, choices=choices_of(GroupRole)),
        field("phone", "联系电话", required=False, pattern=PHONE_PATTERN, help=PHONE_HELP),
    ))

# what the correction group (and the judicial office, while it decides an assessment)
# records of the supervision: check-ins, visits, public-welfare work, education
RECORDS = (
    ActionSpec("check_in", "登记抽查点验", kind=Kind.SIDE,
               fields=(field("on", "点验日期", FieldType.DATE, max=TODAY),
                       field("method", "点验方式", FieldType.CHOICE,
                             choices=choices_of(CheckInMethod)),
                       field("result", "点验结果", FieldType.CHOICE,
                             choices=choices_of(CheckInResult)),
                       field("note", "情况说明", FieldType.TEXT, required=False)),
               effects=(c.RECORD_CHECK_IN,)),
    ActionSpec("visit", "登记走访", kind=Kind.SIDE,
               fields=(field("on", "走访日期", FieldType.DATE, max=TODAY),
                       field("note", "走访情况", FieldType.TEXT)),
               effects=(c.RECORD_VISIT,)),
    ActionSpec("welfare", "登记公益活动", kind=Kind.SIDE,
               fields=(field("on", "活动日期", FieldType.DATE, max=TODAY),
                       field("hours", "时长(小时)", FieldType.INTEGER),
                       field("note", "活动内容", FieldType.TEXT)),
               effects=(c.RECORD_WELFARE,)),
    ActionSpec("education", "登记教育帮扶", kind=Kind.SIDE,
               fields=(field("on", "日期", FieldType.DATE, max=TODAY),
                       field("kind", "类别", FieldType.CHOICE,
                             choices=choices_of(EducationKind)),
                       field("content", "内容", FieldType.TEXT)),
               effects=(c.RECORD_EDUCATION,)),
)

CORRECTION = registry.register(ProcedureSpec(
    code=CORRECTION_CODE,
    name="“三零”单位创建(加强社区矫正对象管理)",
    title_example="受区人民法院委托开展审前调查",
    category=CATEGORY,
    guiding_units=("区委政法委", "区信访局"),
    guiding_roles=(Role.DISTRICT_POLITICAL_LEGAL, Role.DISTRICT_PETITIONS),
    supervisor=SUPERVISOR,
    summary="审前调查(如实提供居所情况、村(社区)意见和其他材料);矫正衔接;监督管理、"
            "教育帮扶(矫正小组、定期走访、公益活动、每日抽查点验、集中和个别教育、困难帮扶);"
            "考核奖惩(矫正小组记录报送,镇(街道)司法所决定);矫正解除。"
            "社区矫正对象的身份和个人信息依法保密,办理情况不在公开栏公示。",
    risks=(
        Risk("审前调查不实",
             "审前调查须填写居所情况和村(社区)意见,并由填报人确认如实提供,否则不能提交;"
             "调查内容和确认人记入不可修改的办理记录"),
        Risk("监督管理不到位",
             "矫正期间每{correction_check_in_days}至少一次抽查点验,系统每日检查,"
             "超过间隔未点验的通知村(居)委会主任并向监督委员会预警;点验异常即时预警",
             kind=RiskKind.ALERT),
        Risk("考核奖惩不公开",
             "考核奖惩由矫正小组记录考核期间表现并报镇(街道)司法所,司法所作出决定并写明理由,"
             "决定人、日期和理由记入不可修改的办理记录和社区矫正对象花名册;"
             "村(居)务监督委员会可查阅全部办理记录和花名册,对监督委员会和上级公开;"
             "社区矫正对象的身份和个人信息依法保密,不在公开栏公示;矫正期满前不能解除矫正,"
             "提前终止(收监执行、死亡等)须写明原因并上传文书"),
    ),
    measures=MEASURES_073,
    params=(CORRECTION_CHECK_IN_DAYS,),
    confidential=True,
    steps=(
        StepSpec(
            code="pre_sentence", name="审前调查", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.BRANCH_SECRETARY),
            actions=(ActionSpec(
                "investigate", "提交审前调查材料", to="handover",
                fields=(field("name", "被调查人姓名", max_length=32),
                        field("id_number", "身份证号码", format=Format.ID_NUMBER),
                        field("residence", "居所情况", FieldType.TEXT),
                        field("village_opinion", "村(社区)意见", FieldType.TEXT),
                        file_field("materials", "其他材料", required=False),
                        field("facts_true", "以上情况如实提供", FieldType.BOOLEAN)),
                requires=(Require("facts_true", True, "审前调查须如实提供情况。"),),
                effects=(c.RECORD_INVESTIGATION,),
            ),),
        ),
        StepSpec(
            code="handover", name="矫正衔接", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,),
            actions=(ActionSpec(
                "start", "建立矫正小组,开始矫正", to="supervise",
                fields=(field("start", "矫正起始日", FieldType.DATE),
                        field("end", "矫正终止日", FieldType.DATE, after="start",
                              help="按判决、裁定或决定书填写;矫正期限(几年几个月)由系统按"
                                   "起止日期计算"),
                        CORRECTION_GROUP,
                        file_field("decision", "社区矫正决定书等法律文书", required=False)),
                effects=(c.START_CORRECTION,),
            ),),
        ),
        StepSpec(
            code="supervise", name="监督管理、教育帮扶", level=Level.VILLAGE, roles=GROUP,
            description="每日抽查点验,定期走访,组织公益活动,集中和个别教育,困难帮扶;"
                        "考核时由矫正小组记录考核期间的表现,报镇(街道)司法所决定奖惩。",
            actions=(
                ActionSpec("assess", "记录考核情况,报司法所", to="assessment_decision",
                           fields=(field("period_from", "考核期间(起)", FieldType.MONTH,
                                         max=TODAY),
                                   field("period_to", "考核期间(止)", FieldType.MONTH,
                                         max=TODAY, help="按月考核的,起止为同一个月"),
                                   field("assessed_on", "考核情况记录日期", FieldType.DATE,
                                         max=TODAY),
                                   field("reasons", "考核期间表现情况", FieldType.TEXT),
                                   field("proposal", "矫正小组建议", FieldType.CHOICE,
                                         required=False,
                                         choices=choices_of(AssessmentOutcome),
                                         help="奖惩由镇(街道)司法所决定,矫正小组可提出建议")),
                           effects=(c.REPORT_ASSESSMENT,)),
                ActionSpec("terminate", "终止矫正(收监执行、死亡等)", to=None,
                           outcome="已终止矫正",
                           fields=(field("reason", "终止原因", FieldType.CHOICE,
                                         choices=choices_of(TerminationReason)),
                                   field("terminated_on", "终止矫正日期", FieldType.DATE,
                                         max=TODAY),
                                   file_field("document", "收监执行决定书、死亡证明等文书"),
                                   field("filed", "矫正档案已整理归档", FieldType.BOOLEAN)),
                           checklist=("filed",),
                           effects=(c.TERMINATE,)),
                *RECORDS,
            ),
        ),
        StepSpec(
            code="assessment_decision", name="考核奖惩决定", level=Level.TOWNSHIP,
            roles=(Role.TOWNSHIP_JUSTICE,), back_to=("supervise",),
            description="镇(街道)司法所根据矫正小组报送的考核情况作出考核奖惩决定;"
                        "情况不清的退回矫正小组补充。决定不公示,记入办理记录和花名册。"
                        "决定期间的抽查点验等由司法所登记。",
            actions=(
                ActionSpec("decide", "作出考核奖惩决定", to="supervise",
                           fields=(field("outcome", "考核奖惩决定", FieldType.CHOICE,
                                         choices=choices_of(AssessmentOutcome)),
                                   field("decided_on", "决定日期", FieldType.DATE, max=TODAY),
                                   field("basis", "决定理由和依据", FieldType.TEXT),
                                   file_field("document", "考核奖惩决定书等文书",
                                              required=False),
                                   field("next", "下一步", FieldType.CHOICE,
                                         choices=choices_of(AfterAssessment))),
                           route_by=Route("next", {AfterAssessment.CONTINUE: "supervise",
                                                   AfterAssessment.RELEASE: "release"}),
                           effects=(c.DECIDE_ASSESSMENT,)),
                *RECORDS,
            ),
        ),
        StepSpec(
            code="release", name="矫正解除", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,),
            description="矫正期满方可解除;期满前办理被拒绝并告知最早日期。",
            actions=(ActionSpec(
                "release", "解除矫正", to=None, outcome="已解除矫正",
                fields=(field("released_on", "解除矫正日期", FieldType.DATE),
                        file_field("certificate", "解除矫正证明书", required=False),
                        field("filed", "矫正档案已整理归档", FieldType.BOOLEAN)),
                checklist=("filed",),
                effects=(c.RELEASE,),
            ),),
        ),
    ),
))

register(RegisterSpec(
    code="safety_correction_roster", name="社区矫正对象花名册", procedure=CORRECTION_CODE,
    columns=(("name", "姓名"), ("id", "身份证号码"), ("term", "矫正期限"), ("start", "起始日"),
             ("end", "终止日"), ("group", "矫正小组"), ("check_ins", "点验次数"),
             ("last_check_in", "最近点验"), ("assessment", "最近考核奖惩"), ("state", "状态"),
             ("ended", "解除或终止日期"), ("reason", "终止原因")),
    rows=c.correction_rows,
))

"""10(2) 应急工作(安全隐患排查和安全风险防控) and 10(3) 应急工作(安全生产管理规范化建设).

The flowcharts of both items were lost in our copy of the model text; the steps are
built from their risks: inspection rounds, hazards with rectification deadlines,
re-inspection and closure; rules adopted, training and publicity held, checks made."""

from __future__ import annotations

from dataclasses import replace

from core.roles import Level, Role
from safety.choices import (
    CheckResult,
    Gravity,
    HazardSource,
    InspectionResult,
    Reinspection,
    SafetyRuleKind,
    TrainingKind,
)
from safety.effects import hazards as h
from safety.procedures.common import (
    CATEGORY,
    IMAGES,
    MEASURES_102,
    MEASURES_103,
    SUPERVISOR,
    choices_of,
)
from safety.rules import (
    HAZARD_FEEDBACK_DAYS,
    HAZARD_RECTIFY_MAX_DAYS,
    HAZARDS_CODE,
    SAFETY_CHECK_DAYS,
    SAFETY_RULES_PASS,
    SAFETY_RULES_QUORUM,
    STANDARDS_CODE,
)
from workflows.registers import RegisterSpec, register
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    Deadline,
    FieldType,
    ProcedureSpec,
    RequiredIf,
    Risk,
    RiskKind,
    Route,
    Separation,
    StepSpec,
    field,
    file_field,
    meeting_field,
    simple_majority,
)

# the two committees adopt the rules by a simple majority (a local rule of procedure: the
# model text's flowchart of 10(3) is lost in our copy)
_MAJORITY = simple_majority("村(居)两委会议", name="safety_rules", roll="two_committees")
SAFETY_RULES_MEETING = replace(
    _MAJORITY,
    quorum=replace(_MAJORITY.quorum, ratio=_MAJORITY.quorum.ratio.based_on(SAFETY_RULES_QUORUM)),
    pass_line=replace(_MAJORITY.pass_line,
                      ratio=_MAJORITY.pass_line.ratio.based_on(SAFETY_RULES_PASS)),
)

INSPECTORS = (Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER, Role.GRID_WORKER)

# the hazards found, one a row: where, what, how grave, by when and by whom it is put right
HAZARD_ROWS = field(
    "hazards", "发现的隐患", FieldType.TABLE, required=False, max_rows=200,
    required_if=RequiredIf("result", InspectionResult.FOUND.value),
    help=f"排查结果为“发现隐患”的,逐条登记;整改期限自今天起不超过"
         f"{HAZARD_RECTIFY_MAX_DAYS.value}天",
    columns=(
        field("location", "地点", max_length=100),
        field("description", "隐患情况", max_length=500),
        field("gravity", "等级", FieldType.CHOICE,
              choices=((Gravity.ORDINARY.value, "一般隐患"), (Gravity.MAJOR.value, "重大隐患"))),
        field("rectify_by", "整改期限", FieldType.DATE, min=TODAY),
        field("responsible", "整改责任人", max_length=64),
    ))

HAZARDS = registry.register(ProcedureSpec(
    code=HAZARDS_CODE,
    name="应急工作(安全隐患排查和安全风险防控)",
    title_example="汛期前安全隐患排查",
    category=CATEGORY,
    guiding_units=("区应急管理局",),
    guiding_roles=(Role.DISTRICT_EMERGENCY,),
    supervisor=SUPERVISOR,
    summary="开展隐患排查;逐条登记隐患并明确整改期限和责任人;"
            "整改;复查,不合格的重新整改;销号,记录和反馈。",
    risks=(
        Risk("隐患排查不到位",
             "每轮排查须写明排查的场所;发现的隐患逐条登记地点、情况、等级、责任人和整改期限,"
             "进入安全隐患台账;复查不得由整改人本人进行,复查不合格退回重新整改"),
        Risk("举报发现处理问题不及时",
             "整改期限不得超过登记之日起{hazard_rectify_max_days};"
             "超过整改期限仍未销号的隐患由系统巡检向监督委员会和镇(街道)纪委预警,"
             "逾期完成整改的同样预警", kind=RiskKind.ALERT),
        Risk("记录和反馈不及时",
             "复查合格后{hazard_feedback_days}内须记录反馈情况并归档,逾期督办;"
             "台账记录整改措施、完成日期、复查次数和销号日期,可导出PDF和Excel"),
    ),
    measures=MEASURES_102,
    steps=(
        StepSpec(
            code="inspect", name="隐患排查", level=Level.VILLAGE, roles=INSPECTORS,
            actions=(ActionSpec(
                "finish", "登记排查结果", to="rectify",
                fields=(field("source", "排查来源", FieldType.CHOICE,
                              choices=choices_of(HazardSource)),
                        field("places", "排查的场所和部位", FieldType.TEXT),
                        field("result", "排查结果", FieldType.CHOICE,
                              choices=choices_of(InspectionResult)),
                        HAZARD_ROWS),
                route_by=Route("result", {InspectionResult.FOUND: "rectify",
                                          InspectionResult.NONE: None}),
                outcome="排查完成",
                effects=(h.FINISH_INSPECTION,),
            ),),
        ),
        StepSpec(
            code="rectify", name="限期整改", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER),
            deadline=Deadline(HAZARD_RECTIFY_MAX_DAYS),
            actions=(ActionSpec(
                "rectified", "整改完成,申请复查", to="reinspect",
                fields=(field("measures", "整改措施", FieldType.TEXT),
                        field("completed_on", "整改完成日期", FieldType.DATE, max=TODAY),
                        file_field("photo", "整改后照片", accept=IMAGES)),
                effects=(h.RECORD_RECTIFICATION,),
            ),),
        ),
        StepSpec(
            code="reinspect", name="复查", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.BRANCH_SECRETARY),
            separation=Separation(not_actor_of=("rectify",), reason="整改人不能复查自己的整改。"),
            actions=(ActionSpec(
                "reinspect", "登记复查结果", to="archive",
                fields=(field("result", "复查结果", FieldType.CHOICE,
                              choices=choices_of(Reinspection)),
                        field("note", "复查情况", FieldType.TEXT)),
                route_by=Route("result", {Reinspection.PASSED: "archive",
                                          Reinspection.FAILED: "rectify"}),
                effects=(h.RECORD_REINSPECTION,),
            ),),
        ),
        StepSpec(
            code="archive", name="销号、记录反馈", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,), deadline=Deadline(HAZARD_FEEDBACK_DAYS),
            actions=(ActionSpec(
                "archive", "反馈并归档", to=None, outcome="隐患已销号",
                fields=(field("feedback", "向举报人或有关方面反馈情况", FieldType.TEXT),
                        field("filed", "排查、整改、复查记录已归档", FieldType.BOOLEAN)),
                checklist=("filed",),
                effects=(h.RECORD_FEEDBACK,),
            ),),
        ),
    ),
))

STANDARDS = registry.register(ProcedureSpec(
    code=STANDARDS_CODE,
    name="应急工作(安全生产管理规范化建设)",
    title_example="2026年村安全生产管理规范化建设",
    category=CATEGORY,
    guiding_units=("区应急管理局",),
    guiding_roles=(Role.DISTRICT_EMERGENCY,),
    supervisor=SUPERVISOR,
    summary="制定安全生产制度并经村(居)两委会议通过;"
            "开展宣传培训;检查落实,发现问题限期整改。",
    risks=(
        Risk("制度建设不全面",
             "安全生产责任制、隐患排查治理、应急预案、教育培训、消防安全、检查考核六项制度"
             "缺一项即不能提交;须经两委会议表决通过,到会和表决人数由系统计算"),
        Risk("宣传普及不到位",
             "宣传培训须登记参加人数(不得为0)并上传现场照片和签到表,进入安全生产管理台账"),
        Risk("管理实施不严格",
             "培训后{safety_check_days}内须检查落实,逾期督办;检查不得由培训组织人本人"
             "进行;发现问题的须写明整改要求"),
    ),
    measures=MEASURES_103,
    steps=(
        StepSpec(
            code="adopt", name="制定安全生产制度", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR),
            actions=(ActionSpec(
                "adopt", "两委会议通过制度", to="train",
                fields=(field("rules", "制度清单", FieldType.MULTICHOICE,
                              choices=choices_of(SafetyRuleKind)),
                        meeting_field("村(居)两委会议(召开日期即制度通过日期)"),
                        file_field("document", "制度文本")),
                meeting=SAFETY_RULES_MEETING,
                effects=(h.ADOPT_RULES,),
            ),),
        ),
        StepSpec(
            code="train", name="宣传培训", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER),
            actions=(ActionSpec(
                "train", "登记宣传培训", to="check",
                fields=(field("kind", "类别", FieldType.CHOICE, choices=choices_of(TrainingKind)),
                        field("held_on", "开展日期", FieldType.DATE, max=TODAY),
                        field("participants", "参加人数", FieldType.INTEGER, min=1,
                              max=100_000),
                        field("content", "内容", FieldType.TEXT),
                        file_field("photo", "现场照片", accept=IMAGES),
                        file_field("sign_in", "签到表")),
                effects=(h.RECORD_TRAINING,),
            ),),
        ),
        StepSpec(
            code="check", name="检查落实", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR),
            deadline=Deadline(SAFETY_CHECK_DAYS),
            separation=Separation(not_actor_of=("train",),
                                  reason="宣传培训的组织人不能检查自己的工作。"),
            actions=(ActionSpec(
                "check", "登记检查结果", to=None, outcome="已检查落实",
                fields=(field("checked_on", "检查日期", FieldType.DATE, max=TODAY),
                        field("findings", "检查情况", FieldType.TEXT),
                        field("result", "检查结论", FieldType.CHOICE,
                              choices=choices_of(CheckResult)),
                        field("rectification", "整改要求", FieldType.TEXT, required=False,
                              help="检查结论为“发现问题,限期整改”的必填",
                              required_if=RequiredIf("result", CheckResult.PROBLEMS.value)),
                        field("rectify_by", "整改期限", FieldType.DATE, required=False,
                              min=TODAY, help="检查结论为“发现问题,限期整改”的必填",
                              required_if=RequiredIf("result", CheckResult.PROBLEMS.value))),
                effects=(h.RECORD_CHECK,),
            ),),
        ),
    ),
))

register(RegisterSpec(
    code="safety_hazard_ledger", name="安全隐患台账", procedure=HAZARDS_CODE,
    columns=(("number", "序号"), ("found_on", "发现日期"), ("source", "来源"),
             ("location", "地点"), ("description", "隐患情况"), ("gravity", "等级"),
             ("responsible", "责任人"), ("rectify_by", "整改期限"),
             ("rectified_on", "整改完成"), ("reinspections", "复查次数"), ("state", "状态"),
             ("closed_on", "销号日期"), ("feedback", "反馈")),
    rows=h.hazard_rows,
))
register(RegisterSpec(
    code="safety_production_ledger", name="安全生产管理台账", procedure=STANDARDS_CODE,
    columns=(("on", "日期"), ("kind", "类别"), ("summary", "内容"),
             ("participants", "参加人数"), ("recorded_by", "记录人")),
    rows=h.safety_rows,
))

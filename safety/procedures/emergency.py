"""10(1) 应急工作(应急救援) and 10(4) 应急工作(消防安全)."""

from __future__ import annotations

from core.roles import Level, Role
from safety.choices import EmergencyKind, IncidentCategory, InstructionStatus
from safety.effects import emergency as em
from safety.procedures.common import (
    CATEGORY,
    IMAGES,
    MEASURES_101,
    MEASURES_104,
    SUPERVISOR,
    choices_of,
)
from safety.rules import (
    AFTERMATH_DAYS,
    EMERGENCY_CODE,
    EMERGENCY_REPORT_HOURS,
    FIRE_CALL_MINUTES,
    FIRE_CODE,
    FIRE_REPORT_HOURS,
)
from workflows.registers import RegisterSpec, register
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    Deadline,
    FieldSpec,
    FieldType,
    Kind,
    ProcedureSpec,
    Require,
    RequiredIf,
    Risk,
    RiskKind,
    StepSpec,
    field,
    file_field,
)

CADRES = (Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER)
FIRST_SEEN = (*CADRES, Role.GRID_WORKER)


def instruction_fields(required_if: RequiredIf | None = None) -> tuple[FieldSpec, ...]:
    """An instruction of the township (or another superior) as the village received it:
    who gave it, when, what it says, and to whom the village passed it on."""
    required = required_if is None
    return (
        field("instructed_by", "下达指示的单位和人员", required=required, required_if=required_if,
              help="如:东城镇应急办张三"),
        field("instructed_at", "收到指示时间", FieldType.DATETIME, max=TODAY,
              required=required, required_if=required_if),
        field("instructions", "指示内容", FieldType.TEXT, required=required,
              required_if=required_if),
        field("relayed_to", "已传达的人员和单位", FieldType.TEXT, required=required,
              required_if=required_if),
    )


# the township's later instructions are recorded beside the case whenever they come: the
# village never waits for a township step
RECORD_INSTRUCTION = ActionSpec("record_instruction", "登记上级指示", kind=Kind.SIDE,
                                fields=instruction_fields(), effects=(em.RECORD_INSTRUCTION,))

EMERGENCY = registry.register(ProcedureSpec(
    code=EMERGENCY_CODE,
    name="应急工作(应急救援)",
    title_example="暴雨致后山滑坡应急处置",
    urgent=True,  # listed before every other task
    category=CATEGORY,
    guiding_units=("区应急管理局",),
    guiding_roles=(Role.DISTRICT_EMERGENCY,),
    supervisor=SUPERVISOR,
    summary="突发事件;启动应急预案;向相关单位通报,上报镇(街道),传达上级指示,收集反馈意见;"
            "应急响应(应急处置、舆情发布、后勤保障、医疗救治、矛盾化解);事件处置;"
            "善后处理、调查评估、后续处置;完善预案、落实整改、汲取教训、情况上报、资料归档。",
    risks=(
        Risk("漏报、瞒报、上报不及时",
             "登记须填写事件发生时间,上报须填写上报时间;上报晚于发生后"
             "{emergency_report_hours}小时的自动预警(迟报);登记后超过时限仍未上报的,"
             "系统巡检向监督委员会和镇(街道)纪委预警(漏报)", kind=RiskKind.ALERT),
        Risk("发生事故后应急处置不当",
             "登记时须确认已启动应急预案;上级指示由村(社区)登记下达单位、人员、时间和内容"
             "并传达,尚未收到指示的按应急预案先行处置,不等待镇(街道)办理;处置中收到的后续指示"
             "随时登记;收集的反馈意见须登记;应急处置、舆情发布、后勤保障、医疗救治、矛盾化解"
             "逐项填写方可提交"),
        Risk("跟踪处置不到位",
             "善后处理、调查评估、后续处置须在{emergency_aftermath_days}内完成,逾期督办;"
             "归档须确认预案已完善、资料已归档,并上传情况报告"),
    ),
    measures=MEASURES_101,
    params=(EMERGENCY_REPORT_HOURS,),
    steps=(
        StepSpec(
            code="incident", name="突发事件、启动应急预案", level=Level.VILLAGE,
            roles=FIRST_SEEN,
            actions=(ActionSpec(
                "register", "登记突发事件", to="report",
                fields=(field("occurred_at", "发生时间", FieldType.DATETIME, max=TODAY),
                        field("kind", "事件类型", FieldType.CHOICE,
                              choices=choices_of(EmergencyKind)),
                        field("location", "地点"),
                        field("description", "事件情况", FieldType.TEXT),
                        field("plan_activated", "已启动应急预案", FieldType.BOOLEAN)),
                requires=(Require("plan_activated", True, "突发事件发生后须立即启动应急预案。"),),
                effects=(em.REGISTER_EMERGENCY,),
            ),),
        ),
        StepSpec(
            code="report", name="通报相关单位、上报镇(街道)", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR),
            actions=(ActionSpec(
                "report", "登记上报情况", to="instructions",
                fields=(field("reported_at", "上报镇(街道)时间", FieldType.DATETIME, max=TODAY),
                        field("reported_to", "接报单位和人员"),
                        field("units_notified", "已通报的相关单位", FieldType.TEXT)),
                effects=(em.REPORT_EMERGENCY,),
            ),),
        ),
        StepSpec(
            code="instructions", name="传达上级指示", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR),
            description="村(社区)登记收到的镇(街道)等上级指示(下达单位和人员、时间、内容)并传达;"
                        "尚未收到指示的,按应急预案先行处置,此后收到的指示随时登记。",
            actions=(ActionSpec(
                "relay", "登记并传达上级指示", to="feedback",
                fields=(field("received", "上级指示", FieldType.CHOICE,
                              choices=choices_of(InstructionStatus)),
                        *instruction_fields(required_if=RequiredIf(
                            "received", InstructionStatus.RECEIVED.value))),
                effects=(em.RELAY_INSTRUCTIONS,),
            ),),
        ),
        StepSpec(
            code="feedback", name="收集反馈意见", level=Level.VILLAGE, roles=CADRES,
            actions=(
                ActionSpec("feedback", "登记反馈意见", to="response",
                           fields=(field("feedback", "收集的反馈意见", FieldType.TEXT),
                                   field("fed_back_to", "反馈意见报送的单位和人员",
                                         required=False)),
                           effects=(em.RECORD_FEEDBACK,)),
                RECORD_INSTRUCTION,
            ),
        ),
        StepSpec(
            code="response", name="应急响应、事件处置", level=Level.VILLAGE, roles=CADRES,
            actions=(
                ActionSpec("respond", "登记应急响应情况", to="aftermath",
                           fields=(field("handling", "应急处置", FieldType.TEXT),
                                   field("public_info", "舆情发布", FieldType.TEXT),
                                   field("logistics", "后勤保障", FieldType.TEXT),
                                   field("medical", "医疗救治", FieldType.TEXT),
                                   field("disputes", "矛盾化解", FieldType.TEXT)),
                           effects=(em.RECORD_RESPONSE,)),
                RECORD_INSTRUCTION,
            ),
        ),
        StepSpec(
            code="aftermath", name="善后处理、调查评估、后续处置", level=Level.VILLAGE,
            roles=CADRES, deadline=Deadline(AFTERMATH_DAYS),
            actions=(
                ActionSpec("aftermath", "登记善后和调查评估", to="lessons",
                           fields=(field("relief", "善后处理", FieldType.TEXT),
                                   field("investigation", "调查评估", FieldType.TEXT),
                                   field("follow_up", "后续处置", FieldType.TEXT)),
                           effects=(em.RECORD_AFTERMATH,)),
                RECORD_INSTRUCTION,
            ),
        ),
        StepSpec(
            code="lessons", name="完善预案、落实整改、汲取教训、情况上报、资料归档",
            level=Level.VILLAGE, roles=(Role.BRANCH_SECRETARY,),
            actions=(ActionSpec(
                "close", "总结归档", to=None, outcome="已处置归档",
                fields=(field("plan_improved", "应急预案已完善", FieldType.BOOLEAN),
                        field("rectification", "整改落实情况", FieldType.TEXT),
                        field("lessons", "汲取的教训", FieldType.TEXT),
                        file_field("report", "情况报告"),
                        field("filed", "资料已归档", FieldType.BOOLEAN)),
                checklist=("plan_improved", "filed"),
                effects=(em.CLOSE_EMERGENCY,),
            ),),
        ),
    ),
))

FIRE = registry.register(ProcedureSpec(
    code=FIRE_CODE,
    name="应急工作(消防安全)",
    title_example="村仓库火情处置",
    urgent=True,  # a fire: listed before every other task
    category=CATEGORY,
    guiding_units=("区应急管理局",),
    guiding_roles=(Role.DISTRICT_EMERGENCY,),
    supervisor=SUPERVISOR,
    summary="发生火灾事故,立即拨打119,立即报告上级部门,派人迎接消防车,启动应急预案;"
            "组织力量解救被困人员和受伤人员,实施现场警戒,义务消防队灭火自救,消防队到后实施专业救援,"
            "由引导人员按指定路线组织人员撤离;清点人数和受伤情况并报告上级领导;"
            "清理现场和统计损失情况;向上级报告,做好查漏和责任追究,总结吸取教训。",
    risks=(
        Risk("发生事故后迟报、瞒报、谎报",
             "拨打119时间和报告上级时间为必填项,不得早于起火时间、不得晚于当前时间;"
             "报告上级晚于起火后{fire_report_hours}小时的自动向监督委员会和镇(街道)纪委"
             "预警并在登记簿标注迟报", kind=RiskKind.ALERT),
        Risk("应急救援不及时,救援不力",
             "拨打119晚于起火后{fire_call_minutes}分钟的自动预警;"
             "须逐项登记解救被困人员、现场警戒、义务消防队灭火、人员撤离和清点人数,"
             "清点结果须已报告上级才能提交"),
        Risk("教训总结不深刻,责任追究不严肃",
             "查漏、责任追究和教训总结为必填项并上传事故报告;由镇人民政府(街道办事处)审核,"
             "不认可的退回重新总结,审核通过方可归档"),
    ),
    measures=MEASURES_104,
    params=(FIRE_REPORT_HOURS, FIRE_CALL_MINUTES),
    steps=(
        StepSpec(
            code="fire", name="发生火灾,拨打119,报告上级,启动应急预案", level=Level.VILLAGE,
            roles=FIRST_SEEN,
            actions=(ActionSpec(
                "register", "登记火灾和报警、报告情况", to="rescue",
                fields=(field("started_at", "起火时间", FieldType.DATETIME, max=TODAY),
                        field("location", "地点"),
                        field("description", "火灾情况", FieldType.TEXT),
                        field("call_119_at", "拨打119时间", FieldType.DATETIME, max=TODAY,
                              after="started_at"),
                        field("reported_at", "报告上级时间", FieldType.DATETIME, max=TODAY,
                              after="started_at"),
                        field("reported_to", "报告的上级部门和人员"),
                        field("engine_met", "已派人迎接消防车", FieldType.BOOLEAN),
                        field("plan_activated", "已启动应急预案", FieldType.BOOLEAN)),
                requires=(Require("plan_activated", True, "发生火灾须立即启动应急预案。"),),
                effects=(em.REGISTER_FIRE,),
            ),),
        ),
        StepSpec(
            code="rescue", name="救援疏散", level=Level.VILLAGE, roles=CADRES,
            actions=(ActionSpec(
                "rescue", "登记救援和疏散情况", to="count",
                fields=(field("rescued", "解救被困和受伤人员(人)", FieldType.INTEGER),
                        field("cordon", "现场警戒情况", FieldType.TEXT),
                        field("volunteer_team", "义务消防队灭火自救情况", FieldType.TEXT),
                        field("professional", "消防队专业救援情况", FieldType.TEXT),
                        field("evacuation", "按指定路线撤离情况", FieldType.TEXT)),
                effects=(em.RECORD_RESCUE,),
            ),),
        ),
        StepSpec(
            code="count", name="清点人数和受伤情况并报告", level=Level.VILLAGE, roles=CADRES,
            actions=(ActionSpec(
                "count", "登记清点结果", to="losses",
                fields=(field("people_counted", "清点人数", FieldType.INTEGER),
                        field("injured", "受伤人数", FieldType.INTEGER),
                        field("deaths", "死亡人数", FieldType.INTEGER),
                        field("reported", "已报告上级领导", FieldType.BOOLEAN)),
                requires=(Require("reported", True, "清点人数和受伤情况须报告上级领导。"),),
                effects=(em.COUNT_PEOPLE,),
            ),),
        ),
        StepSpec(
            code="losses", name="清理现场和统计损失", level=Level.VILLAGE, roles=CADRES,
            actions=(ActionSpec(
                "losses", "登记损失情况", to="accountability",
                fields=(field("direct_loss", "直接经济损失(元)", FieldType.DECIMAL),
                        field("description", "损失情况", FieldType.TEXT),
                        file_field("scene_photo", "现场照片", accept=IMAGES, required=False)),
                effects=(em.TALLY_LOSSES,),
            ),),
        ),
        StepSpec(
            code="accountability", name="向上级报告,查漏、责任追究、总结教训",
            level=Level.VILLAGE, roles=(Role.BRANCH_SECRETARY,),
            actions=(ActionSpec(
                "submit", "提交事故报告", to="township_review",
                fields=(field("gaps", "查漏情况", FieldType.TEXT),
                        field("accountability", "责任追究", FieldType.TEXT),
                        field("lessons", "总结教训", FieldType.TEXT),
                        file_field("report", "事故报告")),
                effects=(em.RECORD_ACCOUNTABILITY,),
            ),),
        ),
        StepSpec(
            code="township_review", name="镇(街道)审核", level=Level.TOWNSHIP,
            roles=(Role.TOWNSHIP_GOVERNMENT,), back_to=("accountability",),
            description="责任追究不严肃、教训总结不深刻的,退回重新总结。",
            actions=(ActionSpec(
                "confirm", "审核通过,归档", to=None, outcome="已总结归档",
                fields=(field("opinion", "审核意见", FieldType.TEXT),),
                # the filing of a summary: one opinion may cover several villages' fires
                batch=True,
                effects=(em.CLOSE_FIRE,),
            ),),
        ),
    ),
))

register(RegisterSpec(
    code="safety_emergency_log", name="突发事件登记簿", procedure=EMERGENCY_CODE,
    columns=(("occurred_at", "发生时间"), ("kind", "类型"), ("location", "地点"),
             ("description", "情况"), ("reported_at", "上报时间"), ("late", "迟报"),
             ("instructions", "上级指示"), ("stage", "处置阶段"), ("response", "应急响应"),
             ("aftermath", "善后和调查评估"), ("lessons", "教训")),
    rows=em.incident_rows(IncidentCategory.EMERGENCY),
))
register(RegisterSpec(
    code="safety_fire_log", name="火灾事故登记簿", procedure=FIRE_CODE,
    columns=(("occurred_at", "起火时间"), ("kind", "类型"), ("location", "地点"),
             ("description", "情况"), ("call_119_at", "拨打119时间"),
             ("reported_at", "报告上级时间"), ("late", "迟报"), ("stage", "处置阶段"),
             ("response", "救援疏散"), ("people_counted", "清点人数"), ("injured", "受伤人数"),
             ("deaths", "死亡人数"), ("losses", "损失"), ("accountability", "责任追究"),
             ("lessons", "教训")),
    rows=em.incident_rows(IncidentCategory.FIRE),
))

"""07(1) 矛盾纠纷调解 and 07(2) 解决群众来信来访."""

from __future__ import annotations

from core.roles import Level, Role
from safety.choices import (
    Acceptance,
    DisputeKind,
    DisputeSource,
    Gravity,
    MediationMeans,
    MediationResult,
    PartySide,
    PetitionChannel,
)
from safety.effects import disputes as d
from safety.effects import petitions as p
from safety.procedures.common import (
    CATEGORY,
    MEASURES_071,
    MEASURES_072,
    PHONE_HELP,
    PHONE_PATTERN,
    SUPERVISOR,
    choices_of,
)
from safety.rules import (
    FOLLOW_UP_DAYS,
    MEDIATION_CODE,
    MEDIATION_DAYS,
    PETITION_ACCEPT_DAYS,
    PETITION_EXTENSION_MAX,
    PETITION_HANDLE_DAYS,
    PETITION_REGISTER_DAYS,
    PETITION_REVIEW_DAYS,
    PETITION_REVIEW_HANDLE_DAYS,
    PETITIONS_CODE,
    TOWNSHIP_ACK_DAYS,
)
from workflows.registers import RegisterSpec, register
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    Deadline,
    DueFrom,
    FieldSpec,
    FieldType,
    Format,
    Kind,
    ProcedureSpec,
    Require,
    RequiredIf,
    Risk,
    RiskKind,
    Route,
    Separation,
    StepSpec,
    field,
    file_field,
)

VILLAGE_HANDLERS = (Role.MEDIATOR, Role.COMMITTEE_MEMBER, Role.GRID_WORKER,
                    Role.COMMITTEE_DIRECTOR)

# a villager of the household roster (decisions keeps it), when the person lives here
HOUSEHOLD_HELP = "本村(社区)村(居)民,可从户籍户名册中选择其所在户;外来人员不选"
PARTIES = field(
    "parties", "当事人", FieldType.TABLE, min_rows=2, max_rows=50,
    help="纠纷各方当事人逐一登记(至少两方)",
    columns=(
        field("side", "当事人类别", FieldType.CHOICE, choices=choices_of(PartySide)),
        field("name", "姓名或名称", max_length=64),
        field("household", "所在户", FieldType.REF, ref="household", required=False,
              help=HOUSEHOLD_HELP),
        field("address", "住址", max_length=100),
        field("phone", "联系电话", required=False, pattern=PHONE_PATTERN, help=PHONE_HELP),
    ))


def _session_fields() -> tuple[FieldSpec, ...]:
    return (
        field("held_on", "调解日期", FieldType.DATE, max=TODAY),
        field("means", "调解方式", FieldType.CHOICE, choices=choices_of(MediationMeans)),
        field("content", "调解情况(双方陈述、调解过程)", FieldType.TEXT),
    )


MEDIATION = registry.register(ProcedureSpec(
    code=MEDIATION_CODE,
    name="“三零”单位创建(矛盾纠纷调解)",
    title_example="张家与李家宅基地边界纠纷调解",
    category=CATEGORY,
    guiding_units=("区委政法委", "区信访局", "区司法局"),
    guiding_roles=(Role.DISTRICT_POLITICAL_LEGAL, Role.DISTRICT_PETITIONS,
                   Role.DISTRICT_JUSTICE),
    supervisor=SUPERVISOR,
    summary="定期排查;统一受理当事人直接申请、上级指派的矛盾纠纷并登记;重大疑难复杂纠纷及时向"
            "街道上报并制定应急预案;多措并举协调化解;跟踪回访;办结归档。",
    risks=(
        Risk("矛盾纠纷化解拖延、不及时",
             "登记即进入矛盾纠纷台账;调解自登记起{mediation_days}内办结,"
             "到期前提醒调解员,逾期自动向镇(街道)督办并向监督委员会发出预警", kind=RiskKind.ALERT),
        Risk("协调中偏袒,标准不统一",
             "纠纷类别、来源、调解方式均为统一选项;每次调解留有记录;回访不得由调解人本人进行"
             "(不相容岗位分离);当事人回访不满意自动向监督委员会预警"),
        Risk("跟踪回访不及时,资料收集不到位",
             "未登记回访的纠纷不能归档;调解结束后{follow_up_days}内须回访,逾期督办;"
             "归档须完成台账和资料清单,台账可导出PDF和Excel"),
    ),
    measures=MEASURES_071,
    params=(MEDIATION_DAYS, FOLLOW_UP_DAYS, TOWNSHIP_ACK_DAYS),
    steps=(
        StepSpec(
            code="register", name="受理登记", level=Level.VILLAGE, roles=VILLAGE_HANDLERS,
            description="定期排查发现、当事人申请、上级指派的纠纷统一受理登记;"
                        "重大疑难复杂纠纷须先上报镇(街道)。",
            actions=(ActionSpec(
                "register", "登记纠纷", to="mediate",
                fields=(
                    PARTIES,
                    field("kind", "纠纷类别", FieldType.CHOICE,
                          choices=choices_of(DisputeKind)),
                    field("source", "纠纷来源", FieldType.CHOICE,
                          choices=choices_of(DisputeSource)),
                    field("received_on", "受理日期", FieldType.DATE, max=TODAY),
                    field("summary", "纠纷概要", FieldType.TEXT),
                    field("gravity", "纠纷性质", FieldType.CHOICE, choices=choices_of(Gravity),
                          help="重大疑难复杂纠纷、不稳定因素须上报镇(街道)"),
                ),
                route_by=Route("gravity", {Gravity.ORDINARY: "mediate",
                                           Gravity.MAJOR: "township_report"}),
                effects=(d.REGISTER_DISPUTE,),
            ),),
        ),
        StepSpec(
            code="township_report", name="重大疑难复杂纠纷上报镇(街道)", level=Level.TOWNSHIP,
            roles=(Role.TOWNSHIP_GOVERNMENT,),
            deadline=Deadline(TOWNSHIP_ACK_DAYS, remind_days=(1,)),
            description="镇(街道)确认收到上报并作出指导,村(社区)制定应急预案后方可继续调解。",
            actions=(ActionSpec(
                "acknowledge", "确认收到并指导", to="mediate",
                fields=(field("instructions", "指导意见", FieldType.TEXT),
                        field("contingency_plan", "已督促制定应急预案", FieldType.BOOLEAN)),
                requires=(Require("contingency_plan", True,
                                  "重大疑难复杂纠纷须制定相关应急预案。"),),
                effects=(d.ACKNOWLEDGE_REPORT,),
            ),),
        ),
        StepSpec(
            code="mediate", name="多措并举协调化解", level=Level.VILLAGE,
            roles=(Role.MEDIATOR, Role.COMMITTEE_DIRECTOR),
            deadline=Deadline(MEDIATION_DAYS, due_from=DueFrom.CASE_OPENED),
            description="每次调解登记调解记录;调解结束时登记结果。",
            actions=(
                ActionSpec("conclude", "调解结束", to="follow_up",
                           fields=(*_session_fields(),
                                   field("result", "调解结果", FieldType.CHOICE,
                                         choices=choices_of(MediationResult)),
                                   file_field("agreement", "调解协议书", required=False)),
                           effects=(d.CONCLUDE_MEDIATION,)),
                ActionSpec("record_session", "登记调解记录", kind=Kind.SIDE,
                           fields=_session_fields(), effects=(d.RECORD_SESSION,)),
            ),
        ),
        StepSpec(
            code="follow_up", name="跟踪回访", level=Level.VILLAGE, roles=VILLAGE_HANDLERS,
            deadline=Deadline(FOLLOW_UP_DAYS),
            separation=Separation(not_actor_of=("mediate",),
                                  reason="调解人不能回访自己调解的纠纷。"),
            actions=(ActionSpec(
                "visit", "登记回访", to="archive",
                fields=(field("visited_on", "回访日期", FieldType.DATE, max=TODAY),
                        field("satisfied", "当事人对调解结果满意", FieldType.BOOLEAN),
                        field("feedback", "回访情况", FieldType.TEXT)),
                effects=(d.RECORD_FOLLOW_UP,),
            ),),
        ),
        StepSpec(
            code="archive", name="办结归档", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,),
            actions=(ActionSpec(
                "archive", "办结归档", to=None, outcome="已调处归档",
                fields=(field("ledger_done", "矛盾纠纷台账已登记", FieldType.BOOLEAN),
                        field("materials_filed", "调解记录、协议、回访记录已整理归档",
                              FieldType.BOOLEAN)),
                checklist=("ledger_done", "materials_filed"),
                effects=(d.ARCHIVE_DISPUTE,),
            ),),
        ),
    ),
))

PETITIONS = registry.register(ProcedureSpec(
    code=PETITIONS_CODE,
    name="“三零”单位创建(解决群众来信来访)",
    title_example="村民来访反映村道路灯损坏",
    category=CATEGORY,
    guiding_units=("区信访局",),
    guiding_roles=(Role.DISTRICT_PETITIONS,),
    supervisor=SUPERVISOR,
    summary="群众来访,来访接谈,详细登记;受理,或不予受理并告知信访人向有权处理的部门提出;"
            "调查了解情况,提出处理意见,告知信访人;归档。",
    risks=(
        Risk("漏登漏记,拖延登记",
             "每件信访事项登记即按村(社区)和年度自动编号(信访-年度-序号),编号不可修改;"
             "须填写收到日期,收到后超过{petition_register_days}才登记的,"
             "自动向监督委员会和镇(街道)纪委发出迟登记预警", kind=RiskKind.ALERT),
        Risk("不按信访条例有关规定办理",
             "受理与否须在收到后{petition_accept_days}内告知(超期预警、逾期督办);"
             "不予受理须写明应向哪个有权处理的机关提出,否则不能提交;"
             "办理期限{petition_handle_days},延长须写明理由且合计不得超过"
             "{petition_extension_max},并须登记告知信访人延期理由的日期;"
             "答复后{petition_review_days}内可请求复查,"
             "超期的复查请求被拒绝,期满前不能按未申请复查归档"),
        Risk("不按规定保存已办结案件",
             "归档须完成登记表、处理意见书、相关材料的归档清单;附件随办理记录保存并计算SHA-256;"
             "信访登记簿可随时导出PDF和Excel"),
    ),
    measures=MEASURES_072,
    params=(PETITION_REGISTER_DAYS, PETITION_EXTENSION_MAX, PETITION_REVIEW_DAYS),
    steps=(
        StepSpec(
            code="register", name="来访接谈、详细登记", level=Level.VILLAGE,
            roles=VILLAGE_HANDLERS,
            actions=(ActionSpec(
                "register", "登记信访事项", to="accept",
                fields=(
                    field("petitioner", "信访人", max_length=64),
                    field("household", "信访人所在户", FieldType.REF, ref="household",
                          required=False, help=HOUSEHOLD_HELP),
                    field("id_number", "信访人身份证号码", required=False,
                          format=Format.ID_NUMBER),
                    field("contact", "联系电话", required=False, pattern=PHONE_PATTERN,
                          help=PHONE_HELP),
                    field("address", "通信地址", required=False, max_length=100,
                          help="来信的,填写回复信件的地址"),
                    field("channel", "信访形式", FieldType.CHOICE,
                          choices=choices_of(PetitionChannel)),
                    field("received_on", "收到日期", FieldType.DATE, max=TODAY),
                    field("content", "信访事项和诉求", FieldType.TEXT),
                ),
                effects=(p.REGISTER_PETITION,),
            ),),
        ),
        StepSpec(
            code="accept", name="受理或不予受理,告知信访人", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,),
            deadline=Deadline(PETITION_ACCEPT_DAYS, due_from=DueFrom.CASE_OPENED),
            actions=(ActionSpec(
                "decide", "决定是否受理并告知", to="investigate",
                fields=(
                    field("acceptance", "受理情况", FieldType.CHOICE,
                          choices=choices_of(Acceptance)),
                    field("told_on", "告知信访人日期", FieldType.DATE, max=TODAY),
                    field("competent_body", "告知信访人向其提出的有权处理机关", required=False,
                          max_length=100, help="不予受理的必填",
                          required_if=RequiredIf("acceptance", Acceptance.NOT_ACCEPT.value)),
                    field("reason", "理由", FieldType.TEXT),
                ),
                route_by=Route("acceptance", {Acceptance.ACCEPT: "investigate",
                                              Acceptance.NOT_ACCEPT: "archive"}),
                effects=(p.DECIDE_ACCEPTANCE,),
            ),),
        ),
        StepSpec(
            code="investigate", name="调查了解情况,提出处理意见", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER, Role.MEDIATOR),
            deadline=Deadline(PETITION_HANDLE_DAYS, remind_days=(7, 3, 1)),
            actions=(
                ActionSpec("reply", "提出处理意见并告知信访人", to="review_window",
                           fields=(field("findings", "调查情况", FieldType.TEXT),
                                   field("opinion", "处理意见", FieldType.TEXT),
                                   field("replied_on", "书面答复信访人日期", FieldType.DATE,
                                         max=TODAY),
                                   file_field("reply_letter", "处理意见书", required=False)),
                           effects=(p.REPLY_PETITION,)),
                ActionSpec("extend", "延长办理期限", kind=Kind.SIDE,
                           fields=(field("days", "延长天数", FieldType.INTEGER, min=1),
                                   field("reason", "延长理由", FieldType.TEXT),
                                   field("told_on", "告知信访人延期理由日期", FieldType.DATE,
                                         max=TODAY)),
                           effects=(p.EXTEND_HANDLING,)),
            ),
        ),
        StepSpec(
            code="review_window", name="复查请求期", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,),
            description="信访人可自收到处理意见之日起,在复查请求期内请求复查;"
                        "期满未请求的归档。",
            actions=(
                ActionSpec("request_review", "登记复查请求,报镇(街道)复查", to="review",
                           fields=(field("content", "复查请求内容", FieldType.TEXT),),
                           effects=(p.REQUEST_REVIEW,)),
                ActionSpec("close", "复查期满未请求,归档", to="archive",
                           effects=(p.CLOSE_WITHOUT_REVIEW,)),
            ),
        ),
        StepSpec(
            code="review", name="镇(街道)复查", level=Level.TOWNSHIP,
            roles=(Role.TOWNSHIP_GOVERNMENT,),
            deadline=Deadline(PETITION_REVIEW_HANDLE_DAYS),
            actions=(ActionSpec("decide_review", "出具复查意见", to="archive",
                                fields=(field("opinion", "复查意见", FieldType.TEXT),),
                                effects=(p.RECORD_REVIEW,)),),
        ),
        StepSpec(
            code="archive", name="归档", level=Level.VILLAGE, roles=(Role.COMMITTEE_DIRECTOR,),
            actions=(ActionSpec(
                "archive", "归档", to=None, outcome="已办结归档",
                fields=(field("register_filed", "信访登记表已归档", FieldType.BOOLEAN),
                        field("opinion_filed", "处理意见或告知书已归档", FieldType.BOOLEAN),
                        field("materials_filed", "调查材料已归档", FieldType.BOOLEAN)),
                checklist=("register_filed", "opinion_filed", "materials_filed"),
                effects=(p.ARCHIVE_PETITION,),
            ),),
        ),
    ),
))

register(RegisterSpec(
    code="safety_dispute_ledger", name="矛盾纠纷台账", procedure=MEDIATION_CODE,
    columns=(("number", "序号"), ("received_on", "受理日期"), ("parties", "当事人"),
             ("kind", "纠纷类别"), ("source", "来源"), ("gravity", "性质"),
             ("reported", "上报镇(街道)"), ("sessions", "调解次数"), ("result", "调解结果"),
             ("visited_on", "回访日期"), ("satisfied", "回访评价"), ("state", "状态")),
    rows=d.dispute_rows,
))
register(RegisterSpec(
    code="safety_petition_register", name="信访登记簿", procedure=PETITIONS_CODE,
    columns=(("number", "编号"), ("received_on", "收到日期"), ("registered", "登记日期"),
             ("channel", "形式"), ("petitioner", "信访人"), ("id", "身份证号码"),
             ("content", "信访事项"), ("acceptance", "受理情况"), ("told_on", "告知日期"),
             ("body", "告知的有权处理机关"), ("due_on", "办理期限"), ("extension", "延长天数"),
             ("replied_on", "答复日期"), ("review", "请求复查日期"), ("state", "状态")),
    rows=p.petition_rows,
))

"""09 法治宣传教育."""

from __future__ import annotations

from core.roles import Level, Role
from safety.choices import EducationActivityKind
from safety.effects import education as e
from safety.procedures.common import CATEGORY, IMAGES, MEASURES_09, SUPERVISOR, choices_of
from safety.rules import EDUCATION_CODE, LEGAL_EDUCATION_EVERY
from workflows.registers import RegisterSpec, register
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    FieldType,
    ProcedureSpec,
    Risk,
    RiskKind,
    StepSpec,
    field,
    file_field,
)

EDUCATION = registry.register(ProcedureSpec(
    code=EDUCATION_CODE,
    name="法治宣传教育",
    title_example="“宪法宣传周”法治讲座",
    category=CATEGORY,
    guiding_units=("区司法局",),
    guiding_roles=(Role.DISTRICT_JUSTICE,),
    supervisor=SUPERVISOR,
    summary="开展法治宣传教育:村(社区)两委开展集体教育,深入群众开展宣传教育,开展普法教育,"
            "利用法律宣传日进行宣传。",
    risks=(
        Risk("宣传不到位、力度不够",
             "每次活动登记参加人数(不得为0)并进入法治宣传教育活动台账;台账可导出,"
             "监督委员会据以核对"),
        Risk("宣传不及时、效果不明显,没有针对性",
             "村(社区)超过{legal_education_every}未开展活动的,系统自动向监督委员会"
             "和镇(街道)纪委预警;活动须写明主题和对象", kind=RiskKind.ALERT),
        Risk("宣传开展不实、流于形式",
             "活动须上传现场照片(仅限图片)和签到表,活动日期不得晚于登记当天,"
             "文件SHA-256随办理记录保存"),
    ),
    measures=MEASURES_09,
    params=(LEGAL_EDUCATION_EVERY,),
    steps=(
        StepSpec(
            code="plan", name="活动安排", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR),
            actions=(ActionSpec(
                "plan", "安排活动", to="hold",
                fields=(field("kind", "活动类别", FieldType.CHOICE,
                              choices=choices_of(EducationActivityKind)),
                        field("topic", "主题"),
                        field("audience", "宣传对象"),
                        field("planned_on", "计划日期", FieldType.DATE)),
            ),),
        ),
        StepSpec(
            code="hold", name="开展活动", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER,
                   Role.MEDIATOR),
            actions=(ActionSpec(
                "hold", "登记活动开展情况", to=None, outcome="活动已开展",
                fields=(field("held_on", "活动日期", FieldType.DATE, max=TODAY),
                        field("location", "地点"),
                        field("participants", "参加人数", FieldType.INTEGER),
                        field("participant_names", "参加人员", FieldType.TEXT, required=False),
                        field("content", "活动内容", FieldType.TEXT),
                        file_field("photo", "活动照片", accept=IMAGES),
                        file_field("sign_in", "签到表")),
                effects=(e.RECORD_ACTIVITY,),
            ),),
        ),
    ),
))

register(RegisterSpec(
    code="safety_legal_education_ledger", name="法治宣传教育活动台账", procedure=EDUCATION_CODE,
    columns=(("held_on", "日期"), ("kind", "类别"), ("topic", "主题"), ("location", "地点"),
             ("participants", "参加人数"), ("content", "内容"), ("photo", "照片"),
             ("sign_in", "签到表"), ("organiser", "组织人")),
    rows=e.education_rows,
))

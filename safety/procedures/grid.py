"""08 深化网格化服务管理."""

from __future__ import annotations

from core.roles import Level, Role
from safety.choices import Gravity, IncidentKind
from safety.effects import grid as g
from safety.procedures.common import CATEGORY, MEASURES_08, SUPERVISOR, choices_of
from safety.rules import GRID_CODE, GRID_REPORT_HOURS, SCREENING_DAYS
from workflows.registers import RegisterSpec, register
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    Deadline,
    FieldType,
    Kind,
    ProcedureSpec,
    Risk,
    RiskKind,
    StepSpec,
    field,
)

GRID = registry.register(ProcedureSpec(
    code=GRID_CODE,
    name="深化网格化服务管理",
    title_example="11月治安形势研判和矛盾纠纷排查",
    category=CATEGORY,
    guiding_units=("区委政法委",),
    guiding_roles=(Role.DISTRICT_POLITICAL_LEGAL,),
    supervisor=SUPERVISOR,
    summary="分析研判本村(社区)治安形势;集中排查矛盾纠纷、安全隐患,及时调处;指导网格员进村入户,"
            "发挥“五大员”作用;及时上报无法处置及重大突发事件。",
    risks=(
        Risk("疏漏和覆盖不到位",
             "每轮排查须逐个网格登记入户户数,本村(社区)登记的网格有一个未排查,"
             "排查不能结束"),
        Risk("排查标准不统一",
             "排查发现统一按固定的事件类别和等级登记,自动编号进入网格事件登记簿;"
             "无法就地处置的事件和所有重大事件必须上报后本轮排查才能结束"),
        Risk("懈怠拖延现象、不及时",
             "重大事件须在发现后{grid_report_hours}小时内上报镇(街道),上报时间记入"
             "登记簿,迟报或超时未报自动向监督委员会和镇(街道)纪委预警;"
             "每轮排查{screening_days}内完成,逾期督办", kind=RiskKind.ALERT),
    ),
    measures=MEASURES_08,
    params=(GRID_REPORT_HOURS,),
    steps=(
        StepSpec(
            code="analyse", name="分析研判", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.COMMITTEE_DIRECTOR),
            actions=(ActionSpec(
                "plan", "部署集中排查", to="screening",
                fields=(field("period", "排查轮次(月份)", FieldType.MONTH, max=TODAY),
                        field("situation", "治安形势分析", FieldType.TEXT),
                        field("focus", "排查重点", FieldType.TEXT)),
            ),),
        ),
        StepSpec(
            code="screening", name="集中排查、及时上报", level=Level.VILLAGE,
            roles=(Role.GRID_WORKER, Role.COMMITTEE_MEMBER, Role.COMMITTEE_DIRECTOR),
            deadline=Deadline(SCREENING_DAYS),
            description="网格员进村入户,登记发现的事件;无法处置的和重大事件及时上报镇(街道)。",
            actions=(
                ActionSpec("finish", "本轮排查完成", to="summary",
                           fields=(field(
                               "coverage", "各网格排查情况", FieldType.TABLE, min_rows=1,
                               max_rows=200,
                               help="网格名册中的每个网格一行,填写本轮入户排查的户数",
                               columns=(field("grid", "网格", FieldType.REF, ref="grid"),
                                        field("households", "入户户数", FieldType.INTEGER,
                                              min=0, max=100_000))),),
                           effects=(g.FINISH_SCREENING,)),
                ActionSpec("record_incident", "登记排查发现", kind=Kind.SIDE,
                           fields=(field("grid", "网格", FieldType.REF, ref="grid"),
                                   field("kind", "类别", FieldType.CHOICE,
                                         choices=choices_of(IncidentKind)),
                                   field("gravity", "等级", FieldType.CHOICE,
                                         choices=choices_of(Gravity)),
                                   field("found_at", "发现时间", FieldType.DATETIME, max=TODAY),
                                   field("description", "情况", FieldType.TEXT),
                                   field("handled", "已就地处置", FieldType.BOOLEAN),
                                   field("handling", "处置情况", FieldType.TEXT, required=False)),
                           effects=(g.RECORD_INCIDENT,)),
                ActionSpec("report_incident", "上报镇(街道)", kind=Kind.SIDE,
                           fields=(field("number", "事件序号", FieldType.INTEGER),
                                   field("reported_at", "上报时间", FieldType.DATETIME,
                                         max=TODAY),
                                   field("reported_to", "上报单位(人)")),
                           effects=(g.REPORT_INCIDENT,)),
            ),
        ),
        StepSpec(
            code="summary", name="汇总研判", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,),
            actions=(ActionSpec("conclude", "汇总归档", to=None, outcome="本轮排查已完成",
                                fields=(field("summary", "排查总结", FieldType.TEXT),)),),
        ),
    ),
))

register(RegisterSpec(
    code="safety_grid_roster", name="网格及网格员名册", procedure=GRID_CODE,
    columns=(("grid", "网格"), ("households", "户数"), ("workers", "网格员"),
             ("incidents", "登记事件数")),
    rows=g.grid_rows,
))
register(RegisterSpec(
    code="safety_grid_incident_log", name="网格事件登记簿", procedure=GRID_CODE,
    columns=(("number", "序号"), ("grid", "网格"), ("kind", "类别"), ("gravity", "等级"),
             ("found_at", "发现时间"), ("description", "情况"), ("state", "处置状态"),
             ("reported_at", "上报时间"), ("reported_to", "上报单位"),
             ("recorded_by", "登记人")),
    rows=g.grid_incident_rows,
))

"""04 印章使用和管理: the same flow for the party branch, committee and collective seals.

专人管理 → 申请盖章 → routine papers approved by the head / major matters decided
collectively → the approver signs → papers kept → seal applied → 用印登记.
"""

from __future__ import annotations

from core.roles import Level, Role
from seals import rosters as rosters  # registers the seal roster with the engine
from seals.checks import check_seal_keepers
from seals.choices import Matter, SealKind
from seals.effects import RECORD_SEAL_USE
from seals.registers import SEAL_COLUMNS, seal_register_rows
from workflows.registers import RegisterSpec
from workflows.registers import register as register_ledger
from workflows.registry import registry
from workflows.spec import (
    ActionSpec,
    Basis,
    FieldType,
    MeetingRule,
    ProcedureSpec,
    Require,
    Risk,
    RiskKind,
    Route,
    Separation,
    StepSpec,
    field,
    file_field,
    law,
    local,
    meeting_field,
    more_than,
    ratio,
)
from workflows.sweep import register_check

SEAL_MEASURE = "规范印章管理办法,强化管理人员的廉政教育,建立用印台账"


def collective_rule(body: str, roll: str, *, of_due: bool = False) -> MeetingRule:
    """The collective decision on a major matter: more than half of the members due present;
    more than half of those present agree, or (a 支委会, ``of_due``) more than half of the
    members due, as every 支委会 of the portal decides."""
    if of_due:
        quorum = law("《中国共产党支部工作条例(试行)》第十二条:党支部委员会会议须有半数以上委员"
                     "到会方可进行")
        passing = law("《中国共产党章程》第十条第五项:凡属重大问题都要按照少数服从多数的原则由"
                      "党的委员会集体讨论作出决定;以赞成超过应到委员半数为通过,同党建事项的支委会")
    else:
        quorum = passing = local("示范文本只写“集体讨论决定”,未规定人数;本区按过半数成员到会、"
                                 "到会过半数同意")
    return MeetingRule(
        body=body,
        quorum=more_than(ratio("seal_collective_quorum", f"{body}到会比例", 1, 2,
                               source=quorum), Basis.DUE),
        pass_line=more_than(ratio("seal_collective_pass", f"{body}通过比例", 1, 2,
                                  source=passing), Basis.DUE if of_due else Basis.PRESENT),
        roll=roll,
    )


def seal_procedure(
    *,
    code: str,
    kind: SealKind,
    name: str,
    title_example: str,
    guiding_unit: str,
    guiding_role: Role,
    supervisor: str,
    applicants: tuple[Role, ...],
    approver: Role,
    approver_label: str,
    collective_body: str,
    collective_roll: str,
    measures: tuple[str, ...],
    committee: bool = False,
) -> ProcedureSpec:
    separation = Separation(
        not_actor_of=("apply",),
        not_roles=(Role.SEAL_KEEPER,),
        reason="用印申请人不能审批自己的申请,印章保管人不能审批用印。",
    )
    return ProcedureSpec(
        code=code,
        name=name,
        title_example=title_example,
        category="日常管理",
        guiding_units=(guiding_unit,),
        guiding_roles=(guiding_role,),
        supervisor=supervisor,
        summary=f"{kind.label}专人管理;申请盖章,一般常规业务经{approver_label}审阅同意,"
                f"重大事项经{collective_body}集体讨论决定;{approver_label}签字确认,保存资料,"
                "加盖公章,填写用印登记。",
        risks=(
            Risk("对需用印材料审核不严",
                 "申请须上传待盖章文件原件(不得在空白纸上用印),审批人看到文件和SHA-256;"
                 "重大事项须上传集体讨论的会议记录,到会和表决人数由系统计算"),
            Risk("不按规定私自用章或带有个人目的的违规用章",
                 "申请人不能审批自己的申请,保管人不能审批;只有登记的保管人能确认用印;"
                 "盖章份数不得超过批准份数;每次用印自动编号登记,不可修改"),
            Risk("印章的保存管理不规范",
                 "每枚印章登记专人保管(登记时须为在任印章保管人),保管人变更留有历史记录;"
                 "印章仍在使用而登记的保管人已不再担任印章保管人的,系统定期巡检发现后"
                 "向监督委员会和镇(街道)纪(工)委预警;不是该印章登记保管人的人试图确认用印的,"
                 "系统拒绝并预警;用印台账可随时导出PDF和Excel供监督委员会核对",
                 kind=RiskKind.ALERT),
        ),
        measures=measures,
        steps=(
            StepSpec(
                code="apply", name="申请盖章", level=Level.VILLAGE, roles=applicants,
                description="写明事由、份数,上传待盖章的文件。",
                actions=(ActionSpec(
                    "apply", "提交用印申请", to="approve",
                    fields=(
                        field("purpose", "用印事由"),
                        field("matter", "事项类别", FieldType.CHOICE,
                              choices=tuple((m.value, m.label) for m in Matter)),
                        field("copies", "份数", FieldType.INTEGER, min=1),
                        file_field("document", "待盖章文件",
                                   help="上传需要盖章的文件本身;不得在空白纸上用印"),
                    ),
                    route_by=Route("matter", {Matter.ROUTINE: "approve",
                                              Matter.MAJOR: "collective_decision"}),
                ),),
            ),
            StepSpec(
                code="collective_decision", name=f"{collective_body}集体讨论决定",
                level=Level.VILLAGE, roles=(approver,), separation=separation,
                back_to=("apply",),
                description=f"重大事项须经{collective_body}集体讨论决定,上传会议记录。",
                actions=(
                    ActionSpec(
                        "decide", "集体讨论同意", to="approve",
                        fields=(meeting_field(collective_body),
                                file_field("minutes", "会议记录"),
                                field("opinion", "讨论意见", FieldType.TEXT)),
                        meeting=collective_rule(collective_body, collective_roll,
                                                of_due=committee),
                    ),
                    ActionSpec(
                        "refuse", "集体讨论不同意", to=None, outcome="不同意用印",
                        fields=(file_field("minutes", "会议记录"),
                                field("opinion", "不同意的理由", FieldType.TEXT)),
                    ),
                ),
            ),
            StepSpec(
                code="approve", name=f"{approver_label}审批签字", level=Level.VILLAGE,
                roles=(approver,), separation=separation, back_to=("apply",),
                description=f"{approver_label}审阅用印材料,同意的签字确认。",
                actions=(
                    ActionSpec("approve", "同意并签字", to="stamp",
                               fields=(field("opinion", "审批意见", FieldType.TEXT,
                                             required=False),)),
                    ActionSpec("reject", "不同意", to=None, outcome="不同意用印",
                               fields=(field("opinion", "不同意的理由", FieldType.TEXT),)),
                ),
            ),
            StepSpec(
                code="stamp", name="保存资料、加盖公章、填写用印登记", level=Level.VILLAGE,
                roles=(Role.SEAL_KEEPER,),
                separation=Separation(not_actor_of=("apply",),
                                      reason="印章保管人不能为自己的申请用印。"),
                description="保管人核对批准的文件和份数,留存资料,加盖公章,系统自动登记用印台账。",
                actions=(ActionSpec(
                    "stamp", "确认已用印", to=None, outcome="已用印",
                    fields=(
                        field("copies_stamped", "实际盖章份数", FieldType.INTEGER, min=1),
                        field("papers_kept", "用印资料已留存", FieldType.BOOLEAN),
                        file_field("kept_copy", "留存件扫描件", required=False),
                    ),
                    requires=(Require("papers_kept", True, "用印前须留存用印资料。"),),
                    effects=(RECORD_SEAL_USE,),
                ),),
            ),
        ),
    )


PARTY_SEAL = registry.register(seal_procedure(
    code="04.1", kind=SealKind.PARTY, name="党支部印章使用和管理",
    title_example="开具党员组织关系介绍信用印",
    guiding_unit="区委组织部", guiding_role=Role.DISTRICT_ORG, supervisor="上级党组织",
    applicants=(Role.BRANCH_DEPUTY, Role.BRANCH_COMMITTEE, Role.PARTY_GROUP_LEADER),
    approver=Role.BRANCH_SECRETARY, approver_label="支部书记", collective_body="支部委员会",
    collective_roll="branch_committee", committee=True,
    measures=(SEAL_MEASURE, "党员、村(居)民代表加强监督",
              "镇(街道)党委、纪(工)委及上级党组织加强监督指导"),
))
COMMITTEE_SEAL = registry.register(seal_procedure(
    code="04.2", kind=SealKind.COMMITTEE, name="村委会印章使用和管理",
    title_example="出具村民居住证明用印",
    guiding_unit="区民政局", guiding_role=Role.DISTRICT_CIVIL_AFFAIRS,
    supervisor="村(居)务监督委员会",
    applicants=(Role.COMMITTEE_MEMBER, Role.BRANCH_SECRETARY, Role.GRID_WORKER, Role.MEDIATOR,
                Role.COLLECTIVE_HEAD),
    approver=Role.COMMITTEE_DIRECTOR, approver_label="村(居)委会主任",
    collective_body="村(居)委会",
    collective_roll="village_committee",
    measures=(SEAL_MEASURE, "村(居)务监督委员会、全体村(居)民加强监督",
              "镇(街道)党委、政府及纪检组织加强监督指导"),
))
COLLECTIVE_SEAL = registry.register(seal_procedure(
    code="04.3", kind=SealKind.COLLECTIVE, name="村级集体经济组织印章使用和管理",
    title_example="签订村集体厂房租赁合同用印",
    guiding_unit="区农业农村局", guiding_role=Role.DISTRICT_AGRICULTURE,
    supervisor="村(居)务监督委员会、村(社区)集体经济组织监事会",
    applicants=(Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER, Role.BRANCH_SECRETARY),
    approver=Role.COLLECTIVE_HEAD, approver_label="集体经济组织负责人",
    collective_body="集体经济组织",
    collective_roll="collective_members",
    measures=(SEAL_MEASURE, "村(居)务监督委员会、全体村(居)民加强监督",
              "镇(街道)党委、政府及纪检组织加强监督指导"),
))

for _code, _kind in (("04.1", SealKind.PARTY), ("04.2", SealKind.COMMITTEE),
                     ("04.3", SealKind.COLLECTIVE)):
    register_ledger(RegisterSpec(
        code=f"seal_register_{_kind.value}",
        name=f"{_kind.label}用印登记簿",
        procedure=_code,
        columns=SEAL_COLUMNS,
        rows=seal_register_rows(_kind),
    ))

register_check(check_seal_keepers)

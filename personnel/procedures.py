"""05 日常管理 · 村(社区)人员任用: 05.1 reserve cadres and mass-organisation posts,
05.2 auxiliary posts. Nobody is appointed without a joint vetting (联审) that passed: in
05.1 it comes right after the party organisation's list, before the township bodies review
the candidates and the congresses elect them (先审后选); in 05.2 before the staff are hired."""

from __future__ import annotations

from dataclasses import replace

from core.roles import Level, Role
from personnel import rolls  # noqa: F401 - registers the congresses' roll sources
from personnel.choices import AUXILIARY, RESERVE, Track, VettingDept
from personnel.effects import (
    APPOINT_RESERVE,
    CLOSE_WITHOUT_APPOINTMENT,
    DECIDE_POSTS,
    HIRE_STAFF,
    PROPOSE_RESERVE,
    SELECT_STAFF,
    VETTING_FAILED,
    VETTING_PASSED,
)
from personnel.registers import AUXILIARY_COLUMNS, RESERVE_COLUMNS, register_rows
from workflows.common import VILLAGE_MEASURES
from workflows.registers import RegisterSpec
from workflows.registers import register as register_ledger
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    FieldSpec,
    FieldType,
    Format,
    MeetingRule,
    ProcedureSpec,
    Risk,
    RiskKind,
    Route,
    StepSpec,
    field,
    file_field,
    local,
    meeting_field,
    simple_majority,
)

MINUTES = "会议记录(签到表、表决票或记录原件的扫描件)"


def people(name: str, label: str, post: str, *, help: str, posts_from: str = "") -> FieldSpec:
    """The people put forward: one row each, with the ID number the joint vetting checks;
    ``posts_from``: the posts may only be those an earlier step recorded."""
    post_field = (field("post", post, FieldType.CHOICE, choices_from=posts_from) if posts_from
                  else field("post", post, max_length=100))
    return field(name, label, FieldType.TABLE, min_rows=1, max_rows=200, help=help, columns=(
        field("name", "姓名", max_length=64),
        field("id_number", "身份证号码", format=Format.ID_NUMBER),
        post_field,
    ))


# the posts the two committees decide (人数、报酬、期限): the staff chosen must fit them
POSTS = field("posts", "岗位、人数、报酬和期限", FieldType.TABLE, min_rows=1, max_rows=50,
              help="两委会议确定的每个岗位一行", columns=(
                  field("post", "岗位", max_length=100),
                  field("count", "人数", FieldType.INTEGER, min=1, max=999),
                  field("monthly_pay", "月报酬(元)", FieldType.DECIMAL, min="0.01",
                        max="99999999.99"),
                  field("term_months", "期限(月)", FieldType.INTEGER, min=1, max=120),
              ))

RISK_MEETING = "未召开相关会议民主推选,造成任人唯亲、优亲厚友现象。"
RISK_PROCESS = "未严格按照工作流程进行,导致程序不严谨、不规范。"
RISK_VETTING = "未对相关人员进行“联审”,存在“带病”任用危险。"


def vetting_step(*, to: str, back_to: tuple[str, ...], code: str = "vetting",
                 description: str = "镇(街道)纪(工)委会同组织、政法、公安、信访等部门对拟任用人员"
                                    "进行联审,联审通过方可任用。") -> StepSpec:
    """The joint vetting by the township discipline commission with the departments."""
    common = (
        field("vetted_on", "联审日期", FieldType.DATE, max=TODAY),
        field("departments", "参加联审的部门", FieldType.MULTICHOICE,
              choices=tuple((d.value, d.label) for d in VettingDept)),
        field("opinion", "联审意见", FieldType.TEXT),
        file_field("form", "联审表(各部门意见)"),
    )
    return StepSpec(
        code=code, name="联审", level=Level.TOWNSHIP, roles=(Role.TOWNSHIP_DISCIPLINE,),
        back_to=back_to, description=description,
        actions=(
            ActionSpec(
                "pass", "联审通过", to=to,
                fields=(*common, field(
                    "excluded", "未通过联审的人员", FieldType.TABLE, required=False,
                    max_rows=200, help="个别人员未通过联审的,逐一填写其身份证号码;全部通过的不填",
                    columns=(field("id_number", "身份证号码", format=Format.ID_NUMBER),
                             field("reason", "未通过原因", required=False, max_length=200)))),
                effects=(VETTING_PASSED,),
            ),
            ActionSpec("fail", "联审未通过", to=None, outcome="联审未通过,不予任用",
                       fields=common, effects=(VETTING_FAILED,)),
        ),
    )


def review(code: str, name: str, role: Role, to: str, *, agree: str, what: str,
           batch: bool = False) -> StepSpec:
    """A township body's review or the party committee's agreement/approval; a review
    (审核, ``batch``) may be passed for several candidates at once with one opinion."""
    return StepSpec(
        code=code, name=name, level=Level.TOWNSHIP, roles=(role,), back_to=("propose",),
        actions=(
            ActionSpec(agree, f"{what}", to=to, batch=batch,
                       fields=(field("opinion", "意见", FieldType.TEXT),)),
            ActionSpec("reject", "不同意", to=None, outcome=f"{name}不同意",
                       fields=(field("opinion", "不同意的理由", FieldType.TEXT),),
                       effects=(CLOSE_WITHOUT_APPOINTMENT,)),
        ),
    )


# the model text gives no numbers for the meetings of 05: the district's choices
MEETING_SOURCE = local("示范文本只要求“召开相关会议民主推选”,未规定人数;本区按过半数到会、"
                       "到会过半数同意")


def majority(body: str, *, name: str, roll: str) -> MeetingRule:
    """More than half present, more than half of those present agree (a local choice)."""
    rule = simple_majority(body, name=name, roll=roll)
    return replace(rule, quorum=replace(rule.quorum, ratio=rule.quorum.ratio.based_on(
        MEETING_SOURCE)), pass_line=replace(rule.pass_line, ratio=rule.pass_line.ratio.based_on(
            MEETING_SOURCE)))


def election(code: str, body: str, to: str, *, roll: str) -> StepSpec:
    return StepSpec(
        code=code, name=f"{body}选举", level=Level.VILLAGE, roles=(Role.BRANCH_SECRETARY,),
        back_to=("propose",),
        actions=(ActionSpec(
            "elect", "选举通过", to=to,
            fields=(meeting_field(body), file_field("minutes", MINUTES)),
            meeting=majority(body, name=code, roll=roll),
        ),),
    )


def report(code: str, name: str, role: Role, to: str) -> StepSpec:
    return StepSpec(
        code=code, name=name, level=Level.TOWNSHIP, roles=(role,),
        actions=(ActionSpec(
            "receive", "已收到上报", to=to,
            fields=(field("received_on", "收到日期", FieldType.DATE, max=TODAY),
                    field("opinion", "意见", FieldType.TEXT, required=False)),
        ),),
    )


# 先审后选: the vetting comes before candidacy, right after the party organisation's list
PRE_VETTING = ("镇(街道)纪(工)委会同组织、政法、公安、信访等部门对党组织提名的人员进行联审,"
               "先审后选:联审通过的人员方可报审、参加选举和任用。")

RESERVE_CADRES = registry.register(ProcedureSpec(
    code=RESERVE,
    name="村(社区)人员任用(后备干部选拔培养)",
    title_example="2026年村后备干部选拔",
    category="日常管理",
    guiding_units=("乡镇(街道)党(工)委",),
    guiding_roles=(),
    supervisor="村(居)务监督委员会",
    summary="党组织提议人员名单,镇(街道)纪(工)委会同有关部门联审(先审后选);"
            "联审通过的妇代会候选人报乡镇、街道妇联审核,党(工)委同意,妇代会选举,上报妇联,"
            "党(工)委批准;民兵组织报武装部审核,党(工)委批准;共青团候选人报团委审核,党(工)委同意,"
            "团员代表大会选举,上报团委,党(工)委批准;批准后任用。",
    risks=(
        Risk(RISK_MEETING,
             "提名须召开党组织会议,上传会议记录并填写应到、实到、赞成人数,到会和通过比例由系统计算;"
             "妇代会、团员代表大会选举同样按人数计算"),
        Risk(RISK_PROCESS,
             "按所选组织先经镇(街道)联审,再依次经镇妇联/武装部/团委审核、党(工)委同意或批准,"
             "不能跳过;镇(街道)各环节可退回重新提名,重新提名的须重新联审"),
        Risk(RISK_VETTING,
             "先审后选:联审紧接党组织提名,在镇妇联/武装部/团委审核和选举之前,未经联审不能报审;"
             "联审未通过的人员登记为未通过联审,不能任用,全部未通过的直接办结不予任用;"
             "曾联审未通过的人员再次被提名时,系统向监督委员会和镇纪委预警", kind=RiskKind.ALERT),
    ),
    measures=VILLAGE_MEASURES,
    steps=(
        StepSpec(
            code="propose", name="党组织提议人员名单", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY),
            description="党组织召开会议民主推选,提出人员名单,按组织分别报送。",
            actions=(ActionSpec(
                "propose", "提出人员名单", to="women_vetting",
                fields=(
                    field("track", "报送组织", FieldType.CHOICE,
                          choices=tuple((t.value, t.label) for t in Track
                                        if t != Track.AUXILIARY)),
                    people("nominees", "人员名单", "拟任职务", help="提名的每人一行"),
                    meeting_field("党组织会议"),
                    file_field("minutes", MINUTES),
                ),
                meeting=majority("党组织会议", name="reserve_branch", roll="branch_committee"),
                route_by=Route("track", {Track.WOMEN.value: "women_vetting",
                                         Track.MILITIA.value: "militia_vetting",
                                         Track.LEAGUE.value: "league_vetting"}),
                effects=(PROPOSE_RESERVE,),
            ),),
        ),
        *(vetting_step(code=f"{track}_vetting", to=f"{track}_review", back_to=("propose",),
                       description=PRE_VETTING) for track in ("women", "militia", "league")),
        review("women_review", "乡镇、街道妇联审核", Role.TOWNSHIP_WOMEN, "women_party",
               agree="approve", what="审核通过", batch=True),
        review("women_party", "乡镇、街道党(工)委同意", Role.TOWNSHIP_PARTY, "women_election",
               agree="approve", what="同意"),
        election("women_election", "妇代会", "women_report", roll="women_congress"),
        report("women_report", "上报乡镇、街道妇联", Role.TOWNSHIP_WOMEN, "women_approve"),
        review("women_approve", "乡镇、街道党(工)委批准", Role.TOWNSHIP_PARTY, "appoint",
               agree="approve", what="批准"),
        review("militia_review", "乡镇、街道武装部审核", Role.TOWNSHIP_ARMED, "militia_approve",
               agree="approve", what="审核通过", batch=True),
        review("militia_approve", "乡镇、街道党(工)委批准", Role.TOWNSHIP_PARTY, "appoint",
               agree="approve", what="批准"),
        review("league_review", "乡镇、街道团委审核", Role.TOWNSHIP_LEAGUE, "league_party",
               agree="approve", what="审核通过", batch=True),
        review("league_party", "乡镇、街道党(工)委同意", Role.TOWNSHIP_PARTY, "league_election",
               agree="approve", what="同意"),
        election("league_election", "团员代表大会", "league_report", roll="league_congress"),
        report("league_report", "上报乡镇、街道团委", Role.TOWNSHIP_LEAGUE, "league_approve"),
        review("league_approve", "乡镇、街道党(工)委批准", Role.TOWNSHIP_PARTY, "appoint",
               agree="approve", what="批准"),
        StepSpec(
            code="appoint", name="任用", level=Level.VILLAGE, roles=(Role.BRANCH_SECRETARY,),
            description="联审通过并经党(工)委批准的人员按批准的职务任用,"
                        "自动登记后备干部及群团组织任职登记。",
            actions=(ActionSpec(
                "appoint", "确认任用", to=None, outcome="已任用",
                fields=(field("appointed_on", "任职日期", FieldType.DATE),
                        file_field("document", "任职文件", required=False)),
                effects=(APPOINT_RESERVE,),
            ),),
        ),
    ),
))

AUXILIARY_STAFF = registry.register(ProcedureSpec(
    code=AUXILIARY,
    name="村(社区)人员任用(辅助性岗位及其他人员使用管理)",
    title_example="聘用便民服务代办员",
    category="日常管理",
    guiding_units=("镇(街道)党委、政府",),
    guiding_roles=(),
    supervisor="村(居)务监督委员会",
    summary="村(社区)“两委”班子商议,确定临时用工人数、报酬等内容,形成会议记录,村(居)委会组织实施。",
    risks=(
        Risk(RISK_MEETING,
             "人数、报酬、期限须经两委会议商议,上传会议记录,到会和通过比例由系统计算;"
             "用人岗位和人数不得超出会议确定的范围"),
        Risk(RISK_PROCESS,
             "两委商议、确定人选、联审、组织实施依次办理,不能跳过;"
             "报酬和期限由系统按会议决定登记,不由经办人改写"),
        Risk(RISK_VETTING,
             "拟用人员须经镇(街道)联审,联审未通过的不能聘用;曾联审未通过的人员再次被提名时"
             "向监督委员会和镇纪委预警", kind=RiskKind.ALERT),
    ),
    measures=VILLAGE_MEASURES,
    steps=(
        StepSpec(
            code="deliberate", name="“两委”班子商议", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,),
            description="两委会议确定临时用工岗位、人数、报酬和期限,形成会议记录。",
            actions=(ActionSpec(
                "decide", "形成商议决定", to="select",
                fields=(
                    POSTS,
                    meeting_field("两委会议"),
                    file_field("minutes", MINUTES),
                ),
                meeting=majority("两委会议", name="auxiliary_committees",
                                 roll="two_committees"),
                effects=(DECIDE_POSTS,),
            ),),
        ),
        StepSpec(
            code="select", name="村(居)委会确定人选", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,), back_to=("deliberate",),
            actions=(ActionSpec(
                "select", "提交人选", to="vetting",
                fields=(people("staff", "拟用人员", "岗位",
                               help="每人一行;岗位从两委会议确定的岗位中选择,人数不超过确定的人数",
                               posts_from="deliberate.posts.post"),),
                effects=(SELECT_STAFF,),
            ),),
        ),
        vetting_step(to="implement", back_to=("select",)),
        StepSpec(
            code="implement", name="村(居)委会组织实施", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,),
            description="联审通过的人员按会议确定的报酬和期限聘用,自动登记辅助性岗位人员台账。",
            actions=(ActionSpec(
                "hire", "聘用上岗", to=None, outcome="已聘用",
                fields=(field("start_on", "聘用起始日期", FieldType.DATE),
                        file_field("contract", "聘用协议", required=False)),
                effects=(HIRE_STAFF,),
            ),),
        ),
    ),
))

register_ledger(RegisterSpec(
    code="reserve_cadre_register", name="后备干部及群团组织任职登记", procedure=RESERVE,
    columns=RESERVE_COLUMNS, rows=register_rows(RESERVE),
))
register_ledger(RegisterSpec(
    code="auxiliary_staff_register", name="辅助性岗位人员台账", procedure=AUXILIARY,
    columns=AUXILIARY_COLUMNS, rows=register_rows(AUXILIARY),
))

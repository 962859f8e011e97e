"""03 村级重大事项决策: 03.1 四议两公开."""

from __future__ import annotations

from core.roles import Level, Role
from decisions.effects import MATTER_STAGES
from decisions.procedures.common import (
    BRANCH_COMMITTEE_MEETING,
    COLLECTIVE_MEETING,
    HOUSEHOLDS_MEETING,
    MEMBERS_INFORMED,
    MEMBERS_MEETING,
    MINUTES,
    REPRESENTATIVES_MEETING,
    VILLAGERS_MEETING,
    deliberation,
    publicity_closing,
)
from decisions.registers import MATTER_COLUMNS, matter_register_rows
from workflows.common import VILLAGE_MEASURES
from workflows.registers import RegisterSpec
from workflows.registers import register as register_ledger
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    FieldType,
    MeetingBy,
    ProcedureSpec,
    Risk,
    Separation,
    StepSpec,
    days,
    field,
    file_field,
    meeting_field,
    model_text,
    notice_step,
)

PROCEDURE = "03.1"

MATTERS = (
    ("plan", "村(社区)规划编制"),
    ("charter", "章程修订"),
    ("assets", "重大“三资”决策"),
    ("other", "其他重大事项"),
)

# 两委会商议: the two committees, or the party organisation with the collective's council;
# each roll from the memberships of the day (workflows.rolls)
DELIBERATING_BODIES = (
    ("two_committees", "村(社区)两委会议",
     deliberation("两委会议", name="deliberation", roll="two_committees")),
    ("party_and_council", "党组织和集体经济组织理事会会议",
     deliberation("党组织和集体经济组织理事会会议", name="deliberation_council",
                  roll="party_and_council")),
)

DECIDING_BODIES = (
    ("villagers", "村(居)民会议(本村十八周岁以上村民过半数参加)", VILLAGERS_MEETING),
    ("households", "村(居)民会议(本村三分之二以上的户代表参加)", HOUSEHOLDS_MEETING),
    ("representatives", "村(居)民代表会议", REPRESENTATIVES_MEETING),
    ("collective", "村集体经济组织成员(代表)大会", COLLECTIVE_MEETING),
)


PUBLICITY_DAYS = days("resolution_publicity_days", "决议公告时间", 7,
                      source=model_text("“一律在村级组织活动场所和村(居)务公开栏公告,公告时间"
                                        "原则上不少于7天”"))

# Each meeting's line of the "四议两公开" ledger is written by its step (decisions.effects).
STAGE = MATTER_STAGES

FOUR_AND_TWO = registry.register(ProcedureSpec(
    code=PROCEDURE,
    name="重大事项“四议两公开”",
    title_example="关于村集体鱼塘承包的决策",
    category="村级重大事项决策",
    guiding_units=("区委组织部", "区民政局", "区农业农村局"),
    guiding_roles=(Role.DISTRICT_ORG, Role.DISTRICT_CIVIL_AFFAIRS, Role.DISTRICT_AGRICULTURE),
    supervisor="村(居)务监督委员会、村(社区)集体经济组织监事会",
    summary="村内规划编制、章程修订、重大“三资”决策及其他重大事项,"
            "经党支部提议、两委会商议、党员大会审议、村(居)民会议或代表会议决议,"
            "决议公开、实施结果公开。",
    risks=(
        Risk("简化程序、编造会议记录",
             "四个会议环节依次办理,不能跳过;每次会议的应到人数由系统按会议召开当日的名册计算"
             "(支部委员、两委成员、有表决权的党员、村(居)民代表、登记的户数和十八周岁以上村民),"
             "报送的应到人数与名册不符的系统拒绝;有名册的会议逐人勾选到会人员;"
             "会议召开时间不能晚于当前、不能早于本环节开始;到会和通过比例由系统按人数计算,"
             "不由经办人填写结论;须上传会议记录原件;"
             "每次会议的日期和结果自动记入“四议两公开”台账"),
        Risk("公开事项内容不全或与决议内容不符",
             "公示内容由系统从村(居)民会议决议原文自动生成,经办人不能改写;公示栏向公众公开"),
        Risk("拖延或缩短公示时间",
             "决议通过即自动开始公示,不能拖延;公示不少于{resolution_publicity_days},"
             "期满前系统拒绝进入下一环节并向监督委员会和镇(街道)纪(工)委预警;"
             "区、镇只能延长不能缩短公示期;公示的开始和期满时间自动记入“四议两公开”台账"),
    ),
    measures=(VILLAGE_MEASURES[0], "村(居)务监督委员会、全体村(居)民加强监督",
              "镇(街道)党委、政府及纪检组织加强监督指导"),
    steps=(
        StepSpec(
            code="propose", name="党支部会提议", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY),
            description="党组织在广泛听取意见、认真调查论证的基础上,由支部委员会集体研究提出"
                        "初步意见和方案:支委会须有超过应到委员{branch_quorum}的委员到会,"
                        "赞成超过应到委员的{branch_pass}。",
            actions=(ActionSpec(
                "propose", "提出提议", to="deliberate",
                fields=(
                    field("matter", "事项类别", FieldType.CHOICE, choices=MATTERS),
                    field("proposal", "提议内容(初步意见和方案)", FieldType.TEXT, public=True),
                    field("consultation", "听取意见和调查论证情况", FieldType.TEXT),
                    meeting_field("党支部委员会会议"),
                    file_field("minutes", MINUTES),
                ),
                meeting=BRANCH_COMMITTEE_MEETING,
                effects=(STAGE["propose"],),
            ),),
        ),
        StepSpec(
            code="deliberate", name="两委会商议", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,),
            back_to=("propose",),
            description="由支部书记主持,两委会(或党组织和集体经济组织理事会)充分讨论,"
                        "少数服从多数。",
            actions=(ActionSpec(
                "deliberate", "形成商议意见", to="members_review",
                fields=(
                    field("body", "商议会议", FieldType.CHOICE,
                          choices=tuple((v, label) for v, label, _ in DELIBERATING_BODIES)),
                    field("vote_method", "表决方式", FieldType.CHOICE, choices=(
                        ("voice", "口头"), ("hands", "举手"), ("secret", "无记名投票"),
                    )),
                    meeting_field("会议召开和表决情况"),
                    field("opinion", "商议意见", FieldType.TEXT),
                    file_field("minutes", MINUTES),
                ),
                meeting_by=MeetingBy("body", {v: rule for v, _, rule in DELIBERATING_BODIES}),
                effects=(STAGE["deliberate"],),
            ),),
        ),
        StepSpec(
            code="members_review", name="党员大会审议", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,),
            back_to=("deliberate",),
            description="审议前须把审议内容告知全体党员;实到会党员须达到应到会党员的"
                        "{members_quorum}以上,经实到会党员{members_pass}以上同意方可提交表决。",
            actions=(ActionSpec(
                "review", "审议通过", to="villagers_decide",
                fields=(
                    field("members_informed", "会前已将审议内容告知全体党员", FieldType.BOOLEAN),
                    field("informed_on", "告知日期", FieldType.DATE, max=TODAY),
                    meeting_field("党员大会"),
                    field("revised_proposal", "吸纳党员意见后修订的方案", FieldType.TEXT,
                          public=True),
                    field("door_to_door", "已组织党员入户宣传解释", FieldType.BOOLEAN,
                          required=False),
                    file_field("minutes", MINUTES),
                ),
                meeting=MEMBERS_MEETING,
                requires=(MEMBERS_INFORMED,),
                effects=(STAGE["members_review"],),
            ),),
        ),
        StepSpec(
            code="villagers_decide", name="村(居)民会议或代表会议决议", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.COLLECTIVE_HEAD),
            back_to=("members_review",),
            description="在党支部领导下,由村(居)民会议、村(居)民代表会议或"
                        "集体经济组织成员(代表)大会讨论表决,参加人数须符合法律规定。",
            actions=(ActionSpec(
                "decide", "形成决议", to="resolution_publicity",
                fields=(
                    field("body", "决议机构", FieldType.CHOICE,
                          choices=tuple((v, label) for v, label, _ in DECIDING_BODIES)),
                    meeting_field("表决情况"),
                    field("resolution", "决议内容", FieldType.TEXT, public=True),
                    file_field("minutes", MINUTES),
                ),
                meeting_by=MeetingBy("body", {v: rule for v, _, rule in DECIDING_BODIES}),
                effects=(STAGE["villagers_decide"],),
            ),),
        ),
        publicity_closing(notice_step(
            "resolution_publicity", "决议公开",
            days=PUBLICITY_DAYS,
            title="决议公告", content_fields=("villagers_decide.resolution",),
            done="公示期满,进入实施", to="implementation",
            description="在村级组织活动场所和村(居)务公开栏公告,"
                        "公告时间原则上不少于{resolution_publicity_days}。",
        ), STAGE["resolution_publicity"]),
        StepSpec(
            code="implementation", name="实施结果公开", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.COLLECTIVE_HEAD),
            separation=Separation(),
            description="在党支部领导下由村(居)委会或集体经济组织实施,"
                        "实施进程和结果及时向全体村(居)民公布。",
            actions=(ActionSpec(
                "publish_result", "公布实施结果", to=None, outcome="已实施并公开结果",
                fields=(
                    field("result", "实施进程和结果", FieldType.TEXT, public=True),
                    field("published_on", "结果公布日期", FieldType.DATE, max=TODAY),
                    field("location", "公布地点"),
                    file_field("evidence", "公布照片或材料", required=False),
                ),
                effects=(STAGE["implementation"],),
            ),),
        ),
    ),
))

register_ledger(RegisterSpec(
    code="major_matters",
    name="村级重大事项“四议两公开”台账",
    procedure=PROCEDURE,
    columns=MATTER_COLUMNS,
    rows=matter_register_rows,
))

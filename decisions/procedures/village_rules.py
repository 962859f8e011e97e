"""03.2 重大事项“四议两公开”(村规民约): revising a village's rules.

The village party organisation leads the revision in the order of the 2018 guidance on
村规民约和居民公约 (民政部等七部门《关于做好村规民约和居民公约工作的指导意见》):
征集民意 and 拟定草案 (the branch proposes after hearing the villagers, the two committees
deliberate the draft) → 提请审核 (the township party committee and government check the
draft and may send it back) → 审议表决 (the party members' meeting reviews it, the
villagers' meeting or the representatives vote) → 备案 (filed with the district civil
affairs bureau, as the model text says) → 公布 (posted on the board, then put in force).
The four deliberations and their meeting rules are 03.1's (``decisions.procedures.common``).
Filing writes a new version of the village's rules (``decisions.effects``); the newest
filed version is the one in force, and every earlier one is kept.
"""

from __future__ import annotations

from core.roles import Level, Role
from decisions.choices import RulesBody, RulesGuidance
from decisions.effects import FILE_VILLAGE_RULES
from decisions.procedures.common import (
    BRANCH_COMMITTEE_MEETING,
    HOUSEHOLDS_MEETING,
    MEMBERS_INFORMED,
    MEMBERS_MEETING,
    MINUTES,
    REPRESENTATIVES_MEETING,
    VILLAGERS_MEETING,
    deliberation,
)
from decisions.registers import RULES_COLUMNS, rules_register_rows
from workflows.common import VILLAGE_MEASURES
from workflows.registers import RegisterSpec
from workflows.registers import register as register_ledger
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    FieldSpec,
    FieldType,
    MeetingBy,
    ProcedureSpec,
    Require,
    Risk,
    StepSpec,
    days,
    field,
    file_field,
    meeting_field,
    model_text,
    notice_step,
)

PROCEDURE = "03.2"

# Every item of the seed's content guidance is confirmed by the drafter; the local
# history (发扬传统文化) is encouraged ("尽可能") and so is recorded but not required.
REQUIRED_GUIDANCE = tuple(g for g in RulesGuidance if g != RulesGuidance.HISTORY)
GUIDANCE_FIELDS: tuple[FieldSpec, ...] = tuple(
    field(f"guide_{g.value}", str(g.label), FieldType.BOOLEAN, required=g in REQUIRED_GUIDANCE)
    for g in RulesGuidance
)

RULES_BODIES = (
    (RulesBody.VILLAGERS, VILLAGERS_MEETING),
    (RulesBody.HOUSEHOLDS, HOUSEHOLDS_MEETING),
    (RulesBody.REPRESENTATIVES, REPRESENTATIVES_MEETING),
)

ARCHIVE_ITEMS = (
    field("archive_minutes", "四个会议的会议记录、表决材料已归档", FieldType.BOOLEAN),
    field("archive_publicity", "决议公告及张贴照片已归档", FieldType.BOOLEAN),
    field("archive_filing", "镇(街道)审核意见和区民政局备案回执已归档", FieldType.BOOLEAN),
)


PUBLICITY_DAYS = days("rules_publicity_days", "村规民约公告时间", 7, source=model_text(
    "“一律在村级组织活动场所和村(居)务公开栏公告,公告时间原则上不少于7天”"
    "(03(01)“四议两公开”的决议公开)"))

VILLAGE_RULES = registry.register(ProcedureSpec(
    code=PROCEDURE,
    name="重大事项“四议两公开”(村规民约)",
    title_example="修订村规民约(增加垃圾分类条款)",
    category="村级重大事项决策",
    guiding_units=("区民政局",),
    guiding_roles=(Role.DISTRICT_CIVIL_AFFAIRS,),
    supervisor="村(居)务监督委员会",
    summary="村(居)党组织主持修订和完善村规民约:征集民意、拟定草案(党支部提议、两委商议),"
            "提请街道、乡镇党委、政府审核把关,经党员大会审议、村(居)民会议或代表会议表决,"
            "报区民政局备案后公布施行。",
    risks=(
        Risk("是否与村情民意紧密结合",
             "提议时须填写征集村民意见和调查论证情况;村(居)民会议或代表会议按法定人数表决,"
             "到会和通过比例由系统计算;备案后公告不少于{rules_publicity_days},"
             "异议须答复后方可公布施行"),
        Risk("是否落实与社会主义核心价值观紧密联系",
             "起草人须逐项确认示范文本的内容指引(核心价值观,滥办酒席、天价彩礼等陋习,家庭暴力,"
             "赡养老人,出嫁、离婚、丧偶女性权益,违约惩戒),未全部确认系统拒绝提交;"
             "草案须经镇(街道)党委、政府审核把关后方可提交表决,不合格的退回重新修订"),
        Risk("制度管理与民主决策的是否紧密结合",
             "征集民意和党支部提议、两委商议拟定草案、镇(街道)审核把关、党员大会审议、"
             "村(居)民会议表决、区民政局备案、公布依次办理,不能跳过;"
             "只有经区民政局备案的版本才成为现行村规民约,历次版本自动登记并可导出"),
    ),
    measures=VILLAGE_MEASURES,
    steps=(
        StepSpec(
            code="propose", name="征集民意,党支部会提议", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY),
            description="村(居)党组织主持修订,广泛征集村(居)民意见;村规民约既要践行社会主义"
                        "核心价值观,又要充分考虑本村实际和热点难点问题,坚持问题导向,"
                        "针对违反情形提出惩戒措施。",
            actions=(ActionSpec(
                "propose", "提出修订草案", to="deliberate",
                fields=(
                    field("rules_draft", "村规民约修订草案", FieldType.TEXT, public=True),
                    field("consultation", "听取村民意见和调查论证情况", FieldType.TEXT),
                    *GUIDANCE_FIELDS,
                    meeting_field("党支部委员会会议"),
                    file_field("minutes", MINUTES),
                ),
                meeting=BRANCH_COMMITTEE_MEETING,
                checklist=tuple(f"guide_{g.value}" for g in REQUIRED_GUIDANCE),
            ),),
        ),
        StepSpec(
            code="deliberate", name="两委会商议,拟定草案", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,), back_to=("propose",),
            description="由支部书记主持,两委会充分讨论修订草案,少数服从多数,形成草案。",
            actions=(ActionSpec(
                "deliberate", "形成商议意见", to="township_check",
                fields=(
                    meeting_field("两委会议"),
                    field("opinion", "商议意见", FieldType.TEXT),
                    file_field("minutes", MINUTES),
                ),
                meeting=deliberation("两委会议", name="deliberation", roll="two_committees"),
            ),),
        ),
        StepSpec(
            code="township_check", name="提请街道、乡镇党委、政府审核把关", level=Level.TOWNSHIP,
            roles=(Role.TOWNSHIP_PARTY, Role.TOWNSHIP_GOVERNMENT), back_to=("propose",),
            description="表决前审核村规民约草案是否符合法律法规和政策、是否体现核心价值观和"
                        "本村实际;不符合的退回村(居)党组织重新修订。",
            actions=(ActionSpec(
                "approve", "审核通过,提交审议表决", to="members_review",
                fields=(
                    field("lawful", "内容不违反法律法规和政策,不侵犯村民合法权益",
                          FieldType.BOOLEAN),
                    field("opinion", "审核意见", FieldType.TEXT),
                ),
                requires=(Require("lawful", True,
                                  "内容违反法律法规或侵犯村民合法权益的,应退回重新修订。"),),
            ),),
        ),
        StepSpec(
            code="members_review", name="党员大会审议", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,), back_to=("deliberate",),
            description="审议前须把草案告知全体党员;实到会党员须达到应到的{members_quorum}以上,"
                        "经实到会党员{members_pass}以上同意方可提交表决。",
            actions=(ActionSpec(
                "review", "审议通过", to="villagers_decide",
                fields=(
                    field("members_informed", "会前已将草案告知全体党员", FieldType.BOOLEAN),
                    meeting_field("党员大会"),
                    field("revised_draft", "吸纳党员意见后修订的草案", FieldType.TEXT, public=True),
                    file_field("minutes", MINUTES),
                ),
                meeting=MEMBERS_MEETING,
                requires=(MEMBERS_INFORMED,),
            ),),
        ),
        StepSpec(
            code="villagers_decide", name="村(居)民会议或代表会议表决", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR,), back_to=("members_review",),
            description="村规民约由村(居)民会议(或经授权的村(居)民代表会议)讨论表决,"
                        "参加人数须符合法律规定。",
            actions=(ActionSpec(
                "decide", "表决通过", to="district_filing",
                fields=(
                    field("body", "表决机构", FieldType.CHOICE,
                          choices=tuple((b.value, b.label) for b, _ in RULES_BODIES)),
                    meeting_field("表决情况(召开日期即表决通过日期)"),
                    field("rules_text", "表决通过的村规民约全文", FieldType.TEXT, public=True),
                    file_field("minutes", MINUTES),
                ),
                meeting_by=MeetingBy("body", {b.value: rule for b, rule in RULES_BODIES}),
            ),),
        ),
        StepSpec(
            code="district_filing", name="区民政局备案", level=Level.DISTRICT,
            roles=(Role.DISTRICT_CIVIL_AFFAIRS,), back_to=("township_check",),
            description="区民政局登记备案;备案后该版本成为本村现行村规民约,原版本留存。",
            actions=(ActionSpec(
                "file", "登记备案", to="resolution_publicity",
                fields=(
                    field("filed_on", "备案日期", FieldType.DATE, max=TODAY),
                    field("filing_number", "备案文号", required=False),
                ),
                effects=(FILE_VILLAGE_RULES,),
            ),),
        ),
        notice_step(
            "resolution_publicity", "公布",
            days=PUBLICITY_DAYS,
            title="村规民约公告", content_fields=("villagers_decide.rules_text",),
            done="公告期满,公布施行", to="publish",
            description="备案后在村级组织活动场所和村(居)务公开栏公告,"
                        "公告时间原则上不少于{rules_publicity_days}。",
        ),
        StepSpec(
            code="publish", name="公布施行并归档", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER),
            description="向全体村(居)民公布备案后的村规民约并组织实施,资料整理归档。",
            actions=(ActionSpec(
                "publish", "公布施行并归档", to=None, outcome="已备案并公布施行",
                fields=(
                    field("published_on", "公布日期", FieldType.DATE, max=TODAY),
                    field("location", "公布地点"),
                    file_field("evidence", "公布照片或材料", required=False),
                    *ARCHIVE_ITEMS,
                ),
                checklist=tuple(a.name for a in ARCHIVE_ITEMS),
            ),),
        ),
    ),
))

register_ledger(RegisterSpec(
    code="village_rules_versions",
    name="村规民约版本登记",
    procedure=PROCEDURE,
    columns=RULES_COLUMNS,
    rows=rules_register_rows,
))

"""01.1 党员管理(党支部发展党员): five stages, one case per person."""

from __future__ import annotations

from core.roles import Level, Role
from party.choices import Gender, ReviewResult, SpecialSituation, TrainingKind
from party.effects import recruitment as fx
from party.procedures.common import (
    BRANCH,
    BRANCH_COMMITTEE,
    CATEGORY,
    COMMITTEE_MEETING,
    GENERAL_MEETING,
    GUIDING_ROLES,
    GUIDING_UNITS,
    MEASURES,
    SUPERVISOR,
    TOWNSHIP,
    member_ref,
    sourced,
)
from party.rules import (
    ACTIVIST_PERIOD,
    ASSESS_EVERY,
    EXTENSION_MAX,
    EXTENSION_MIN,
    POOL_ANALYSIS_REMIND,
    PROBATION,
    RECRUITMENT_CODE,
    REPORT_EVERY,
    TALK_WITHIN,
    TRAINING_DAYS,
    TRAINING_HOURS,
)
from workflows.registry import registry
from workflows.spec import (
    PDF_OR_IMAGE,
    TODAY,
    ActionSpec,
    Deadline,
    Effect,
    Extension,
    FieldSpec,
    FieldType,
    Format,
    Kind,
    MinimumWait,
    Param,
    ProcedureSpec,
    Publicity,
    Recurring,
    Require,
    Risk,
    RiskKind,
    Route,
    StepSpec,
    days,
    field,
    file_field,
    in_stage,
    local,
    meeting_field,
    model_text,
    months,
    posting_fields,
    publicity_side_actions,
    simple_majority,
    working_days,
)

# the full members vote by secret ballot; probationary members and the villagers'
# representatives invited to watch attend without a vote (party.rolls)
RECOMMENDATION = sourced(
    simple_majority("入党积极分子推荐会(无记名投票)", name="activist_recommend",
                    roll="party_recommendation", roll_label="参加投票推荐的正式党员人数"),
    local("示范文本只定“采取无记名投票方式进行推荐”,未定到会和得票比例;本区定为应到正式党员"
          "过半数到会、得票超过到会人数的半数"))

REVIEW_CHOICES = tuple((r.value, r.label) for r in ReviewResult)
TOLD_HOW = (("in_person", "当面告知"), ("in_writing", "书面通知"), ("by_phone", "电话告知"))

ACTIVIST_PUBLICITY = days("activist_publicity_days", "积极分子人选公示期", 7, source=model_text(
    "“产生入党积极分子初步人选……公示不少于7天”"))
TARGET_PUBLICITY = days("target_publicity_days", "发展对象人选公示期", 7, source=model_text(
    "“党支部通过座谈会、个别谈话、民主评议等形式听取党小组、培养联系人、党员和群众的意见”,"
    "“公示不少于7天”"))
ADMISSION_PUBLICITY = days("admission_publicity_days", "拟接收预备党员公示期", 7,
                           source=model_text("“一定范围内公示等形式广泛征求党内外群众意见,"
                                             "公示不少于7天”"))
CONVERSION_PUBLICITY = working_days("conversion_publicity_days", "转正公示期", 7,
                                    source=model_text("“召开预备党员转正大会讨论表决,"
                                                      "公示不少于7个工作日”"))
PRE_REVIEW_WITHIN = months("pre_review_within", "预审时限", 1, source=model_text(
    "“预审一般在一个月内完成”"))
APPROVAL_WITHIN = months("admission_approval_within", "接收预备党员审批时限", 3,
                         source=model_text("“三个月内审批完成”"))
APPROVAL_MAX = months("admission_approval_max", "接收预备党员审批最长时限", 6,
                      source=model_text("“最长不得超过六个月”"))
CONVERSION_WITHIN = months("conversion_approval_within", "转正审批时限", 3, source=model_text(
    "“镇(街道)党(工)委在3个月内审批”"))
EXTENSION_WITHIN = months("extension_approval_within", "延长预备期审批时限", 3, source=local(
    "示范文本未定延长预备期的审批时限;本区比照转正审批,定为3个月内"))


# the party group a member is put into: one of the branch's groups (党员名册), when it has any
PARTY_GROUP_HELP = "从本支部现有的党小组中选择;未划分党小组的支部可不选"


def _publicity(code: str, name: str, title: str, to: str, param: Param,
               description: str) -> StepSpec:
    return StepSpec(
        code=code, name=name, level=Level.VILLAGE, roles=BRANCH,
        publicity=Publicity(days=param, title=title, content_fields=("application.name",)),
        description=description,
        actions=(ActionSpec("publicity_done", "公示期满无异议", to=to, fields=posting_fields()),
                 *publicity_side_actions()),
    )


def _training_side(code: str, name: str, kind: TrainingKind, *extra: FieldSpec) -> ActionSpec:
    fields = (*extra, field("on", "日期", FieldType.DATE, max=TODAY),
              field("summary", "内容摘要", FieldType.TEXT))
    effect: Effect = fx.record_training(kind)
    return ActionSpec(code, name, kind=Kind.SIDE, fields=fields, effects=(effect,))


RECRUITMENT = registry.register(ProcedureSpec(
    code=RECRUITMENT_CODE,
    name="党员管理(党支部发展党员)",
    title_example="张三入党申请",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="申请入党、入党积极分子的确定和培养教育、发展对象的确定和考察、预备党员的接收、"
            "预备党员的教育考察和转正五个阶段,每人一件,全程写入党员名册。",
    risks=(
        Risk("执行发展党员程序不严格",
             "各环节依次办理不能跳过;积极分子培养不满{activist_period}、预备期不满"
             "{probation_period}(含延长)的,系统拒绝并告知最早可办理的时间;积极分子人选、"
             "发展对象人选、拟接收预备党员公示分别不少于{activist_publicity_days}、"
             "{target_publicity_days}、{admission_publicity_days},转正公示不少于"
             "{conversion_publicity_days},期满前不能进入下一步;确定发展对象后须向党员大会通报"
             "并告知本人;未经政治审查或审查不合格、未参加集中培训的不能进入支委会审查;支委会"
             "审查合格并公示期满后报镇(街道)党(工)委预审,预审合格方能发放入党志愿书;支部大会"
             "到会和通过人数由系统按应到人数计算,召开日期不能早于志愿书发放日期;五种特殊情况"
             "须经镇党委审查、区委组织部同意;镇党委审批{admission_approval_within}提醒、超过"
             "{admission_approval_max}上报;延长预备期只能在预备期满时由支部大会讨论决定,延长"
             "{probation_extension_min}至{probation_extension_max},只能一次,经镇(街道)党(工)委"
             "批准后生效;培养联系人和入党介绍人须为名册中两名不同的正式党员"),
        Risk("培养教育松懈",
             "递交申请后{talk_within}内未谈话的向监督委员会和镇纪委预警;积极分子和培养联系人每"
             "{activist_report_every}、支部每{branch_assessment_every}定期提醒;推荐为发展对象时"
             "系统核对培养考察记录,次数不足的自动预警;镇(街道)党(工)委每年对入党积极分子队伍"
             "状况作一次分析,年底前{pool_analysis_remind_days}起提醒尚未分析的镇(街道)党(工)委,"
             "年度结束仍未分析的告知区委组织部",
             kind=RiskKind.ALERT),
        Risk("党员档案管理不规范",
             "申请、积极分子、发展对象、接收预备党员、转正日期和党龄起算日由系统写入党员名册并"
             "保留修改历史;入党材料归档清单全部勾选方能办结;名册可导出PDF和Excel"),
    ),
    measures=MEASURES,
    params=(EXTENSION_MIN, EXTENSION_MAX, TRAINING_HOURS, TRAINING_DAYS, ASSESS_EVERY,
            POOL_ANALYSIS_REMIND),
    steps=(
        *in_stage("申请入党阶段",
            StepSpec(
                code="application", name="递交入党申请", level=Level.VILLAGE,
                roles=BRANCH_COMMITTEE,
                description="申请入党的同志(一般为本辖区居住半年以上居住者和流动人员)自愿向党支部"
                            "递交入党申请书;党支部登记入党员名册。",
                actions=(ActionSpec(
                    "register", "登记入党申请", to="talk",
                    fields=(
                        field("name", "申请人姓名", max_length=32),
                        field("gender", "性别", FieldType.CHOICE,
                              choices=tuple((g.value, g.label) for g in Gender)),
                        field("id_number", "身份证号码", format=Format.ID_NUMBER),
                        field("phone", "联系电话(手机)", required=False, format=Format.MOBILE),
                        field("residence", "居住情况", FieldType.CHOICE,
                              choices=(("resident", "本辖区居住半年以上"),
                                       ("floating", "流动人员"))),
                        field("application_date", "递交入党申请书日期", FieldType.DATE, max=TODAY),
                        file_field("letter", "入党申请书"),
                    ),
                    effects=(fx.REGISTER_APPLICANT,),
                ),),
            ),
            StepSpec(
                code="talk", name="一个月内派人谈话", level=Level.VILLAGE,
                roles=(*BRANCH_COMMITTEE, Role.PARTY_GROUP_LEADER),
                deadline=Deadline(TALK_WITHIN),
                description="在{talk_within}内派支委成员或党小组负责人与入党申请人谈话;"
                            "党支部加强对入党申请人的培养教育和考察。",
                actions=(ActionSpec(
                    "talk", "登记谈话", to="activist_recommendation",
                    fields=(
                        field("talker", "谈话人(支委成员或党小组负责人)", FieldType.USER,
                              user_roles=(Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY,
                                          Role.BRANCH_COMMITTEE, Role.PARTY_GROUP_LEADER)),
                        field("talk_date", "谈话日期", FieldType.DATE, max=TODAY),
                        field("record", "谈话情况", FieldType.TEXT),
                    ),
                    effects=(fx.record_talk(TALK_WITHIN),),
                ),),
            ),
        ),
        *in_stage("入党积极分子的确定和培养教育阶段",
            StepSpec(
                code="activist_recommendation", name="推荐入党积极分子人选", level=Level.VILLAGE,
                roles=BRANCH,
                description="经党员推荐、群团组织推优确定推荐对象人选,采取无记名投票方式推荐,"
                            "推荐会邀请村(居)民代表参与监督。",
                actions=(ActionSpec(
                    "recommend", "推荐为积极分子初步人选", to="activist_publicity",
                    fields=(
                        field("sources", "推荐方式", FieldType.MULTICHOICE,
                              choices=(("members", "党员推荐"), ("mass_org", "群团组织推优"))),
                        field("anonymous", "采取无记名投票方式", FieldType.BOOLEAN),
                        field("representatives_invited", "已邀请村(居)民代表参与监督",
                              FieldType.BOOLEAN),
                        meeting_field("推荐会投票情况"),
                        file_field("ballots", "推荐票汇总及会议记录"),
                    ),
                    meeting=RECOMMENDATION,
                    requires=(Require("anonymous", True, "推荐入党积极分子须采取无记名投票方式。"),
                              Require("representatives_invited", True,
                                      "推荐会须邀请村(居)民代表参与监督。")),
                ),),
            ),
            _publicity("activist_publicity", "积极分子人选公示", "入党积极分子人选公示",
                       "activist_decision", ACTIVIST_PUBLICITY,
                       "公示不少于{activist_publicity_days}。"),
            StepSpec(
                code="activist_decision", name="支委会确定入党积极分子", level=Level.VILLAGE,
                roles=BRANCH,
                description="支部委员会研究确定,支委会召开的时间即为确定为入党积极分子的时间;"
                            "报镇(街道)党(工)委备案;向党员大会通报并告知本人;"
                            "指定2名正式党员作为培养联系人。",
                actions=(ActionSpec(
                    "decide", "确定为入党积极分子", to="activist_training",
                    fields=(
                        meeting_field("支委会(召开日期即确定为入党积极分子的日期)"),
                        member_ref("contact_1", "培养联系人一", "full"),
                        member_ref("contact_2", "培养联系人二", "full"),
                        field("filed_with_township", "已报镇(街道)党(工)委备案", FieldType.BOOLEAN),
                        field("announced", "已向党员大会通报并告知本人", FieldType.BOOLEAN),
                        file_field("minutes", "支委会会议记录"),
                    ),
                    meeting=COMMITTEE_MEETING,
                    requires=(Require("filed_with_township", True, "须报镇(街道)党(工)委备案。"),
                              Require("announced", True, "须向党员大会通报并告知本人。")),
                    effects=(fx.SET_ACTIVIST,),
                ),),
            ),
            StepSpec(
                code="activist_training", name="入党积极分子培养教育考察", level=Level.VILLAGE,
                roles=BRANCH_COMMITTEE,
                recurring=(
                    Recurring(REPORT_EVERY, "入党积极分子应向党组织汇报思想、学习和工作情况,"
                                            "培养联系人应向党支部报告培养情况(每季度至少一次)。"),
                    Recurring(ASSESS_EVERY, "党支部每半年应对入党积极分子进行一次考察。"),
                ),
                description="对入党积极分子进行一年以上的培养、教育和考察;党小组经讨论研究,"
                            "提出能否列为发展对象的意见。",
                actions=(
                    ActionSpec(
                        "propose_target", "党小组提出列为发展对象的意见", to="target_publicity",
                        fields=(
                            field("group_opinion", "党小组意见", FieldType.TEXT),
                            field("hearing", "听取党小组、培养联系人、党员和群众意见的情况",
                                  FieldType.TEXT),
                            field("hearing_forms", "听取意见的形式", FieldType.MULTICHOICE,
                                  choices=(("forum", "座谈会"), ("talks", "个别谈话"),
                                           ("appraisal", "民主评议"))),
                        ),
                        wait=MinimumWait(ACTIVIST_PERIOD, since_step="activist_decision",
                                         since_field="meeting",
                                         reason="入党积极分子须经一年以上的培养教育和考察"),
                        effects=(fx.alert_short_training(REPORT_EVERY, ASSESS_EVERY),),
                    ),
                    _training_side("activist_report", "登记积极分子思想汇报",
                                   TrainingKind.ACTIVIST_REPORT),
                    _training_side("contact_report", "登记培养联系人报告",
                                   TrainingKind.CONTACT_REPORT,
                                   member_ref("contact", "培养联系人", "full",
                                              help="本人的两名培养联系人之一")),
                    _training_side("branch_assessment", "登记党支部考察",
                                   TrainingKind.BRANCH_ASSESSMENT),
                ),
            ),
        ),
        *in_stage("发展对象的确定和考察阶段",
            _publicity("target_publicity", "发展对象人选公示", "发展对象人选公示",
                       "target_decision",
                       TARGET_PUBLICITY, "公示不少于{target_publicity_days}。"),
            StepSpec(
                code="target_decision", name="支委会确定发展对象初步人选", level=Level.VILLAGE,
                roles=BRANCH,
                description="支委会讨论确定发展对象初步人选;征求政法、信访、宗教等部门的意见,"
                            "根据从业情况征求市场监管、税务、武装等部门意见;"
                            "然后向党员大会通报并告知本人,报镇(街道)党(工)委备案。",
                actions=(ActionSpec(
                    "decide", "确定发展对象初步人选", to="target_announcement",
                    fields=(
                        meeting_field("支委会"),
                        field("political_legal_opinion", "已征求政法部门意见", FieldType.BOOLEAN),
                        field("petitions_opinion", "已征求信访部门意见", FieldType.BOOLEAN),
                        field("religious_opinion", "已征求宗教部门意见", FieldType.BOOLEAN),
                        field("other_opinions", "其他部门意见(市场监管、税务、武装等)",
                              FieldType.TEXT, required=False),
                        field("special", "是否属于需审查的特殊情况", FieldType.CHOICE,
                              choices=tuple((s.value, s.label) for s in SpecialSituation)),
                        file_field("opinions", "各部门意见材料"),
                    ),
                    meeting=COMMITTEE_MEETING,
                    requires=(Require("political_legal_opinion", True, "须征求政法部门的意见。"),
                              Require("petitions_opinion", True, "须征求信访部门的意见。"),
                              Require("religious_opinion", True, "须征求宗教部门的意见。")),
                    route_by=Route("special", {
                        SpecialSituation.NONE.value: "target_announcement",
                        **{s.value: "special_review" for s in SpecialSituation
                           if s != SpecialSituation.NONE},
                    }),
                ),),
            ),
            StepSpec(
                code="special_review", name="镇(街道)党(工)委审查特殊情况", level=Level.TOWNSHIP,
                roles=TOWNSHIP, back_to=("target_decision",),
                description="党组织中意见分歧较大、两委班子成员的直系亲属、私营企业主等五种情况,"
                            "须经镇(街道)党(工)委审查研究提出审查意见,并报区委组织部审查同意。",
                actions=(
                    ActionSpec("submit", "提出审查意见报区委组织部", to="district_consent",
                               fields=(field("opinion", "审查意见", FieldType.TEXT),
                                       file_field("report", "审查意见材料"))),
                    ActionSpec("refuse", "审查不同意", to=None, outcome="审查不同意列为发展对象",
                               fields=(field("opinion", "不同意的理由", FieldType.TEXT),),
                               effects=(fx.NOT_ADMITTED,)),
                ),
            ),
            StepSpec(
                code="district_consent", name="区委组织部审查同意", level=Level.DISTRICT,
                roles=(Role.DISTRICT_ORG,), back_to=("special_review",),
                actions=(
                    ActionSpec("consent", "审查同意", to="target_announcement",
                               fields=(field("opinion", "审查意见", FieldType.TEXT),)),
                    ActionSpec("refuse", "不同意", to=None, outcome="区委组织部不同意列为发展对象",
                               fields=(field("opinion", "不同意的理由", FieldType.TEXT),),
                               effects=(fx.NOT_ADMITTED,)),
                ),
            ),
            StepSpec(
                code="target_announcement", name="向党员大会通报并告知本人", level=Level.VILLAGE,
                roles=BRANCH,
                description="党支部将确定的发展对象初步人选向党员大会通报,并告知本人;"
                            "然后报镇(街道)党(工)委备案。",
                actions=(ActionSpec(
                    "announced", "已通报并告知本人", to="target_filing",
                    fields=(field("announced_on", "向党员大会通报日期", FieldType.DATE, max=TODAY),
                            field("told_on", "告知本人日期", FieldType.DATE, max=TODAY),
                            field("told_how", "告知本人的方式", FieldType.CHOICE, choices=TOLD_HOW),
                            field("note", "通报情况", FieldType.TEXT, required=False)),
                    effects=(fx.CHECK_ANNOUNCEMENT,),
                ),),
            ),
            StepSpec(
                code="target_filing", name="报镇(街道)党(工)委备案", level=Level.TOWNSHIP,
                roles=TOWNSHIP, back_to=("target_decision",),
                description="党(工)委备案同意的时间即为确定发展对象的日期。",
                actions=(ActionSpec(
                    "accept", "备案同意", to="political_review",
                    fields=(field("filed_on", "备案同意日期(即确定为发展对象的日期)",
                                  FieldType.DATE, max=TODAY),),
                    effects=(fx.SET_TARGET,),
                ),),
            ),
            StepSpec(
                code="political_review", name="确定入党介绍人、政治审查", level=Level.VILLAGE,
                roles=BRANCH,
                description="确定2名正式党员作为入党介绍人;党组织对发展对象进行政治审查并形成结论性"
                            "材料,凡是未经政治审查或政治审查不合格的,不能发展入党。",
                actions=(
                    ActionSpec(
                        "review_passed", "政治审查合格", to="district_training",
                        fields=(
                            member_ref("introducer_1", "入党介绍人一", "full"),
                            member_ref("introducer_2", "入党介绍人二", "full"),
                            field("review_result", "政治审查结论", FieldType.CHOICE,
                                  choices=REVIEW_CHOICES),
                            file_field("conclusion", "政治审查结论性材料"),
                        ),
                        requires=(Require("review_result", ReviewResult.PASSED.value,
                                          "未经政治审查或政治审查不合格的,不能发展入党。"),),
                        effects=(fx.SET_INTRODUCERS,),
                    ),
                    ActionSpec(
                        "review_failed", "政治审查不合格,终止发展", to=None,
                        outcome="政治审查不合格,不能发展入党",
                        fields=(field("reason", "审查结论", FieldType.TEXT),
                                file_field("conclusion", "政治审查结论性材料")),
                        effects=(fx.NOT_ADMITTED,),
                    ),
                ),
            ),
            StepSpec(
                code="district_training", name="区委组织部短期集中培训", level=Level.DISTRICT,
                roles=(Role.DISTRICT_ORG,),
                description="区委组织部对发展对象进行短期集中培训,培训时间一般不少于"
                            "{target_training_days}(或不少于{target_training_hours}个学时)。",
                actions=(ActionSpec(
                    "certify", "培训合格", to="admission_review",
                    fields=(field("class_hours", "培训学时", FieldType.INTEGER, min=TRAINING_HOURS),
                            field("certificate_no", "培训考试合格证编号")),
                ),),
            ),
        ),
        *in_stage("预备党员的接收阶段",
            StepSpec(
                code="admission_review", name="支委会严格审查", level=Level.VILLAGE, roles=BRANCH,
                description="发展对象经政治审查合格并参加集中培训后,支委会对其进行严格审查,"
                            "集体讨论是否合格。",
                actions=(ActionSpec(
                    "qualified", "审查合格", to="admission_publicity",
                    fields=(meeting_field("支委会"), file_field("minutes", "支委会会议记录")),
                    meeting=COMMITTEE_MEETING,
                ),),
            ),
            _publicity("admission_publicity", "拟接收预备党员公示", "拟接收预备党员公示",
                       "pre_review", ADMISSION_PUBLICITY,
                       "通过座谈会、个别谈话、一定范围内公示等形式广泛征求党内外群众意见,"
                       "公示不少于{admission_publicity_days};期满后报镇(街道)党(工)委预审。"),
            StepSpec(
                code="pre_review", name="镇(街道)党(工)委预审", level=Level.TOWNSHIP,
                roles=TOWNSHIP,
                deadline=Deadline(PRE_REVIEW_WITHIN),
                back_to=("admission_review",),
                description="支委会审查合格、公示期满后,报镇(街道)党(工)委预审;预审一般在"
                            "{pre_review_within}内完成,预审意见及时书面通知党支部;"
                            "预审合格的方可发放入党志愿书。",
                actions=(
                    ActionSpec("pass", "预审合格", to="volunteer_form",
                               fields=(field("result", "预审结论", FieldType.CHOICE,
                                             choices=REVIEW_CHOICES),
                                       file_field("notice", "预审意见书面通知")),
                               requires=(Require("result", ReviewResult.PASSED.value,
                                                 "预审不合格的不能发放入党志愿书。"),)),
                    ActionSpec("fail", "预审不合格", to=None, outcome="预审不合格",
                               fields=(field("reason", "预审意见", FieldType.TEXT),),
                               effects=(fx.NOT_ADMITTED,)),
                ),
            ),
            StepSpec(
                code="volunteer_form", name="填写入党志愿书", level=Level.VILLAGE, roles=BRANCH,
                description="党支部向预审合格的发展对象发放《中国共产党入党志愿书》,"
                            "入党介绍人指导发展对象认真填写。",
                actions=(ActionSpec(
                    "filled", "志愿书已填写", to="general_meeting",
                    fields=(field("issued_on", "发放日期", FieldType.DATE, max=TODAY),
                            field("introducers_guided", "入党介绍人已指导填写", FieldType.BOOLEAN),
                            file_field("form", "入党志愿书扫描件")),
                    requires=(Require("introducers_guided", True,
                                      "入党介绍人须指导发展对象填写志愿书。"),),
                ),),
            ),
            StepSpec(
                code="general_meeting", name="支部大会讨论接收预备党员", level=Level.VILLAGE,
                roles=BRANCH,
                description="支委会提交支部大会讨论,对发展对象逐个表决;"
                            "有表决权的党员半数以上到会,"
                            "赞成人数超过应到会有表决权党员的半数为通过。",
                actions=(ActionSpec(
                    "admit", "表决通过,报镇(街道)党(工)委审批", to="township_approval",
                    fields=(
                        meeting_field("支部大会(召开日期即接收为预备党员的日期,预备期自此起算)"),
                        field("materials_sent", "志愿书、申请书、培养考察登记表、外调和政审材料、"
                                                "培训合格证已报送", FieldType.BOOLEAN),
                        file_field("minutes", "支部大会会议记录"),
                    ),
                    meeting=GENERAL_MEETING,
                    requires=(Require("materials_sent", True,
                                      "须将入党材料报镇(街道)党(工)委审批。"),),
                    effects=(fx.CHECK_ADMISSION_VOTE,),
                ),),
            ),
            StepSpec(
                code="township_approval", name="镇(街道)党(工)委审批", level=Level.TOWNSHIP,
                roles=TOWNSHIP,
                deadline=Deadline(APPROVAL_WITHIN, hard_limit=APPROVAL_MAX),
                back_to=("general_meeting",),
                description="指派专人同发展对象谈话;召开党(工)委会议逐个审议,"
                            "{admission_approval_within}内审批完成,最长不得超过"
                            "{admission_approval_max};审批结果报区委组织部备案并通知党支部。",
                actions=(
                    ActionSpec(
                        "approve", "审批同意接收为预备党员", to="oath",
                        fields=(field("talker", "谈话人(镇(街道)党(工)委指派)", max_length=32),
                                field("talk_date", "谈话日期", FieldType.DATE, max=TODAY),
                                field("approved_on", "审批日期", FieldType.DATE, max=TODAY,
                                      after="talk_date"),
                                field("filed_with_district", "已报区委组织部备案",
                                      FieldType.BOOLEAN),
                                file_field("decision", "审批意见")),
                        requires=(Require("filed_with_district", True,
                                          "审批结果须报区委组织部备案。"),),
                        effects=(fx.APPROVE_ADMISSION,),
                    ),
                    ActionSpec("reject", "不予批准", to=None, outcome="镇(街道)党(工)委不予批准",
                               fields=(field("reason", "理由", FieldType.TEXT),),
                               effects=(fx.NOT_ADMITTED,)),
                ),
            ),
        ),
        *in_stage("预备党员的教育考察和转正阶段",
            StepSpec(
                code="oath", name="编入党小组、入党宣誓", level=Level.VILLAGE, roles=BRANCH,
                description="党支部通知本人并在党员大会上宣布;及时将预备党员编入党支部和党小组,"
                            "组织入党宣誓。",
                actions=(ActionSpec(
                    "sworn", "已宣誓", to="probation",
                    fields=(field("party_group", "编入党小组", FieldType.REF, ref="party_group",
                                  required=False, help=PARTY_GROUP_HELP),
                            field("oath_date", "宣誓日期", FieldType.DATE, max=TODAY),
                            field("announced", "已通知本人并在党员大会上宣布", FieldType.BOOLEAN),
                            file_field("photo", "宣誓照片", accept=PDF_OR_IMAGE, required=False)),
                    requires=(Require("announced", True,
                                      "审批结果须通知本人并在党员大会上宣布。"),),
                    effects=(fx.RECORD_OATH,),
                ),),
            ),
            StepSpec(
                code="probation", name="预备期教育考察", level=Level.VILLAGE,
                roles=BRANCH_COMMITTEE,
                recurring=(Recurring(REPORT_EVERY, "请通过组织生活、听取汇报、个别谈心等方式"
                                                   "对预备党员进行教育考察并登记。"),),
                description="预备期为{probation_period},自支部大会通过之日起算;预备期满向党支部"
                            "递交转正申请书。预备期满时需要继续考察和教育的,经支部大会讨论可延长"
                            "预备期一次,延长{probation_extension_min}至{probation_extension_max},"
                            "报镇(街道)党(工)委批准后生效。",
                actions=(
                    ActionSpec(
                        "apply_conversion", "预备期满,递交转正申请", to="conversion_meeting",
                        fields=(file_field("application", "转正申请书"),
                                field("group_opinion", "党小组意见", FieldType.TEXT),
                                field("hearing", "征求党员和群众意见情况", FieldType.TEXT)),
                        wait=MinimumWait(PROBATION, since_step="general_meeting",
                                         since_field="meeting",
                                         extension=Extension("extension_approval", "months"),
                                         reason="预备期未满"),
                    ),
                    _training_side("probation_report", "登记教育考察情况",
                                   TrainingKind.PROBATION_REPORT),
                    ActionSpec(
                        "extend_probation",
                        "预备期满,支部大会决定延长预备期,报镇(街道)党(工)委批准",
                        to="extension_approval",
                        fields=(field("months", "延长月数", FieldType.INTEGER, min=EXTENSION_MIN,
                                      max=EXTENSION_MAX,
                                      help="延长时间不能少于半年,最长不超过一年"),
                                field("reason", "延长理由", FieldType.TEXT),
                                meeting_field("支部大会"),
                                file_field("minutes", "支部大会会议记录", required=False)),
                        meeting=GENERAL_MEETING,
                        wait=MinimumWait(PROBATION, since_step="general_meeting",
                                         since_field="meeting",
                                         reason="延长预备期须在预备期满时讨论"),
                        effects=(fx.extend_probation(EXTENSION_MIN, EXTENSION_MAX),),
                    ),
                ),
            ),
            StepSpec(
                code="extension_approval", name="镇(街道)党(工)委审批延长预备期",
                level=Level.TOWNSHIP, roles=TOWNSHIP, deadline=Deadline(EXTENSION_WITHIN),
                back_to=("probation",),
                description="支部大会决定延长预备期的,报镇(街道)党(工)委审批,批准后延长生效,"
                            "延长期满再讨论能否转为正式党员;不批准的,由党支部按期讨论转正。",
                actions=(
                    ActionSpec(
                        "approve", "批准延长预备期", to="probation",
                        fields=(field("months", "批准延长月数", FieldType.INTEGER,
                                      min=EXTENSION_MIN, max=EXTENSION_MAX,
                                      default_from=fx.EXTENSION_DECIDED,
                                      help="与支部大会决定的延长时间一致"),
                                field("approved_on", "审批日期", FieldType.DATE, max=TODAY),
                                file_field("decision", "审批意见")),
                        effects=(fx.APPROVE_EXTENSION,),
                    ),
                    ActionSpec(
                        "reject", "不批准延长", to="probation",
                        fields=(field("reason", "理由", FieldType.TEXT),),
                    ),
                ),
            ),
            StepSpec(
                code="conversion_meeting", name="支部大会讨论转正", level=Level.VILLAGE,
                roles=BRANCH,
                description="党小组提出意见,征求党员和群众的意见,支委会审查,召开预备党员转正大会"
                            "讨论表决。",
                actions=(ActionSpec(
                    "convert", "表决同意转正", to="conversion_publicity",
                    fields=(field("committee_reviewed", "支委会已审查", FieldType.BOOLEAN),
                            meeting_field("转正大会"),
                            file_field("minutes", "支部大会会议记录")),
                    meeting=GENERAL_MEETING,
                    requires=(Require("committee_reviewed", True, "转正须先经支委会审查。"),),
                ),),
            ),
            _publicity("conversion_publicity", "转正公示", "预备党员转正公示",
                       "conversion_approval",
                       CONVERSION_PUBLICITY, "公示不少于{conversion_publicity_days}。"),
            StepSpec(
                code="conversion_approval", name="镇(街道)党(工)委审批转正", level=Level.TOWNSHIP,
                roles=TOWNSHIP,
                deadline=Deadline(CONVERSION_WITHIN),
                back_to=("conversion_meeting",),
                description="镇(街道)党(工)委在{conversion_approval_within}内审批,审批同意后转为中共"
                            "正式党员;"
                            "党龄从预备期满转为正式党员之日算起。",
                actions=(
                    ActionSpec("approve", "审批同意转为正式党员", to="archive",
                               fields=(field("approved_on", "审批日期", FieldType.DATE, max=TODAY),
                                       file_field("decision", "审批意见")),
                               effects=(fx.approve_conversion(PROBATION),)),
                    ActionSpec("reject", "不同意转正(取消预备党员资格)", to=None,
                               outcome="取消预备党员资格",
                               fields=(field("reason", "理由", FieldType.TEXT),
                                       file_field("decision", "审批意见")),
                               effects=(fx.NOT_ADMITTED,)),
                ),
            ),
            StepSpec(
                code="archive", name="谈话宣布、入党材料归档", level=Level.VILLAGE, roles=BRANCH,
                description="党支部书记同本人谈话,在党员大会上宣布审批结果;入党申请书、转正申请书、"
                            "入党志愿书、政治审查材料、培养教育考察材料等归入人事档案,无人事档案的"
                            "建立党员档案,由镇(街道)党(工)委或区委组织部保存。",
                actions=(ActionSpec(
                    "archive", "归档办结", to=None, outcome="已转为正式党员,材料已归档",
                    fields=(
                        field("talked", "党支部书记已同本人谈话", FieldType.BOOLEAN),
                        field("announced", "已在党员大会上宣布", FieldType.BOOLEAN),
                        field("has_application", "入党申请书", FieldType.BOOLEAN),
                        field("has_conversion_application", "转正申请书", FieldType.BOOLEAN),
                        field("has_volunteer_form", "中国共产党入党志愿书", FieldType.BOOLEAN),
                        field("has_political_review", "政治审查材料", FieldType.BOOLEAN),
                        field("has_training_records", "培养教育考察材料", FieldType.BOOLEAN),
                        field("kept_by", "档案保管", FieldType.CHOICE, choices=fx.ARCHIVE_KEEPERS),
                    ),
                    checklist=("talked", "announced", "has_application",
                               "has_conversion_application", "has_volunteer_form",
                               "has_political_review", "has_training_records"),
                    effects=(fx.ARCHIVE_MEMBER,),
                ),),
            ),
        ),
    ),
))

"""01.3 党组织关系转移, 01.4 党组织关系接收, 01.5 流动党员管理."""

from __future__ import annotations

from core.roles import Level
from party.choices import ContactWay, Gender, TransferScope
from party.effects import transfers as fx
from party.procedures.common import (
    ARCHIVE_CONTROL,
    BRANCH,
    BRANCH_COMMITTEE,
    CATEGORY,
    GUIDING_ROLES,
    GUIDING_UNITS,
    MEASURES,
    PHONE_HELP,
    PHONE_PATTERN,
    SUPERVISOR,
    TOWNSHIP,
    member_ref,
)
from party.procedures.recruitment import PARTY_GROUP_HELP
from party.rules import CONTACT_EVERY, FLOATING_CODE, HANDLE_WITHIN, RECEIPT_WITHIN
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    Deadline,
    FieldType,
    Format,
    Kind,
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
    local,
    posting_fields,
    publicity_side_actions,
)

SCOPES = tuple((s.value, s.label) for s in TransferScope)
CONTACT_WAYS = tuple((w.value, w.label) for w in ContactWay)
ARCHIVED = field("archived", "转接材料已整理归档", FieldType.BOOLEAN)

TRANSFER_OUT = registry.register(ProcedureSpec(
    code="01.3",
    name="党员管理(党组织关系转移)",
    title_example="李明党组织关系转往城关镇",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="党支部开具转出党组织关系介绍信,党员持介绍信到镇(街道)党委办理;省内通过全国党员"
            "信息系统转移,接转路径全部为绿色即完成;省外通过纸质介绍信转移,回执交回原镇(街道)"
            "党委即完成。",
    risks=(
        Risk("未及时跟进党员组织关系转移过程",
             "镇党委办理设时限({township_handle_within})并提醒、逾期上报;省外纸质介绍信登记回执应交回"
             "日期,{receipt_within}未交回的逐级提醒并向区委组织部上报;未完成的转移在转接台账中显示为转接中"),
        Risk("操作流程不规范",
             "按省内、省外分别走系统转移或纸质介绍信两条路径,不能混用;省内须确认系统接转路径"
             "全部为绿色、省外须登记回执方能完成;完成后党员名册自动标记为已转出"),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL),
    ),
    measures=MEASURES,
    steps=(
        StepSpec(
            code="issue_letter", name="党支部开具转出介绍信", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "issue", "开具介绍信", to="system_transfer",
                fields=(member_ref("member", "转出党员"),
                        field("destination", "转往党组织"),
                        field("scope", "转移范围", FieldType.CHOICE, choices=SCOPES),
                        field("letter_no", "介绍信编号", required=False),
                        field("issued_on", "开具日期", FieldType.DATE, max=TODAY),
                        file_field("letter", "转出党组织关系介绍信")),
                route_by=Route("scope", {TransferScope.IN_PROVINCE.value: "system_transfer",
                                         TransferScope.OUT_OF_PROVINCE.value: "paper_letter"}),
                effects=(fx.ISSUE_LETTER,),
            ),),
        ),
        StepSpec(
            code="system_transfer", name="全国党员信息系统转移(省内)", level=Level.TOWNSHIP,
            roles=TOWNSHIP, deadline=Deadline(HANDLE_WITHIN), back_to=("issue_letter",),
            description="乡镇(街道)党委通过全国党员信息系统进行转移,系统上接转路径全部为绿色即"
                        "完成转移。",
            actions=(ActionSpec(
                "complete", "接转路径全部为绿色,完成转移", to=None, outcome="已完成转移(省内)",
                fields=(field("all_green", "系统接转路径全部为绿色", FieldType.BOOLEAN),
                        field("serial_no", "系统业务编号"),
                        field("completed_on", "完成日期", FieldType.DATE, max=TODAY),
                        file_field("screenshot", "系统接转路径截图"), ARCHIVED),
                requires=(Require("all_green", True, "系统接转路径全部为绿色方为完成转移。"),),
                checklist=("archived",),
                effects=(fx.CONFIRM_IN_SYSTEM,),
            ),),
        ),
        StepSpec(
            code="paper_letter", name="开具纸质介绍信(省外)", level=Level.TOWNSHIP,
            roles=TOWNSHIP, deadline=Deadline(HANDLE_WITHIN), back_to=("issue_letter",),
            description="乡镇(街道)党委通过纸质党组织关系介绍信进行转移。",
            actions=(ActionSpec(
                "send", "已开具纸质介绍信", to="await_receipt",
                fields=(field("letter_no", "介绍信编号"),
                        field("sent_on", "开具日期", FieldType.DATE, max=TODAY),
                        file_field("letter", "介绍信存根")),
                effects=(fx.send_paper_letter(RECEIPT_WITHIN),),
            ),),
        ),
        StepSpec(
            code="await_receipt", name="回执交回原镇(街道)党委", level=Level.TOWNSHIP,
            roles=TOWNSHIP, deadline=Deadline(RECEIPT_WITHIN),
            description="党员组织关系转到对方党组织后,将介绍信回执交回原镇(街道)党委,完成转移。",
            actions=(ActionSpec(
                "receipt", "回执已交回,完成转移", to=None, outcome="已完成转移(省外)",
                fields=(field("receipt_on", "回执交回日期", FieldType.DATE, max=TODAY),
                        file_field("receipt", "介绍信回执"), ARCHIVED),
                checklist=("archived",),
                effects=(fx.RECEIVE_RECEIPT,),
            ),),
        ),
    ),
))

TRANSFER_IN = registry.register(ProcedureSpec(
    code="01.4",
    name="党员管理(党组织关系接收)",
    title_example="王芳党组织关系转入",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="省内通过全国党员信息系统、省外通过纸质介绍信接收;党员到拟转入党支部公示,"
            "期满无异议后镇(街道)党委审核档案、系统操作并出具介绍信,党员持介绍信到党支部报到。",
    risks=(
        Risk("接收党组织关系条件设置不合理",
             "接收只审核身份和档案材料,不得另设条件;不予接收须写明理由,系统即向村务监督委员会"
             "和镇纪委预警", kind=RiskKind.ALERT),
        Risk("审核身份、审查资料不严格",
             "身份证号码须通过校验;须确认已核对身份、已审查党员档案方能出具介绍信;"
             "公示期满且异议答复后才能审核"),
        Risk("资料整理归档不规范", ARCHIVE_CONTROL),
    ),
    measures=MEASURES,
    steps=(
        StepSpec(
            code="receive", name="镇(街道)党委接收组织关系", level=Level.TOWNSHIP, roles=TOWNSHIP,
            actions=(ActionSpec(
                "receive", "登记转入党员", to="publicity",
                fields=(field("name", "姓名", public=True, max_length=32),
                        field("gender", "性别", FieldType.CHOICE,
                              choices=tuple((g.value, g.label) for g in Gender)),
                        field("id_number", "身份证号码", format=Format.ID_NUMBER),
                        field("phone", "联系电话(手机)", required=False, format=Format.MOBILE),
                        field("membership", "党员类别", FieldType.CHOICE,
                              choices=(("full", "正式党员"), ("probationary", "预备党员"))),
                        field("admission_date", "入党日期", FieldType.DATE, required=False,
                              max=TODAY),
                        field("from_org", "原所在党组织"),
                        field("scope", "接收途径", FieldType.CHOICE, choices=SCOPES),
                        field("letter_no", "介绍信编号或系统业务编号", required=False),
                        field("received_on", "接收日期", FieldType.DATE, max=TODAY),
                        file_field("letter", "党组织关系介绍信或系统截图")),
                effects=(fx.RECEIVE_TRANSFER,),
            ),),
        ),
        StepSpec(
            code="publicity", name="拟转入党支部公示", level=Level.VILLAGE, roles=BRANCH,
            publicity=Publicity(days=days("transfer_in_publicity_days", "转入公示期", 7,
                                             source=local("示范文本只定“党员到拟转入党支部进行"
                                                          "公示”,未定天数;本区定为不少于7天")),
                                title="党员组织关系转入公示", content_fields=("receive.name",)),
            actions=(ActionSpec("publicity_done", "公示期满无异议", to="review",
                                fields=posting_fields()),
                     *publicity_side_actions()),
        ),
        StepSpec(
            code="review", name="镇(街道)党委审核、系统操作、出具介绍信", level=Level.TOWNSHIP,
            roles=TOWNSHIP, deadline=Deadline(HANDLE_WITHIN),
            actions=(
                ActionSpec(
                    "accept", "审核通过,出具转往支部的介绍信", to="report_in",
                    fields=(field("identity_checked", "已核对身份", FieldType.BOOLEAN),
                            field("file_reviewed", "已查阅党员档案等材料", FieldType.BOOLEAN),
                            field("system_done", "已完成系统操作", FieldType.BOOLEAN),
                            field("branch_letter_no", "转往支部的介绍信编号"),
                            file_field("letter", "转往支部的介绍信")),
                    requires=(Require("identity_checked", True, "须核对党员身份。"),
                              Require("file_reviewed", True, "须审核查阅党员档案等相关材料。"),
                              Require("system_done", True,
                                      "须在全国党员信息系统中完成接收操作。")),
                ),
                ActionSpec(
                    "refuse", "不予接收", to=None, outcome="不予接收",
                    fields=(field("reason", "不予接收的理由(须有党内法规依据)",
                                  FieldType.TEXT),),
                    effects=(fx.REFUSE_TRANSFER,),
                ),
            ),
        ),
        StepSpec(
            code="report_in", name="党员持介绍信到党支部报到", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "reported", "已报到,编入党小组", to=None, outcome="已报到,列入党员名册",
                fields=(field("reported_on", "报到日期", FieldType.DATE, max=TODAY),
                        field("party_group", "编入党小组", FieldType.REF, ref="party_group",
                              required=False, help=PARTY_GROUP_HELP), ARCHIVED),
                checklist=("archived",),
                effects=(fx.REPORT_IN,),
            ),),
        ),
    ),
))

FLOATING = registry.register(ProcedureSpec(
    code=FLOATING_CODE,
    name="党员管理(流动党员管理)",
    title_example="赵强外出务工流动党员登记",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="党支部建立流动党员台账;流出地党支部发放流动党员活动证、确定联系人;流入地党支部"
            "接纳报到的流动党员;利用集中返乡时机组织生活和培训;优秀流动党员纳入村后备力量培养。",
    risks=(
        Risk("未及时更新流动党员信息台账",
             "流动党员台账由每一步办理自动写入(外出登记、活动证、流入地报到、联系记录、返乡),"
             "保留修改历史,镇党委和区委组织部可随时导出PDF和Excel"),
        Risk("对流动党员疏于管理",
             "活动证发放和流入地报到环节不能跳过;外出期间每季度提醒党支部联系流动党员、"
             "组织其参加组织生活"),
        Risk("未及时跟进了解流动党员情况",
             "超过一个季度没有联系记录的,定期检查自动向村务监督委员会、镇纪委预警并通知"
             "镇(街道)党委", kind=RiskKind.ALERT),
    ),
    measures=MEASURES,
    params=(CONTACT_EVERY,),
    steps=(
        StepSpec(
            code="register", name="摸清底数、登记流动党员台账", level=Level.VILLAGE,
            roles=BRANCH_COMMITTEE,
            actions=(ActionSpec(
                "register", "登记外出流动", to="certificate",
                fields=(member_ref("member", "流动党员"),
                        field("destination", "流入地"), field("work", "从事工作"),
                        field("left_on", "外出日期", FieldType.DATE, max=TODAY),
                        field("phone", "手机号码", format=Format.MOBILE),
                        member_ref("branch_contact", "党支部联系人", "full")),
                effects=(fx.REGISTER_FLOATING,),
            ),),
        ),
        StepSpec(
            code="certificate", name="发放流动党员活动证", level=Level.VILLAGE, roles=BRANCH,
            actions=(ActionSpec(
                "issue", "已发放活动证", to="host_report",
                fields=(field("certificate_no", "活动证编号"),
                        field("issued_on", "发放日期", FieldType.DATE, max=TODAY)),
                effects=(fx.ISSUE_CERTIFICATE,),
            ),),
        ),
        StepSpec(
            code="host_report", name="到流入地党组织报到", level=Level.VILLAGE, roles=BRANCH,
            description="流入地党支部对持活动证报到的党员积极接纳,组织其就近就便参加组织生活。",
            actions=(ActionSpec(
                "reported", "已到流入地党组织报到", to="follow_up",
                fields=(field("host_branch", "流入地党组织"),
                        field("reported_on", "报到日期", FieldType.DATE, max=TODAY),
                        field("host_contact", "流入地党组织联系人", max_length=32),
                        field("host_phone", "流入地党组织联系电话", pattern=PHONE_PATTERN,
                              help=PHONE_HELP)),
                effects=(fx.HOST_REPORT,),
            ),),
        ),
        StepSpec(
            code="follow_up", name="日常联系、返乡活动、后备力量培养", level=Level.VILLAGE,
            roles=BRANCH_COMMITTEE,
            recurring=(Recurring(CONTACT_EVERY, "请与流动党员及流入地党组织联系沟通并登记。"),),
            actions=(
                ActionSpec("returned", "已返乡,结束流动", to=None, outcome="已返乡",
                           fields=(field("returned_on", "返乡日期", FieldType.DATE, max=TODAY),
                                   field("archived", "流动党员材料已归档", FieldType.BOOLEAN)),
                           checklist=("archived",),
                           effects=(fx.FLOATING_RETURNED,)),
                ActionSpec("record_contact", "登记联系情况", kind=Kind.SIDE,
                           fields=(field("on", "日期", FieldType.DATE, max=TODAY),
                                   field("way", "联系方式", FieldType.CHOICE,
                                         choices=CONTACT_WAYS),
                                   field("content", "了解到的情况", FieldType.TEXT)),
                           effects=(fx.RECORD_CONTACT,)),
                ActionSpec("record_homecoming", "登记返乡组织生活或培训", kind=Kind.SIDE,
                           fields=(field("on", "日期", FieldType.DATE, max=TODAY),
                                   field("content", "活动内容", FieldType.TEXT)),
                           effects=(fx.RECORD_HOMECOMING,)),
                ActionSpec("nominate_reserve", "纳入村后备力量培养", kind=Kind.SIDE,
                           fields=(field("reason", "政治素质和致富带富能力情况",
                                         FieldType.TEXT),),
                           effects=(fx.NOMINATE_RESERVE,)),
            ),
        ),
    ),
))

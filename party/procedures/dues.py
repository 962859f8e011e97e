"""01.2 党员管理(党费收缴、使用和管理)."""

from __future__ import annotations

from core.roles import Level, Role
from party.choices import DuesCategory
from party.effects import dues as fx
from party.procedures.common import (
    ARCHIVE_CONTROL,
    BRANCH_COMMITTEE,
    CATEGORY,
    GUIDING_ROLES,
    GUIDING_UNITS,
    MEASURES,
    SUPERVISOR,
    TOWNSHIP,
    member_ref,
)
from party.rules import DUES_ARREARS_ALERT, DUES_CODE, DUES_LAPSE
from workflows.registry import registry
from workflows.spec import (
    TODAY,
    ActionSpec,
    Deadline,
    FieldType,
    ProcedureSpec,
    Publicity,
    Require,
    RequiredIf,
    Risk,
    StepSpec,
    days,
    deadline_days,
    field,
    file_field,
    local,
    posting_fields,
    publicity_side_actions,
)

# one row a member: who, the category of the uniform standard, the income it is a share of
# (在职、离退休 only), the amount paid; the standard is computed and checked (party.effects.dues)
PAYMENTS = field(
    "payments", "交纳明细", FieldType.TABLE, min_rows=1, max_rows=500,
    help="每名交纳党费的党员一行;在职、离退休党员填写月收入基数,系统按统一标准计算应交金额",
    columns=(
        member_ref("member", "党员"),
        field("category", "交纳类别", FieldType.CHOICE,
              choices=tuple((c.value, c.label) for c in DuesCategory)),
        field("income", "月收入基数(元)", FieldType.DECIMAL, required=False, min="0",
              max="99999999.99",
              required_if=RequiredIf("category", DuesCategory.EMPLOYED.value,
                                     any_of=(DuesCategory.RETIRED.value,)),
              help="在职党员为税后月工资收入,离退休党员为月离退休费;"
                   "农民等按月定额交纳的不填"),
        field("amount", "交纳金额(元)", FieldType.DECIMAL, required=False, min="0.01",
              max="999999.99",
              help="留空按统一标准计算(在职、离退休按月收入分档比例,农民等每月0.2元);"
                   "自愿多交的填写实交金额(多交不限,少于标准的不予登记)"),
    ),
)
# a year of the ledger: the portal's years (the notice refuses a year still to come)
YEAR = field("year", "年度", FieldType.INTEGER, min=2000, max=2100)

DUES = registry.register(ProcedureSpec(
    code=DUES_CODE,
    name="党员管理(党费收缴、使用和管理)",
    title_example="2026年第四季度党费收缴",
    category=CATEGORY,
    guiding_units=GUIDING_UNITS,
    guiding_roles=GUIDING_ROLES,
    supervisor=SUPERVISOR,
    summary="党员按月按收入比例向党支部交纳党费;党支部登记并填写党费证,汇总后按期交至镇(街道)"
            "党委;镇(街道)党委出具收据并全额上缴区委组织部;每年公示党费收缴情况。连续"
            "{dues_arrears_alert}未交纳党费的党员向党支部预警,连续{dues_lapse_months}未交纳的"
            "报镇(街道)党(工)委按自行脱党处理。",
    risks=(
        Risk("党员交纳标准不统一",
             "系统按党费规定的统一标准(在职、离退休按月收入分档比例,农民等每月0.2至1元)逐人"
             "计算应交金额,低于标准的登记被拒绝,自愿多交的按实交登记;同一党员同一月份不能"
             "重复登记;连续{dues_arrears_alert}没有交纳记录的党员由定期检查向党支部预警,连续"
             "{dues_lapse_months}的报告镇(街道)党(工)委"),
        Risk("党费凭证不齐全",
             "须确认已逐人填写党费证;交至镇党委的金额、镇党委收据金额、上缴区委组织部金额须与"
             "台账合计一致,不一致的系统拒绝,收据和上缴凭证须上传;缺收据的月份不能进行年度公示"),
        Risk("党费台账管理不规范",
             "每笔党费由系统写入党费收缴台账和上缴记录,保留修改历史,可导出PDF和Excel;"
             "年度公示内容由系统按台账逐人逐月生成(交纳人数、金额、收据号),经办人填写的说明"
             "须与台账合计一致,否则系统拒绝。" + ARCHIVE_CONTROL),
    ),
    measures=MEASURES,
    params=(DUES_ARREARS_ALERT, DUES_LAPSE),
    steps=(
        StepSpec(
            code="collect", name="登记党费交纳、填写党费证", level=Level.VILLAGE,
            roles=BRANCH_COMMITTEE,
            description="党员按月按收入比例将党费交入组织关系所在党支部;党支部登记党员党费交纳"
                        "情况,并填写党费证。每年做好党费收缴情况公示工作。",
            actions=(
                ActionSpec(
                    "record", "登记本月党费", to="remit",
                    fields=(field("period", "所属月份", FieldType.MONTH, max=TODAY),
                            PAYMENTS,
                            field("certificates_filled", "已逐人填写党费证", FieldType.BOOLEAN)),
                    requires=(Require("certificates_filled", True, "须逐人填写党费证。"),),
                    effects=(fx.RECORD_PAYMENTS,),
                ),
                ActionSpec(
                    "annual_publicity", "年度党费收缴情况公示", to="publicity",
                    fields=(YEAR,
                            field("summary", "补充说明(可空)", FieldType.TEXT, public=True,
                                  required=False,
                                  help="公示内容由系统按党费台账生成;如填写说明,"
                                       "须包含系统按台账计算的交纳人数和合计金额")),
                    effects=(fx.ANNUAL_PUBLICITY,),
                ),
            ),
        ),
        StepSpec(
            code="remit", name="汇总交至镇(街道)党委", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY,),
            deadline=Deadline(deadline_days(
                "remit_within", "汇总交至镇党委时限", 30,
                source=local("示范文本只定“汇总所收党费按期交至镇(街道)党委”,未定期限;"
                             "本区定为登记后30天内"))),
            actions=(ActionSpec(
                "remit", "已交至镇(街道)党委", to="receipt",
                fields=(field("amount", "交款金额(元)", FieldType.DECIMAL,
                              default_from=fx.MONTH_TOTAL),
                        field("remitted_on", "交款日期", FieldType.DATE, max=TODAY)),
                effects=(fx.REMIT_TO_TOWNSHIP,),
            ),),
        ),
        StepSpec(
            code="receipt", name="镇(街道)党委出具收据", level=Level.TOWNSHIP, roles=TOWNSHIP,
            back_to=("remit",),
            actions=(ActionSpec(
                "receipt", "出具党费收据", to="district",
                fields=(field("receipt_no", "收据编号"),
                        field("amount", "收据金额(元)", FieldType.DECIMAL,
                              default_from=fx.MONTH_TOTAL),
                        file_field("receipt", "党费收据")),
                effects=(fx.ISSUE_RECEIPT,),
            ),),
        ),
        StepSpec(
            code="district", name="全额上缴区委组织部", level=Level.TOWNSHIP, roles=TOWNSHIP,
            actions=(ActionSpec(
                "remit", "已全额上缴", to=None, outcome="党费已全额上缴区委组织部",
                fields=(field("amount", "上缴金额(元)", FieldType.DECIMAL,
                              default_from=fx.MONTH_TOTAL),
                        field("remitted_on", "上缴日期", FieldType.DATE, max=TODAY),
                        field("voucher_no", "上缴凭证编号"),
                        file_field("voucher", "上缴凭证")),
                effects=(fx.REMIT_TO_DISTRICT,),
            ),),
        ),
        StepSpec(
            code="publicity", name="党费收缴情况公示", level=Level.VILLAGE,
            roles=(Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY),
            publicity=Publicity(days=days("dues_publicity_days", "党费收缴公示期", 7,
                                          source=local("示范文本只定“每年做好党费收缴情况"
                                                       "公示工作”,未定天数;本区定为不少于7天")),
                                title="党费收缴情况公示",
                                content_fields=("collect.summary",)),
            actions=(ActionSpec("publicity_done", "公示期满,归档", to=None,
                                outcome="年度党费收缴情况已公示",
                                fields=(*posting_fields(),
                                        field("archived", "公示材料已归档", FieldType.BOOLEAN)),
                                checklist=("archived",)),
                     *publicity_side_actions()),
        ),
    ),
))

"""06 涉农惠农(耕地地力保护补贴).

The township prints last year's household forms and hands them to the village → the
village fills in the roster and publicises it (a local 7 days) → the township checks it →
the district agriculture bureau reviews and reports it → the city bureau → the
provincial department → the provincial finance department issues the quota → the
district finance bureau pays each household directly. The city and provincial
steps are outside the tree: the district agriculture bureau records their answers.
"""

from __future__ import annotations

from core.roles import Level, Role
from subsidies.choices import PROCEDURE
from subsidies.effects import (
    CONFIRM_PAYOUT,
    IMPORT_ROSTER,
    RECORD_PAYEE_LIST,
    ROSTER_PAYEES,
    TYPED_ROWS,
)
from subsidies.registers import ROSTER_REGISTER_COLUMNS, roster_register_rows
from subsidies.tables import MAX_ROWS, PAYEE_COLUMNS, ROSTER_COLUMNS
from workflows.attachments import XLSX
from workflows.common import VILLAGE_MEASURES
from workflows.registers import RegisterSpec
from workflows.registers import register as register_ledger
from workflows.registry import registry
from workflows.spec import (
    DOCUMENTS,
    TODAY,
    ActionSpec,
    Deadline,
    FieldSpec,
    FieldType,
    Format,
    ProcedureSpec,
    Require,
    RequiredIf,
    Risk,
    RiskKind,
    StepSpec,
    days,
    deadline_days,
    field,
    file_field,
    local,
    notice_step,
)

# The model text names the publicity ("村将公示后清册表报送") and its risk "公开达不到时间",
# but no number: every number of 06 is the district's own.
PUBLICITY_DAYS = days("subsidy_publicity_days", "农户清册公示时间", 7, source=local(
    "示范文本只写“公示后清册表报送”及风险“公开达不到时间”,未规定天数;"
    "本区按村务公开的通常做法,不少于7天"))
TOWNSHIP_CHECK = deadline_days("township_check_days", "镇人民政府审核时限", 10, source=local(
    "示范文本未规定审核时限;本区给镇人民政府10天,防止“拨付补贴资金不及时”"))
DISTRICT_REVIEW = deadline_days("district_review_days", "区农业农村局审核时限", 15,
                                source=local("示范文本未规定审核时限;本区给区农业农村局15天"))
PAYMENT = deadline_days("payment_days", "区财政局收到指标后发放到户的时限", 30, source=local(
    "示范文本未规定发放时限;本区要求区财政局收到指标后30天内直接发放到户"))

ROSTER_HELP = f"Excel表格第一行为表头,须包含:{'、'.join(ROSTER_COLUMNS)}"
PAYEE_HELP = f"Excel表格第一行为表头,须包含:{'、'.join(PAYEE_COLUMNS)}"


def household_rows(name: str, label: str, value: FieldSpec, *, help: str, by: str,
                   default_from: str = "") -> FieldSpec:
    """A roster typed in the form instead of uploaded: one household a row (户主, 身份证号,
    and the area or the amount), as many rows as an uploaded sheet may have; required when
    the choice ``by`` says the rows are typed."""
    return field(name, label, FieldType.TABLE, required=False, max_rows=MAX_ROWS, help=help,
                 required_if=RequiredIf(by, BY_ROWS), min_rows=1, default_from=default_from,
                 columns=(field("name", ROSTER_COLUMNS[0], max_length=64),
                          field("id_number", ROSTER_COLUMNS[1], format=Format.ID_NUMBER),
                          value))


# how a list reaches the portal: typed (or pasted, or imported into the row editor) or as
# the Excel file itself; the one chosen is required, the other is left out
BY_ROWS, BY_FILE = "rows", "xlsx"


def list_by(name: str, label: str) -> FieldSpec:
    """Optional (a client of before may still send either, and exactly one is checked);
    proposed: the rows."""
    return field(name, label, FieldType.CHOICE, required=False, default_from=TYPED_ROWS,
                 choices=((BY_ROWS, "逐户填写(可从Excel复制粘贴或导入)"),
                          (BY_FILE, "上传Excel表格")))


ROSTER_ROWS = household_rows(
    "roster_rows", "逐户填写的清册",
    field("area", ROSTER_COLUMNS[2], FieldType.DECIMAL, min="0.01", max="999999.99"),
    help="不上传Excel的,逐户填写(也可从Excel复制粘贴);补贴金额由系统按面积×标准计算",
    by="roster_by")
PAYEE_ROWS = household_rows(
    "payees", "逐户填写的发放明细",
    field("amount", PAYEE_COLUMNS[2], FieldType.DECIMAL, min="0.01", max="9999999999.99"),
    help="不上传Excel的,逐户填写(也可从Excel复制粘贴);系统逐户与公示的清册比对;"
         "表中预先列出公示清册的每户及其应发金额,按实际发放核对修改",
    by="payees_by", default_from=ROSTER_PAYEES)


def _confirmation(code: str, name: str, to: str, what: str) -> StepSpec:
    """A step outside the tree, recorded by the district agriculture bureau on its answer."""
    return StepSpec(
        code=code, name=name, level=Level.DISTRICT, roles=(Role.DISTRICT_AGRICULTURE,),
        description=f"由区农业农村局登记{what}的审核回执。",
        actions=(ActionSpec(
            "confirm", f"登记{what}审核完成", to=to,
            fields=(
                field("confirmed_on", "回执日期", FieldType.DATE, max=TODAY),
                field("reference", "文号或系统流水号"),
                file_field("receipt", "回执或系统截图", required=False),
            ),
        ),),
    )


FARMLAND_SUBSIDY = registry.register(ProcedureSpec(
    code=PROCEDURE,
    name="涉农惠农(耕地地力保护补贴)",
    title_example="2026年耕地地力保护补贴发放",
    category="日常管理",
    guiding_units=("区农业农村局", "区财政局"),
    guiding_roles=(Role.DISTRICT_AGRICULTURE, Role.DISTRICT_FINANCE),
    supervisor="镇人民政府、区农业农村局,区财政局",
    summary="各镇通过农补平台打印上年度农户登记表发放至各村,村将公示后的清册报镇人民政府,"
            "经区农业农村局、市农业农村局、省农业农村厅审核,省财政厅下达指标,"
            "区财政局通过系统将补贴资金直接发放至农户。",
    risks=(
        Risk("公开达不到时间,虚假公开",
             "清册导入后自动开始公示,公示不少于{subsidy_publicity_days}(区、镇只能延长),"
             "期满前系统拒绝报镇审核"
             "并向监督委员会预警;结束公示须上传张贴照片;公示内容由系统按清册生成(身份证号脱敏),"
             "经办人不能改写;异议未答复不能进入下一步"),
        Risk("未经农户同意,擅自将补贴留用村集体",
             "区财政局导入的发放明细逐户与公示清册比对:收款人不在清册中的,立即向村(居)务监督委员会"
             "和镇纪委预警,且系统拒绝确认发放;发放总额和每户金额须与清册一致,否则拒绝",
             kind=RiskKind.ALERT),
        Risk("拨付补贴资金不及时,资料审核不严",
             "镇审核(时限{township_check_days})、区审核(时限{district_review_days})和发放"
             "(时限{payment_days})环节设办理时限,到期前提醒、逾期上报;清册导入逐行校验"
             "(身份证号位数和校验位、面积、重复农户),金额由系统按面积×标准计算到分;"
             "镇、区均可退回重新核实"),
    ),
    measures=VILLAGE_MEASURES,
    steps=(
        StepSpec(
            code="issue_forms", name="镇打印上年度农户登记表发放至村", level=Level.TOWNSHIP,
            roles=(Role.TOWNSHIP_GOVERNMENT,),
            description="各镇通过农补平台打印“上年度耕地地力保护补贴资金农户登记表”发放至各村。",
            actions=(ActionSpec(
                "issue", "发放登记表", to="roster",
                fields=(
                    field("year", "补贴年度", FieldType.INTEGER, min=2000, max=2100),
                    field("rate", "补贴标准(元/亩)", FieldType.DECIMAL, min="0.01"),
                    field("handed_on", "发放至村日期", FieldType.DATE, max=TODAY),
                    file_field("forms", "上年度农户登记表", accept=DOCUMENTS),
                ),
            ),),
        ),
        StepSpec(
            code="roster", name="村核实填报农户清册", level=Level.VILLAGE,
            roles=(Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER),
            description="村按登记表逐户核实户主、身份证号和面积,上传清册;"
                        "补贴金额由系统按面积×标准计算。",
            actions=(ActionSpec(
                "submit_roster", "导入清册并开始公示", to="village_publicity",
                fields=(
                    list_by("roster_by", "清册填报方式"),
                    file_field("roster_file", "农户清册(Excel)", required=False,
                               accept=(XLSX,), help=ROSTER_HELP,
                               required_if=RequiredIf("roster_by", BY_FILE)),
                    ROSTER_ROWS,
                ),
                effects=(IMPORT_ROSTER,),
            ),),
        ),
        notice_step(
            "village_publicity", "村公示农户清册", days=PUBLICITY_DAYS,
            title="耕地地力保护补贴农户清册公示", done="公示期满,报送镇人民政府",
            to="township_check", back_to=("roster",),
            description="在村(居)务公开栏公示农户清册,公示不少于{subsidy_publicity_days};"
                        "有异议的核实后退回重新填报。",
        ),
        StepSpec(
            code="township_check", name="镇人民政府审核", level=Level.TOWNSHIP,
            roles=(Role.TOWNSHIP_GOVERNMENT,), back_to=("roster",),
            deadline=Deadline(period=TOWNSHIP_CHECK),
            description="镇人民政府审核公示后的清册,审核无误后报区农业农村局。",
            actions=(ActionSpec(
                "approve", "审核无误,报区农业农村局", to="district_review",
                fields=(
                    field("checked", "已逐户核对清册与登记表、公示无异议", FieldType.BOOLEAN),
                    field("opinion", "审核意见", FieldType.TEXT),
                ),
                requires=(Require("checked", True, "须逐户核对清册后方可上报。"),),
            ),),
        ),
        StepSpec(
            code="district_review", name="区农业农村局审核,上报市农业农村局",
            level=Level.DISTRICT, roles=(Role.DISTRICT_AGRICULTURE,),
            back_to=("township_check",), deadline=Deadline(period=DISTRICT_REVIEW),
            description="区农业农村局审核完成后上报至市农业农村局。",
            actions=(ActionSpec(
                "approve", "审核完成,上报市农业农村局", to="city_review",
                fields=(
                    field("reported_on", "上报日期", FieldType.DATE, max=TODAY),
                    field("opinion", "审核意见", FieldType.TEXT),
                ),
            ),),
        ),
        _confirmation("city_review", "市农业农村局审核", "province_review", "市农业农村局"),
        _confirmation("province_review", "省农业农村厅审核,补贴资金使用计划提交省财政厅",
                      "province_finance", "省农业农村厅"),
        StepSpec(
            code="province_finance", name="省财政厅下达指标至区财政局", level=Level.DISTRICT,
            roles=(Role.DISTRICT_AGRICULTURE,),
            description="省财政厅根据省农业农村厅提交的补贴明细,将指标下发至区财政局;"
                        "由区农业农村局登记指标下达情况。",
            actions=(ActionSpec(
                "confirm", "登记指标下达", to="payment_list",
                fields=(
                    field("confirmed_on", "指标下达日期", FieldType.DATE, max=TODAY),
                    field("reference", "指标文号"),
                ),
            ),),
        ),
        StepSpec(
            code="payment_list", name="区财政局导入发放明细", level=Level.DISTRICT,
            roles=(Role.DISTRICT_FINANCE,), deadline=Deadline(period=PAYMENT),
            description="区财政局从发放系统导出发放明细导入;系统逐户与公示清册比对。",
            actions=(ActionSpec(
                "import_payees", "导入发放明细", to="payment",
                fields=(
                    list_by("payees_by", "发放明细填报方式"),
                    file_field("payees_file", "发放明细(Excel)", required=False,
                               accept=(XLSX,), help=PAYEE_HELP,
                               required_if=RequiredIf("payees_by", BY_FILE)),
                    PAYEE_ROWS,
                ),
                effects=(RECORD_PAYEE_LIST,),
            ),),
        ),
        StepSpec(
            code="payment", name="区财政局直接发放至农户", level=Level.DISTRICT,
            roles=(Role.DISTRICT_FINANCE,), back_to=("payment_list",),
            description="区财政局通过系统将补贴资金直接发放至农户,不经村集体。",
            actions=(ActionSpec(
                "pay", "确认已直接发放到户", to=None, outcome="补贴资金已直接发放到户",
                fields=(
                    field("paid_on", "发放日期", FieldType.DATE, max=TODAY),
                    file_field("voucher", "发放凭证", required=False),
                ),
                effects=(CONFIRM_PAYOUT,),
            ),),
        ),
    ),
))

register_ledger(RegisterSpec(
    code="farmland_subsidy_roster",
    name="耕地地力保护补贴农户清册",
    procedure=PROCEDURE,
    columns=ROSTER_REGISTER_COLUMNS,
    rows=roster_register_rows,
))

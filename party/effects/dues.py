"""Effects of 01.2 党费收缴: the ledger lines, the remittance, the receipt, the district."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import dates
from core.errors import RuleError
from core.models import Region
from party.choices import DuesCategory
from party.effects.common import actor_name, member_named, month_text
from party.models import DuesPayment, DuesRemittance, PartyMember
from workflows.effects import EffectContext, effect
from workflows.fields import FieldErrors
from workflows.proposals import register_proposal
from workflows.spec import EffectFn

CENT = Decimal("0.01")

# [law] 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(2008):
# 在职党员按税后月工资收入 — 3000元以下(含) 0.5%, 3000–5000元(含) 1%, 5000–10000元(含) 1.5%,
# 10000元以上 2%; 离退休党员 — 5000元以下(含) 0.5%, 5000元以上 1%;
# 农民、学生、下岗失业和领取最低生活保障金的党员每月交纳0.2元至1元; 党员自愿多交党费不限.
INCOME_BANDS: dict[str, tuple[tuple[Decimal | None, Decimal], ...]] = {
    DuesCategory.EMPLOYED: ((Decimal(3000), Decimal("0.005")), (Decimal(5000), Decimal("0.01")),
                            (Decimal(10000), Decimal("0.015")), (None, Decimal("0.02"))),
    DuesCategory.RETIRED: ((Decimal(5000), Decimal("0.005")), (None, Decimal("0.01"))),
}
FLAT_MINIMUM = Decimal("0.20")


@dataclass(frozen=True)
class Payment:
    """A checked line of the dues ledger, before it is written."""

    member: PartyMember
    category: str
    income: Decimal | None
    standard: Decimal
    amount: Decimal


def standard_for(category: str, income: Decimal | None, *,
                 field: str = "payments") -> Decimal:
    """The least a member of ``category`` with ``income`` must pay for a month."""
    bands = INCOME_BANDS.get(category)
    if bands is None:
        return FLAT_MINIMUM
    if income is None:
        raise RuleError("income_missing", _("在职和离退休党员须填写月收入基数。"), field=field)
    for limit, rate in bands:
        if limit is None or income <= limit:
            return (income * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    raise AssertionError("the last band has no limit")


def _payment(ctx: EffectContext, i: int, row: dict[str, Any], period: str,
             seen: set[int]) -> Payment:
    """Row ``i`` of the table (its cells typed and bounded by their columns): a member of
    the register, once a month, at least the uniform standard."""
    where = f"payments[{i}]"
    member = member_named(ctx.case.region, row.get("member"), field=f"{where}.member")
    if member.pk in seen or DuesPayment.objects.filter(member=member, period=period).exists():
        raise RuleError("dues_duplicate", _("%(member)s%(period)s的党费已经登记。")
                                          % {"member": member.name, "period": period},
                        field=f"{where}.member")
    seen.add(member.pk)
    category = str(row["category"])
    income: Decimal | None = row.get("income")
    standard = standard_for(category, income, field=f"{where}.income")
    amount: Decimal = row.get("amount") or standard
    if row.get("amount") is None:
        # left blank: the standard, recorded in the event as if typed (the record says
        # what was paid, whoever computed it)
        row["amount"] = amount
        raw = ctx.raw.get("payments")
        if isinstance(raw, list) and i < len(raw) and isinstance(raw[i], dict):
            raw[i]["amount"] = str(amount)
    label = DuesCategory(category).label
    if amount < standard:
        raise RuleError("dues_below_standard",
                        _("%(member)s按%(label)s标准每月应交%(standard)s元,登记为%(amount)s元。")
                        % {"member": member.name, "label": label, "standard": standard,
                           "amount": amount},
                        field=f"{where}.amount")
    # 党员自愿多交党费不限 (the 2008 dues rules): an amount above the standard (for the flat
    # categories, above 1元 a month) is what the member chose to pay, recorded as paid
    return Payment(member, category, income, standard, amount)


def _check_payments(ctx: EffectContext) -> None:
    """Every row of the table checked; all the refusals at once, each naming its cell."""
    period = month_text(ctx.data["period"])  # a month begun: the field's bound (max=TODAY)
    seen: set[int] = set()
    payments: list[Payment] = []
    errors: list[RuleError] = []
    for i, row in enumerate(ctx.data["payments"]):
        try:
            payments.append(_payment(ctx, i, row, period, seen))
        except RuleError as err:
            errors.append(err)
    if errors:
        raise FieldErrors(errors) if len(errors) > 1 else errors[0]
    ctx.scratch["period"] = period
    ctx.scratch["payments"] = payments


def _record_payments(ctx: EffectContext) -> None:
    """The month's lines of the dues ledger, and the month's remittance to the township."""
    payments: list[Payment] = ctx.scratch["payments"]
    remittance = DuesRemittance.objects.create(
        region=ctx.case.region, case=ctx.case, period=ctx.scratch["period"],
        total=sum((p.amount for p in payments), Decimal(0)))
    for p in payments:  # one by one: each line gets its history row
        DuesPayment.objects.create(
            region=ctx.case.region, remittance=remittance, member=p.member,
            period=remittance.period, category=p.category, income=p.income,
            standard=p.standard, amount=p.amount, certificate_filled=True,
            recorded_by=actor_name(ctx), recorded_on=timezone.localdate(ctx.at))


RECORD_PAYMENTS = effect("party.record_payments", check=_check_payments,
                         apply=_record_payments)


def _month_total(case: Any) -> str | None:
    """What the month's ledger totals: the amount the remittance, the receipt and the
    district's voucher must each show."""
    total = (DuesRemittance.objects.filter(case=case).values_list("total", flat=True).first())
    return None if total is None else str(total)


MONTH_TOTAL = register_proposal("party.month_total", _month_total)


def _remittance(ctx: EffectContext) -> DuesRemittance:
    if "remittance" not in ctx.scratch:
        ctx.scratch["remittance"] = DuesRemittance.objects.select_for_update().get(case=ctx.case)
    found: DuesRemittance = ctx.scratch["remittance"]
    return found


def _same_amount(what: str) -> EffectFn:
    """A check: the amount sent equals the ledger's total for the month. ``what`` is a msgid
    (marked with gettext_noop), translated when a refusal is raised."""

    def check(ctx: EffectContext) -> None:
        expected = _remittance(ctx).total
        got: Decimal = ctx.data["amount"]
        if got != expected:
            raise RuleError("amount_mismatch", _("%(what)s%(got)s元与应为的%(expected)s元不符。")
                            % {"what": _(what), "got": got, "expected": expected}, field="amount")

    return check


def _remit_to_township(ctx: EffectContext) -> None:
    remittance = _remittance(ctx)
    remittance.remitted_on = ctx.data["remitted_on"]
    remittance.save()


REMIT_TO_TOWNSHIP = effect("party.remit_to_township",
                           check=_same_amount(gettext_noop("交至镇(街道)党委的金额")),
                           apply=_remit_to_township)


def _issue_receipt(ctx: EffectContext) -> None:
    remittance = _remittance(ctx)
    remittance.receipt_no = str(ctx.data.get("receipt_no", ""))
    remittance.receipt_amount = remittance.total
    remittance.save()


ISSUE_RECEIPT = effect("party.issue_receipt", check=_same_amount(gettext_noop("收据金额")),
                       apply=_issue_receipt)


def _remit_to_district(ctx: EffectContext) -> None:
    remittance = _remittance(ctx)
    remittance.district_remitted_on = ctx.data["remitted_on"]
    remittance.district_voucher = str(ctx.data.get("voucher_no", ""))
    remittance.save()


REMIT_TO_DISTRICT = effect("party.remit_to_district",
                           check=_same_amount(gettext_noop("上缴区委组织部的金额(须全额上缴)")),
                           apply=_remit_to_district)


def _check_year_ledger(ctx: EffectContext) -> None:
    """The year's ledger has lines, every month its receipt, and a remark agrees with it."""
    year = int(ctx.data.get("year", 0))
    if year > dates.today().year or year < dt.MINYEAR:
        raise RuleError("invalid_field", _("年度不正确。"), field="year")
    if not DuesPayment.objects.filter(region=ctx.case.region,
                                      period__startswith=f"{year}-").exists():
        raise RuleError("ledger_empty", _("%(year)s年度党费台账没有收缴记录,无从公示。")
                                        % {"year": year},
                        field="year")
    open_rows = DuesRemittance.objects.filter(region=ctx.case.region,
                                              period__startswith=f"{year}-",
                                              receipt_no="").count()
    if open_rows:
        raise RuleError("receipt_missing",
                        _("%(year)s年度有%(open_rows)s个月的党费尚未取得镇(街道)党委收据,补齐凭证后"
                          "再公示。")
                        % {"year": year, "open_rows": open_rows}, field="year")
    expected = year_summary(ctx.case.region.pk, year)
    remark = str(ctx.data.get("summary") or "").strip()
    if remark and expected not in remark:
        raise RuleError("publicity_mismatch",
                        _("公示内容须与党费台账一致,应包含“%(expected)s”。")
                        % {"expected": expected}, field="summary")
    # the notice the step opens shows what the ledger says (the remark at its end)
    ctx.notice_content = year_notice_text(ctx.case.region, year, remark=remark)


ANNUAL_PUBLICITY = effect("party.annual_dues_publicity", check=_check_year_ledger)


def year_summary(region_id: int, year: int) -> str:
    rows = DuesPayment.objects.filter(region_id=region_id, period__startswith=f"{year}-")
    total = sum((p.amount for p in rows), Decimal(0))
    members = rows.values("member").distinct().count()
    return f"{year}年度共{members}名党员交纳党费,合计{total}元。"


def year_notice_text(region: Region, year: int, *, remark: str = "") -> str:
    """The yearly dues notice, generated from the ledger: each member's months and amount,
    each month's collection with the township's receipt and the remittance to the district."""
    payments = (DuesPayment.objects.filter(region=region, period__startswith=f"{year}-")
                .select_related("member"))
    by_member: dict[int, tuple[str, int, Decimal]] = {}
    for p in payments.order_by("member__name", "period"):
        name, months, total = by_member.get(p.member_id, (p.member.name, 0, Decimal(0)))
        by_member[p.member_id] = (name, months + 1, total + p.amount)
    lines = [f"{region.name}党组织{year}年度党费收缴情况公示", year_summary(region.pk, year),
             "一、党员交纳情况", "序号 姓名 交纳月数 交纳金额(元)"]
    for n, (name, months, total) in enumerate(by_member.values(), 1):
        lines.append(f"{n} {name} {months} {total}")
    lines += ["二、按月收缴和上缴情况",
              "月份 收缴合计(元) 交至镇(街道)党委日期 收据号 上缴区委组织部日期"]
    remittances = DuesRemittance.objects.filter(region=region, period__startswith=f"{year}-")
    for r in remittances.order_by("period"):
        lines.append(f"{r.period} {r.total} {r.remitted_on or '未交'} {r.receipt_no or '无'} "
                     f"{r.district_remitted_on or '未上缴'}")
    if remark:
        lines.append(f"说明:{remark}")
    return "\n".join(lines)

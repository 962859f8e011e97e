"""The write side of the farmland subsidy: roster import, payment list, payout confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils import translation

from core.errors import RuleError
from core.idcard import mask_id
from core.models import Region
from subsidies.choices import PayeeColumn, RosterColumn
from subsidies.models import PayoutLine, SubsidyHousehold
from subsidies.tables import CENT, Entry, parse_entries, read_lines, read_xlsx
from workflows.alerts import raise_alert
from workflows.choices import AlertKind, CaseState, NoticeState
from workflows.effects import EffectContext
from workflows.models import PublicityNotice

# The header rows of the uploaded files are Chinese whatever the interface language
# (the labels are lazily translated: read them in Chinese, once).
with translation.override("zh-hans"):
    ROSTER_COLUMNS = tuple(str(c.label) for c in RosterColumn)
    PAYEE_COLUMNS = tuple(str(c.label) for c in PayeeColumn)


def amount_for(area: Decimal, rate: Decimal) -> Decimal:
    """Area × rate, rounded half up to the cent."""
    return (area * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _entries(ctx: EffectContext, *, file_field: str, text_field: str,
             columns: Sequence[str], value_label: str, what: str) -> list[Entry]:
    """Entries from the uploaded XLSX or the pasted lines: exactly one of the two."""
    upload = ctx.attachments.get(file_field)
    text = str(ctx.data.get(text_field) or "").strip()
    if upload is not None and text:
        raise RuleError("invalid_roster", f"请只提供一种{what}:上传Excel表格或粘贴清单。",
                        field=text_field)
    if upload is not None:
        upload.file.open("rb")
        try:
            content = upload.file.read()
        finally:
            upload.file.close()
        rows = read_xlsx(content, columns, field=file_field)
        field = file_field
    elif text:
        rows = read_lines(text, columns, field=text_field)
        field = text_field
    else:
        raise RuleError("missing_attachment",
                        f"请上传{what}Excel表格(列:{'、'.join(columns)}),或粘贴清单。",
                        field=file_field)
    return parse_entries(rows, columns, field=field, value_label=value_label)


def check_forms(ctx: EffectContext) -> None:
    """The township's first step: a positive rate for the year."""
    rate = Decimal(str(ctx.data.get("rate", "0")))
    if rate <= 0:
        raise RuleError("invalid_field", "补贴标准须大于0元/亩。", field="rate")


def import_roster(ctx: EffectContext) -> None:
    """Effect of the village's roster: replace the case's households, then fill the notice."""
    issued = ctx.step_data("issue_forms")
    rate = Decimal(str(issued.get("rate", "0")))
    year = int(issued.get("year", 0))
    entries = _entries(ctx, file_field="roster_file", text_field="roster_rows",
                       columns=ROSTER_COLUMNS, value_label="面积", what="农户清册")
    SubsidyHousehold.objects.filter(case=ctx.case).delete()
    households = [
        SubsidyHousehold(case=ctx.case, region=ctx.case.region, year=year, seq=i,
                         name=e.name, id_number=e.id_number, area=e.value, rate=rate,
                         amount=amount_for(e.value, rate))
        for i, e in enumerate(entries, 1)
    ]
    SubsidyHousehold.objects.bulk_create(households)
    notice = (PublicityNotice.objects.filter(case=ctx.case, state=NoticeState.RUNNING)
              .order_by("-start").first())
    if notice is not None:
        notice.content = public_roster_text(households, rate)
        notice.save(update_fields=["content"])


def public_roster_text(households: Sequence[SubsidyHousehold], rate: Decimal) -> str:
    """The roster as the public sees it: ID numbers masked, total at the foot."""
    lines = [f"补贴标准:{rate}元/亩", "序号 户主姓名 身份证号 面积(亩) 补贴金额(元)"]
    total_area = Decimal(0)
    total = Decimal(0)
    for h in households:
        lines.append(f"{h.seq} {h.name} {mask_id(h.id_number)} {h.area} {yuan(h.amount)}")
        total_area += h.area
        total += h.amount
    lines.append(f"合计:{len(households)}户,面积{total_area}亩,补贴金额{yuan(total)}元")
    return "\n".join(lines)


def roster_total(case_id: int) -> Decimal:
    total = SubsidyHousehold.objects.filter(case_id=case_id).aggregate(t=Sum("amount"))["t"]
    return total or Decimal(0)


def _mismatches(case_id: int, lines: Iterable[tuple[str, Decimal]]) -> list[str]:
    """Households paid other than their roster amount (or not paid), as Chinese lines."""
    paid: dict[str, Decimal] = {}
    for id_number, amount in lines:
        paid[id_number] = paid.get(id_number, Decimal(0)) + amount
    problems = []
    for h in SubsidyHousehold.objects.filter(case_id=case_id).order_by("seq"):
        got = paid.get(h.id_number, Decimal(0))
        if got != h.amount:
            problems.append(f"{h.name}({mask_id(h.id_number)})应发{yuan(h.amount)}元,"
                            f"清单为{yuan(got)}元")
    return problems


def record_payee_list(ctx: EffectContext) -> None:
    """Effect of the finance bureau's payment list.

    Every line is kept. A payee who is not a household of the roster (the subsidy kept by
    the collective, or paid to someone else) raises an alert at once and blocks the payout
    confirmation; otherwise the list must match the roster to the cent or it is refused.
    """
    entries = _entries(ctx, file_field="payees_file", text_field="payees",
                       columns=PAYEE_COLUMNS, value_label="发放金额", what="发放明细")
    roster = {h.id_number: h for h in SubsidyHousehold.objects.filter(case=ctx.case)}
    PayoutLine.objects.filter(case=ctx.case).delete()
    PayoutLine.objects.bulk_create([
        PayoutLine(case=ctx.case, region=ctx.case.region, seq=i, name=e.name,
                   id_number=e.id_number, amount=e.value, household=roster.get(e.id_number))
        for i, e in enumerate(entries, 1)
    ])
    strangers = [e for e in entries if e.id_number not in roster]
    if strangers:
        names = "、".join(f"{e.name}({mask_id(e.id_number)},{yuan(e.value)}元)"
                         for e in strangers[:5])
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=f"耕地地力保护补贴“{ctx.case.title}”的发放明细中有{len(strangers)}名"
                            f"收款人不在公示的农户清册中:{names}。可能未经农户同意将补贴留用村集体"
                            "或发放给他人,系统已拒绝确认发放。",
                    key=f"subsidy-payee:{ctx.case.pk}:{ctx.event.seq}")
        return
    check_payout_matches(ctx.case.pk, entries)


def check_payout_matches(case_id: int, entries: Sequence[Entry]) -> None:
    total = sum((e.value for e in entries), Decimal(0))
    expected = roster_total(case_id)
    if total != expected:
        raise RuleError("payout_mismatch",
                        f"发放总额{yuan(total)}元与公示清册合计{yuan(expected)}元不符,"
                        "须与清册一致。", field="payees")
    problems = _mismatches(case_id, ((e.id_number, e.value) for e in entries))
    if problems:
        raise RuleError("payout_mismatch",
                        "发放明细与公示清册不符:" + ";".join(problems[:5]) + "。", field="payees")


def confirm_payout(ctx: EffectContext) -> None:
    """Effect of the payout confirmation: refused while the list is not the roster."""
    lines = list(PayoutLine.objects.filter(case=ctx.case).order_by("seq"))
    strangers = [line for line in lines if line.household_id is None]
    if strangers:
        raise RuleError("payee_not_on_roster",
                        f"发放明细中有{len(strangers)}名收款人不在公示的农户清册中"
                        f"(如{strangers[0].name},{mask_id(strangers[0].id_number)}),"
                        "不能确认发放;请退回重新导入发放明细。")
    entries = [Entry(line.seq, line.name, line.id_number, line.amount) for line in lines]
    check_payout_matches(ctx.case.pk, entries)
    paid_on = dt.date.fromisoformat(str(ctx.data.get("paid_on"))[:10])
    for line in lines:
        if line.household_id is not None:
            SubsidyHousehold.objects.filter(pk=line.household_id).update(
                paid_amount=line.amount, paid_on=paid_on)


ROSTER_REGISTER_COLUMNS = (
    ("year", "年度"), ("seq", "序号"), ("name", "户主姓名"), ("id_number", "身份证号"),
    ("area", "面积(亩)"), ("rate", "补贴标准(元/亩)"), ("amount", "补贴金额(元)"),
    ("paid_amount", "实发金额(元)"), ("paid_on", "发放日期"),
)


def roster_register_rows(region: Region) -> Iterable[Sequence[Any]]:
    rows = (SubsidyHousehold.objects.filter(region=region)
            .exclude(case__state=CaseState.WITHDRAWN)
            .order_by("-year", "case_id", "seq"))
    for h in rows.iterator(2000):
        yield (h.year, h.seq, h.name, mask_id(h.id_number), h.area, h.rate, h.amount,
               h.paid_amount if h.paid_amount is not None else "", h.paid_on or "")

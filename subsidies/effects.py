"""The rule checks and register writes of the farmland subsidy: roster import, payment list,
payout confirmation.

Each check reads and checks what was sent (an uploaded XLSX or a table typed in the
form, row by row, against the roster) before anything is stored, and keeps what it read in
``ctx.scratch``; each apply writes the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import RuleError
from core.idcard import mask_id
from core.listing import listed
from subsidies.models import PayoutLine, SubsidyHousehold
from subsidies.tables import (
    CENT,
    PAYEE_COLUMNS,
    ROSTER_COLUMNS,
    Entry,
    parse_entries,
    read_xlsx,
    table_entries,
)
from workflows.alerts import raise_alert
from workflows.choices import AlertKind
from workflows.effects import EffectContext, effect
from workflows.messages import Text
from workflows.proposals import register_proposal

ISSUED = "issue_forms"


def amount_for(area: Decimal, rate: Decimal) -> Decimal:
    """Area × rate, rounded half up to the cent."""
    return (area * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _entries(ctx: EffectContext, *, by_field: str, file_field: str, table_field: str,
             columns: Sequence[str], value_key: str, value_label: str,
             what: str) -> list[Entry]:
    """Entries from the uploaded XLSX (checked, not stored yet) or the table typed in the
    form: exactly one of the two."""
    upload = ctx.uploads.get(file_field)
    rows = ctx.data.get(table_field) or []
    by = ctx.data.get(by_field)
    if by == "xlsx":  # the file chosen: rows the form proposed are not the list
        rows = []
    elif by == "rows" and upload is not None:
        raise RuleError("invalid_roster", _("已选择逐户填写%(what)s,请不要同时上传Excel表格。")
                                          % {"what": what},
                        field=file_field)
    if upload is not None and rows:
        raise RuleError("invalid_roster", _("请只提供一种%(what)s:上传Excel表格或逐户填写。")
                                          % {"what": what},
                        field=table_field)
    if upload is not None:
        file = upload[0]
        file.seek(0)
        content = bytes(file.read())
        file.seek(0)
        return parse_entries(read_xlsx(content, columns, field=file_field), columns,
                             field=file_field, value_label=value_label)
    if rows:
        return table_entries(rows, field=table_field, value_key=value_key)
    raise RuleError("missing_attachment",
                    _("请上传%(what)sExcel表格(列:%(items)s),或逐户填写。")
                    % {"what": what, "items": listed(columns)},
                    field=file_field)


# --- the village's roster -----------------------------------------------------------------


def _households(ctx: EffectContext, entries: Sequence[Entry]) -> list[SubsidyHousehold]:
    issued = ctx.step_values(ISSUED)
    rate = Decimal(str(issued.get("rate") or 0))
    year = int(issued.get("year") or 0)
    return [
        SubsidyHousehold(case=ctx.case, region=ctx.case.region, year=year, seq=i,
                         name=e.name, id_number=e.id_number, area=e.value, rate=rate,
                         amount=amount_for(e.value, rate))
        for i, e in enumerate(entries, 1)
    ]


def _check_roster(ctx: EffectContext) -> None:
    """Parse the roster and build the public text of the notice the step opens (so the
    window's fact in the event covers what the board shows)."""
    entries = _entries(ctx, by_field="roster_by", file_field="roster_file",
                       table_field="roster_rows", columns=ROSTER_COLUMNS, value_key="area",
                       value_label=_("面积"), what=_("农户清册"))
    ctx.scratch["households"] = households = _households(ctx, entries)
    rate = Decimal(str(ctx.step_values(ISSUED).get("rate") or 0))
    ctx.notice_content = public_roster_text(households, rate)


def _write_roster(ctx: EffectContext) -> None:
    """Replace the case's households."""
    SubsidyHousehold.objects.filter(case=ctx.case).delete()
    SubsidyHousehold.objects.bulk_create(ctx.scratch["households"])


IMPORT_ROSTER = effect("subsidies.import_roster", check=_check_roster, apply=_write_roster,
                       reads=(ISSUED,))


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


# --- the finance bureau's payment list and payout --------------------------------------------


def _roster_payees(case: Any) -> list[dict[str, str]] | None:
    """The payment list the roster fixes: each household of the published roster with the
    amount it is owed, for the finance bureau to check against what it paid."""
    rows = [{"name": h.name, "id_number": h.id_number, "amount": str(h.amount)}
            for h in SubsidyHousehold.objects.filter(case=case).order_by("seq")]
    return rows or None


ROSTER_PAYEES = register_proposal("subsidies.roster_payees", _roster_payees)
# how a list is given, proposed: typed rows (the row editor also pastes and imports Excel)
TYPED_ROWS = register_proposal("subsidies.typed_rows", lambda case: "rows")


def roster_total(case_id: int) -> Decimal:
    total = SubsidyHousehold.objects.filter(case_id=case_id).aggregate(t=Sum("amount"))["t"]
    return total or Decimal(0)


def _mismatches(case_id: int, lines: Iterable[tuple[str, Decimal]]) -> list[str]:
    """Households paid other than their roster amount (or not paid), one line each in the
    active language (parts of a refusal's detail)."""
    paid: dict[str, Decimal] = {}
    for id_number, amount in lines:
        paid[id_number] = paid.get(id_number, Decimal(0)) + amount
    problems = []
    for h in SubsidyHousehold.objects.filter(case_id=case_id).order_by("seq"):
        got = paid.get(h.id_number, Decimal(0))
        if got != h.amount:
            problems.append(_("%(name)s(%(id_number)s)应发%(amount)s元,清单为%(paid)s元")
                            % {"name": h.name, "id_number": mask_id(h.id_number),
                               "amount": yuan(h.amount), "paid": yuan(got)})
    return problems


def check_payout_matches(case_id: int, entries: Sequence[Entry]) -> None:
    total = sum((e.value for e in entries), Decimal(0))
    expected = roster_total(case_id)
    if total != expected:
        raise RuleError("payout_mismatch",
                        _("发放总额%(amount)s元与公示清册合计%(expected)s元不符,须与清册一致。")
                        % {"amount": yuan(total), "expected": yuan(expected)}, field="payees")
    problems = _mismatches(case_id, ((e.id_number, e.value) for e in entries))
    if problems:
        raise RuleError("payout_mismatch", _("发放明细与公示清册不符:%(lines)s。")
                        % {"lines": _(";").join(problems[:5])}, field="payees")


def _check_payee_list(ctx: EffectContext) -> None:
    """The list must match the roster to the cent — unless a payee is not a household of the
    roster at all: that list is kept as evidence (and blocks the payout confirmation)."""
    entries = _entries(ctx, by_field="payees_by", file_field="payees_file", table_field="payees",
                       columns=PAYEE_COLUMNS, value_key="amount", value_label=_("发放金额"),
                       what=_("发放明细"))
    roster = dict(SubsidyHousehold.objects.filter(case=ctx.case)
                  .values_list("id_number", "pk"))
    strangers = [e for e in entries if e.id_number not in roster]
    if not strangers:
        check_payout_matches(ctx.case.pk, entries)
    ctx.scratch.update(entries=entries, roster=roster, strangers=strangers)


def _write_payee_list(ctx: EffectContext) -> None:
    """Every line is kept; a payee not on the roster (the subsidy kept by the collective, or
    paid to someone else) raises an alert at once."""
    entries: list[Entry] = ctx.scratch["entries"]
    roster: dict[str, int] = ctx.scratch["roster"]
    strangers: list[Entry] = ctx.scratch["strangers"]
    PayoutLine.objects.filter(case=ctx.case).delete()
    PayoutLine.objects.bulk_create([
        PayoutLine(case=ctx.case, region=ctx.case.region, seq=i, name=e.name,
                   id_number=e.id_number, amount=e.value, household_id=roster.get(e.id_number))
        for i, e in enumerate(entries, 1)
    ])
    if strangers:
        assert ctx.event is not None  # an apply runs after the event is written
        # each payee a template of its own: the alert is read in each supervisor's language
        names = [Text(gettext_noop("{name}({id_number},{amount}元)"), name=e.name,
                      id_number=mask_id(e.id_number), amount=yuan(e.value))
                 for e in strangers[:5]]
        raise_alert(kind=AlertKind.DOMAIN, case=ctx.case, actor=ctx.actor,
                    message=Text(gettext_noop("耕地地力保护补贴“{title}”的发放明细中有{count}名"
                                              "收款人不在公示的农户清册中:{names}。可能未经农户"
                                              "同意将补贴留用村集体或发放给他人,系统已拒绝确认发放。"),
                                 title=ctx.case.title, count=len(strangers), names=names),
                    key=f"subsidy-payee:{ctx.case.pk}:{ctx.event.seq}")


RECORD_PAYEE_LIST = effect("subsidies.record_payee_list", check=_check_payee_list,
                           apply=_write_payee_list)


def _check_payout(ctx: EffectContext) -> None:
    """Refused while the payment list is not the roster."""
    lines = list(PayoutLine.objects.filter(case=ctx.case).order_by("seq"))
    strangers = [line for line in lines if line.household_id is None]
    if strangers:
        raise RuleError("payee_not_on_roster",
                        _("发放明细中有%(n)s名收款人不在公示的农户清册中(如%(name)s,%(id_number)s),"
                          "不能确认发放;请退回重新导入发放明细。")
                        % {"n": len(strangers), "name": strangers[0].name,
                           "id_number": mask_id(strangers[0].id_number)})
    check_payout_matches(ctx.case.pk, [Entry(line.seq, line.name, line.id_number, line.amount)
                                       for line in lines])
    ctx.scratch["paid"] = [(line.household_id, line.amount) for line in lines
                           if line.household_id is not None]


def _write_payout(ctx: EffectContext) -> None:
    paid: list[tuple[int, Decimal]] = ctx.scratch["paid"]
    for household_id, amount in paid:
        SubsidyHousehold.objects.filter(pk=household_id).update(
            paid_amount=amount, paid_on=ctx.data["paid_on"])


CONFIRM_PAYOUT = effect("subsidies.confirm_payout", check=_check_payout, apply=_write_payout)

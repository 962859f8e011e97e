"""01.2 党费, 01.3/01.4 转接, 01.5 流动党员 through the API, with their ledgers."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils.dateparse import parse_datetime

from party.choices import MemberStatus
from party.models import (
    DuesPayment,
    DuesRemittance,
    FloatingMember,
    PartyMember,
    TransferRecord,
)
from tests.driver import open_case
from tests.exports import export, pdf_text, xlsx_cells
from tests.party.members import pm
from tests.party.walk_data import TH
from workflows.models import Alert, CaseEvent, Notification

SEC, TOWN = "dc_th_branch_secretary", "dc_township_party"



def paid(who, category, income, amount):
    """A row of the dues table: the member (by name), the category, income, amount."""
    row = {"member": pm(who), "category": category, "amount": amount}
    return {**row, "income": income} if income else row


def dues(api, demo, payments, period="2026-10"):
    d = open_case("01.2", demo["dc_th"], SEC, title="2026年10月党费")
    return d, d.try_(SEC, "record", period=period, payments=payments, certificates_filled=True)


@pytest.mark.parametrize(("category", "income", "amount", "ok"), [
    ("在职", "3000", "15.00", True),      # 0.5% up to 3000 inclusive
    ("在职", "3000", "14.99", False),
    ("在职", "3000.01", "30.00", True),   # 1% just past 3000
    ("在职", "3000.01", "29.99", False),
    ("离退休", "5000", "25.00", True),
    ("离退休", "5000.01", "50.00", True),
    ("农民", "", "0.20", True),
    ("农民", "", "0.19", False),
])
def test_dues_must_reach_the_uniform_standard(demo, api, clock, category, income, amount, ok):
    _d, response = dues(api, demo, [paid(TH[0], category, income, amount)])
    if ok:
        assert response.status_code == 200, response.content
        assert DuesPayment.objects.get().amount == Decimal(amount)
    else:
        body = response.json()
        assert body["code"] == "dues_below_standard"
        assert body["field"] == "payments[0].amount"
        assert not DuesPayment.objects.exists()


def test_dues_table_refuses_every_bad_row_at_once_naming_its_cell(demo, api, clock):
    _d, response = dues(api, demo, [
        paid(TH[0], "在职", "", "15.00"),          # employed without an income
        paid(TH[1], "农民", "", "1.50"),           # more than the flat rate: paid willingly
        {"member": pm(TH[2]), "category": "学生"},  # no amount: the standard, fine
        paid(TH[8], "农民", "", "0.50"),           # an activist is not a member who pays
        paid(TH[3], "干部", "", "0.50"),           # a category not in the choices
    ])
    assert response.status_code == 400
    fields = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert fields == {"payments[0].income": "missing_field",  # required_if 在职 or 离退休
                      "payments[3].member": "not_on_roster",
                      "payments[4].category": "invalid_field"}
    assert not DuesPayment.objects.exists()
    _d, response = dues(api, demo, [paid(TH[0], "在职", "4000", "15.00"),
                                    paid(TH[1], "农民", "", "0.10")])
    fields = {e["field"]: e["code"] for e in response.json()["errors"]}
    assert fields == {"payments[0].amount": "dues_below_standard",  # 1% of 4000 is 40.00
                      "payments[1].amount": "dues_below_standard"}  # the flat rate is 0.20
    _d, response = dues(api, demo, [paid(TH[0], "农民", "", "0.50")], period="2099-01")
    assert response.json()["code"] == "future_date" and response.json()["field"] == "period"
    _d, response = dues(api, demo, [paid(TH[0], "农民", "", "0.50")], period="2026年10月")
    assert response.json()["code"] == "invalid_date"
    assert not DuesPayment.objects.exists()


def test_an_amount_left_blank_is_the_standard_and_recorded_as_paid(demo, api, clock):
    """The schema says income is required for 在职 and 离退休 only (required_if with ``in``)
    and the amount may be left to the standard: the ledger and the event both say it."""
    d, response = dues(api, demo, [{"member": pm(TH[0]), "category": "在职", "income": "4000"},
                                   {"member": pm(TH[1]), "category": "农民"}])
    assert response.status_code == 200, response.content
    assert sorted(DuesPayment.objects.values_list("amount", flat=True)) == [
        Decimal("0.20"), Decimal("40.00")]
    recorded = CaseEvent.objects.filter(case_id=d.case["id"]).order_by("-seq").first()
    assert [r["amount"] for r in recorded.data["payments"]] == ["40.00", "0.20"]


def test_dues_chain_to_the_district_with_matching_amounts(demo, api, clock, tmp_path):
    d, response = dues(api, demo, [paid(TH[0], "在职", "4000", "40.00"),
                                   paid(TH[1], "农民", "", "0.50")])
    assert response.status_code == 200
    d.case = response.json()
    _again, dup = dues(api, demo, [paid(TH[0], "在职", "4000", "40.00")])
    assert dup.json()["code"] == "dues_duplicate"
    remit = next(f for a in d.actions(SEC) for f in a["fields"] if f["name"] == "amount")
    assert remit["default"] == "40.50"  # the month's ledger total, proposed
    d.refused(SEC, "amount_mismatch", amount="40.00", remitted_on="2026-11-02")
    d.do(SEC, amount="40.50", remitted_on="2026-11-02")
    d.refused(TOWN, "amount_mismatch", receipt_no="DF-001", amount="40.00")
    d.do(TOWN, receipt_no="DF-001", amount="40.50")
    d.refused(TOWN, "amount_mismatch", amount="40.00", remitted_on="2026-11-02")
    d.do(TOWN, amount="40.50", remitted_on="2026-11-02", voucher_no="ZZB-9")
    assert d.case["closed"] is True
    row = DuesRemittance.objects.get()
    assert (row.total, row.receipt_no, row.district_voucher) == (Decimal("40.50"), "DF-001",
                                                                 "ZZB-9")
    client = api("dc_th_supervisory_member")
    pdf, xlsx = export(client, "party_dues", demo["dc_th"].pk)
    text = pdf_text(pdf.content)
    assert "党费收缴台账" in text and "DF-001" in text and "40.00" in text
    assert "2026-10" in xlsx_cells(xlsx.content)
    pdf, xlsx = export(client, "party_dues_remittance", demo["dc_th"].pk)
    assert "党费上缴记录" in pdf_text(pdf.content)
    assert "ZZB-9" in xlsx_cells(xlsx.content)
    assert api("dc_yl_branch_secretary").get(
        f"/api/registers/party_dues/{demo['dc_th'].pk}.xlsx").status_code == 404


def test_yearly_publicity_must_match_the_ledger_and_its_receipts(demo, api, clock):
    d, _ = dues(api, demo, [paid(TH[0], "农民", "", "1.00")])
    pub = open_case("01.2", demo["dc_th"], SEC, title="2026年度党费公示")
    pub.refused(SEC, "receipt_missing", action="annual_publicity", year=2026, summary="x")
    d.do(SEC, amount="1.00", remitted_on="2026-11-02")
    d.do(TOWN, receipt_no="DF-002", amount="1.00")
    pub.refused(SEC, "ledger_empty", action="annual_publicity", year=2025, summary="x")
    pub.refused(SEC, "publicity_mismatch", action="annual_publicity", year=2026,
                summary="共交纳党费若干元")
    pub.do(SEC, action="annual_publicity", year=2026,
           summary="2026年度共1名党员交纳党费,合计1.00元。")
    assert pub.step == "publicity"
    pub.refused(SEC, "publicity_open")


def test_transfer_out_of_province_waits_for_the_receipt(demo, api, clock, tmp_path):
    d = open_case("01.3", demo["dc_th"], SEC, title="陈志强转出")
    d.refused(SEC, "not_on_roster", member="999999", destination="江苏省某村党支部",
              scope="out_of_province", issued_on="2026-11-02")
    d.refused(SEC, "not_on_roster", member=pm(TH[8]), destination="江苏省某村党支部",
              scope="out_of_province", issued_on="2026-11-02")  # an activist: no transfer
    d.do(SEC, member=pm(TH[4]), destination="江苏省某村党支部", scope="out_of_province",
         issued_on="2026-11-02")
    assert d.step == "paper_letter"
    d.do(TOWN, letter_no="ZJ-2026-88", sent_on="2026-11-02")
    assert d.step == "await_receipt"
    assert d.case["tasks"][0]["due_at"] == "2027-02-02T10:00:00+08:00"
    assert TransferRecord.objects.get().receipt_due == dt.date(2027, 2, 2)
    assert PartyMember.objects.get(name=TH[4]).status == MemberStatus.FULL
    d.refused(TOWN, "checklist_incomplete", receipt_on="2026-11-02", archived=False)
    d.do(TOWN, receipt_on="2026-11-02")
    gone = PartyMember.objects.get(name=TH[4])
    assert gone.status == MemberStatus.TRANSFERRED_OUT
    assert gone.transferred_to == "江苏省某村党支部"
    pdf, xlsx = export(api(TOWN), "party_transfer_out", demo["dc_th"].pk)
    assert "ZJ-2026-88" in pdf_text(pdf.content)
    assert TH[4] in xlsx_cells(xlsx.content)


def test_transfer_in_province_needs_all_green_and_overdue_is_escalated(demo, api, clock):
    d = open_case("01.3", demo["dc_th"], SEC, title="转出")
    d.do(SEC, member=pm(TH[4]), destination="某镇党委", scope="in_province", issued_on="2026-11-02")
    assert d.step == "system_transfer"
    d.refused(TOWN, "requirement_not_met", all_green=False, completed_on="2026-11-02")
    with time_machine.travel(parse_datetime("2026-12-02T10:01:00+08:00"), tick=False):
        call_command("sweep_deadlines")
    assert Notification.objects.filter(user__username="sfq_district_org",
                                       message__contains="逾期督办").exists()


def test_transfer_in_publicity_review_and_report(demo, api, clock, tmp_path):
    d = open_case("01.4", demo["dc_th"], TOWN, title="接收孙某")
    data = {"name": "孙立新", "gender": "male", "membership": "full", "from_org": "外省某支部",
            "scope": "out_of_province", "received_on": "2026-11-02",
            "admission_date": "2010-07-01"}
    d.refused(TOWN, "invalid_id_number", id_number="12345", **data)
    d.refused(TOWN, "invalid_mobile", id_number="330102198801010016", phone="0571-1234",
              **data)
    d.do(TOWN, id_number="330102198801010016", **data)
    d.refused(SEC, "publicity_open")
    with time_machine.travel(parse_datetime("2026-11-10T00:00:00+08:00"), tick=False):
        d.do(SEC)
        d.refused(TOWN, "requirement_not_met", file_reviewed=False)
        d.do(TOWN)
        d.refused(SEC, "not_on_roster", reported_on="2026-11-10", party_group="第九党小组")
        d.do(SEC, reported_on="2026-11-10", party_group="第二党小组")
    joined = PartyMember.objects.get(id_number="330102198801010016")
    assert joined.party_group == "第二党小组"
    assert joined.status == MemberStatus.FULL and joined.source == "transfer_in"
    assert joined.transferred_in_date == dt.date(2026, 11, 10)
    assert joined.admission_date == dt.date(2010, 7, 1)
    pdf, xlsx = export(api(TOWN), "party_transfer_in", demo["dc_th"].pk)
    assert "外省某支部" in pdf_text(pdf.content)
    assert "孙立新" in xlsx_cells(xlsx.content)


def test_refusing_a_transfer_in_alerts_the_supervisors(demo, api, clock):
    d = open_case("01.4", demo["dc_th"], TOWN, title="接收")
    d.do(TOWN, name="孙立新", gender="male", id_number="330102198801010016", membership="full",
         from_org="外省", scope="in_province", received_on="2026-11-02",
         admission_date="2010-07-01")
    with time_machine.travel(parse_datetime("2026-11-10T00:00:00+08:00"), tick=False):
        d.do(SEC)
        d.do(TOWN, action="refuse", reason="须先缴清欠款")
    assert "须先缴清欠款" in Alert.objects.get(case_id=d.id).message


def test_floating_member_ledger_and_the_quarterly_follow_up_check(demo, api, clock, tmp_path):
    d = open_case("01.5", demo["dc_th"], SEC, title="杨春燕外出")
    d.refused(SEC, "same_person", member=pm(TH[5]), destination="杭州", work="务工",
              left_on="2026-10-01", phone="13900000000", branch_contact=pm(TH[5]))
    d.do(SEC, member=pm(TH[5]), destination="杭州", work="务工", left_on="2026-10-01",
         phone="13900000000", branch_contact=pm(TH[0]))
    d.do(SEC, certificate_no="LD-01", issued_on="2026-10-02")
    d.refused(SEC, "invalid_format", host_branch="杭州某社区党委", reported_on="2026-10-08",
              host_phone="电话87654321")
    d.do(SEC, host_branch="杭州某社区党委", reported_on="2026-10-08", host_phone="0571-87654321")
    assert d.step == "follow_up"
    assert PartyMember.objects.get(name=TH[5]).floating is True
    d.do(SEC, action="nominate_reserve", reason="致富能手")
    d.refused(SEC, "already_nominated", action="nominate_reserve", reason="再次")
    # exactly three months after the last contact: no alert; a day later: one, once
    with time_machine.travel(parse_datetime("2027-01-08T12:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
    assert not Alert.objects.filter(message__contains="没有联系记录").exists()
    with time_machine.travel(parse_datetime("2027-01-09T12:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    assert Alert.objects.filter(message__contains="没有联系记录").count() == 1
    assert Notification.objects.filter(user__username=TOWN,
                                       message__contains="没有联系记录").count() == 1
    with time_machine.travel(parse_datetime("2027-01-09T12:00:00+08:00"), tick=False):
        d.do(SEC, action="record_contact", on="2027-01-09", way="phone", content="工作稳定")
        d.do(SEC, returned_on="2027-01-09")
    row = FloatingMember.objects.get()
    assert row.reserve_nominated and row.state == "returned"
    assert PartyMember.objects.get(name=TH[5]).floating is False
    pdf, xlsx = export(api(TOWN), "party_floating", demo["dc_th"].pk)
    assert "LD-01" in pdf_text(pdf.content)
    assert TH[5] in xlsx_cells(xlsx.content)


def test_a_farmer_may_pay_more_than_the_flat_rate_of_his_own_will(demo, api, clock):
    _d, response = dues(api, demo, [paid(TH[1], "农民", "", "5.00")])
    assert response.status_code == 200, response.content
    assert DuesPayment.objects.get().amount == Decimal("5.00")


def test_dues_unpaid_three_months_alert_the_branch_and_six_the_township(demo, api, clock):
    _d, response = dues(api, demo, [paid(TH[0], "农民", "", "0.20"),
                                    paid(TH[1], "农民", "", "0.20")], period="2026-10")
    assert response.status_code == 200, response.content
    arrears = Alert.objects.filter(message__contains=f"党员{TH[0]}自2026年11月起")
    clock.move_to(parse_datetime("2027-01-31T09:00:00+08:00"))  # November, December unpaid
    call_command("sweep_deadlines")
    assert not arrears.exists()
    # a member of the register who never paid counts from the ledger's first month
    assert Alert.objects.filter(message__contains=f"党员{TH[2]}自2026年10月起连续3个月").exists()
    clock.move_to(parse_datetime("2027-02-01T09:00:00+08:00"))  # and January: three months
    call_command("sweep_deadlines")
    call_command("sweep_deadlines")
    assert arrears.count() == 1 and "连续3个月" in arrears.get().message
    told = Notification.objects.filter(user__username=SEC,
                                       message__contains=f"党员{TH[0]}自2026年11月起")
    assert told.count() == 1
    assert not Notification.objects.filter(user__username=TOWN,
                                           message__contains=f"党员{TH[0]}").exists()
    # a member of the register who never paid counts from the ledger's first month
    clock.move_to(parse_datetime("2027-05-01T09:00:00+08:00"))  # six months: 自行脱党
    call_command("sweep_deadlines")
    call_command("sweep_deadlines")
    lapse = Notification.objects.filter(user__username=TOWN,
                                        message__contains=f"党员{TH[0]}自2026年11月起连续6个月")
    assert lapse.count() == 1 and "自行脱党" in lapse.get().message
    assert arrears.count() == 2  # the arrears alert and the lapse, each once

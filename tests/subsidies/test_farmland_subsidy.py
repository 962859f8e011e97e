"""06 耕地地力保护补贴: roster import, publicity, the reporting chain and the direct payout."""

import importlib
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from django.utils.dateparse import parse_datetime

import subsidies.tables
from subsidies.effects import amount_for
from subsidies.models import PayoutLine, SubsidyHousehold
from tests.driver import as_user, open_case
from tests.exports import export, pdf_text, xlsx_cells
from tests.samples import stored_files, upload_pdf
from tests.subsidies.helpers import (
    LI,
    WANG,
    ZHANG,
    ZHAO,
    end_publicity,
    households,
    open_subsidy,
    pay,
    payees,
    payments,
    submit_roster,
    through_the_chain,
    xlsx,
)
from workflows.models import Alert, Attachment, CaseEvent, PublicityNotice, TenantSetting

ROSTER = [("王建国", WANG, 2.35), ("李秀英", LI, "1.15"), ("张晓红", ZHANG, 10)]
# 248.70 + 121.70 + 1058.30 = 1428.70: the roster's amounts at 105.83 元/亩
PAID = [("王建国", WANG, "248.70"), ("李秀英", LI, "121.70"), ("张晓红", ZHANG, "1058.30")]


def published(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    r = submit_roster(case, xlsx(ROSTER))
    assert r.status_code == 200, r.content
    clock.move_to(parse_datetime("2026-11-10T00:00:00+08:00"))
    assert end_publicity(case).status_code == 200
    through_the_chain(case)
    return case


def test_amount_is_area_times_rate_rounded_half_up_to_the_cent():
    assert amount_for(Decimal("2.35"), Decimal("105.83")) == Decimal("248.70")  # 248.7005
    assert amount_for(Decimal("1.15"), Decimal("105.83")) == Decimal("121.70")  # 121.7045
    assert amount_for(Decimal("0.05"), Decimal("100.10")) == Decimal("5.01")    # 5.005 up


def test_only_the_township_opens_the_case_with_last_years_forms(demo, clock):
    village = as_user("dc_th_committee_director")
    r = village.post("/api/cases/", {"procedure": "06", "region": demo["dc_th"].pk,
                                     "title": "补贴"}, format="json")
    assert r.status_code == 403
    case = open_subsidy(demo["dc_th"].pk)
    detail = village.get(f"/api/cases/{case.id}/").json()
    assert detail["current_step"] == "roster"
    assert detail["region"] == demo["dc_th"].pk


def test_village_imports_the_xlsx_roster_and_amounts_are_computed(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    r = submit_roster(case, xlsx(ROSTER))
    assert r.status_code == 200, r.content
    assert r.json()["current_step"] == "village_publicity"
    rows = list(SubsidyHousehold.objects.filter(case_id=case.id).order_by("seq")
                .values_list("name", "area", "rate", "amount", "year"))
    assert rows == [
        ("王建国", Decimal("2.35"), Decimal("105.83"), Decimal("248.70"), 2026),
        ("李秀英", Decimal("1.15"), Decimal("105.83"), Decimal("121.70"), 2026),
        ("张晓红", Decimal("10.00"), Decimal("105.83"), Decimal("1058.30"), 2026),
    ]


def test_full_width_header_and_rows_typed_in_the_form_are_accepted(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    r = submit_roster(case, xlsx([("王建国", WANG, 1)], header=("户主姓名", "身份证号",
                                                                  "面积(亩)")))
    assert r.status_code == 200, r.content
    other = open_subsidy(demo["dc_th"].pk)
    r = submit_roster(other, rows=households(("王建国", WANG, "1.5"), ("李秀英", LI, 2)))
    assert r.status_code == 200, r.content
    assert SubsidyHousehold.objects.filter(case_id=other.id).count() == 2


@pytest.mark.parametrize(("rows", "header", "fragment"), [
    ([("王建国", WANG, 1)], ("户主姓名", "身份证号"), "缺少列:面积(亩)"),
    ([("王建国", WANG, 1), ("李秀英", "330299198503150024", 1)], None, "第3行"),  # checksum
    ([("王建国", WANG, 1), ("李秀英", "33029919850315002", 1)], None, "应为18位"),
    ([("王建国", WANG, 1), ("李秀英", LI, -1)], None, "第3行:面积不能为负数"),
    ([("王建国", WANG, 1), ("李秀英", LI, 0)], None, "第3行:面积须大于0"),
    ([("王建国", WANG, 1), ("李秀英", LI, 1), ("王建国", WANG, 2)], None,
     "第4行:身份证号330299********0012与第2行重复"),
    ([("", WANG, 1)], None, "第2行:户主姓名为空"),
    ([("王建国", WANG, "一亩")], None, "第2行:面积应为数字"),
    ([("王建国", WANG, "1.005")], None, "最多保留两位小数"),
])
def test_bad_roster_is_refused_naming_the_row_and_changes_nothing(demo, clock, rows, header,
                                                                   fragment):
    case = open_subsidy(demo["dc_th"].pk)
    r = submit_roster(case, xlsx(rows, header=header) if header else xlsx(rows))
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid_roster"
    assert fragment in body["detail"]
    assert not SubsidyHousehold.objects.filter(case_id=case.id).exists()
    detail = as_user("dc_th_committee_member").get(f"/api/cases/{case.id}/").json()
    assert detail["current_step"] == "roster"
    assert not PublicityNotice.objects.filter(case_id=case.id).exists()


def test_checksum_error_names_the_checksum(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    bad = f"{WANG[:-1]}3"
    r = submit_roster(case, xlsx([("王建国", bad, 1)]))  # the sheet's row 2 (row 1: header)
    assert r.json()["detail"] == "第2行:身份证号“330299********0013”校验位不正确。"
    # typed in the form, the table's ID-number column refuses it, naming the row and the cell
    r = submit_roster(case, rows=households(("王建国", WANG, 1), ("李秀英", bad, 1)))
    body = r.json()
    assert (r.status_code, body["code"]) == (400, "invalid_id_number")
    assert body["field"] == "roster_rows[1].id_number"  # the cell: the second row's number
    assert "第2行" in body["detail"] and "校验位不正确" in body["detail"]
    assert not SubsidyHousehold.objects.filter(case_id=case.id).exists()


def test_a_household_typed_twice_is_refused_naming_the_cell(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    r = submit_roster(case, rows=households(("王建国", WANG, 1), ("李秀英", LI, 2),
                                            ("王建国", WANG, 3)))
    body = r.json()
    assert (r.status_code, body["code"], body["field"]) == (400, "invalid_roster",
                                                            "roster_rows[2].id_number")
    assert body["detail"] == "第3行:身份证号330299********0012与第1行重复。"
    assert not SubsidyHousehold.objects.filter(case_id=case.id).exists()
    assert not PublicityNotice.objects.filter(case_id=case.id).exists()


def test_roster_needs_a_file_or_typed_rows_and_only_xlsx(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    assert submit_roster(case).json()["code"] == "missing_attachment"
    r = submit_roster(case, upload_pdf("清册.pdf"))
    assert r.json()["code"] == "attachment_type"


def test_publicity_runs_seven_days_with_masked_id_numbers(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    detail = submit_roster(case, xlsx(ROSTER)).json()
    assert detail["publicity"][0]["days"] == 7
    notice = PublicityNotice.objects.get(case_id=case.id)
    assert "330299********0012" in notice.content
    assert WANG not in notice.content
    assert "合计:3户,面积13.50亩,补贴金额1,428.70元" in notice.content
    board = Client().get(f"/board/{demo['dc_th'].pk}/").content.decode()
    assert "330299********0012" in board and WANG not in board
    clock.move_to(parse_datetime("2026-11-09T23:59:59+08:00"))
    r = end_publicity(case)
    assert r.json()["code"] == "publicity_open"
    assert Alert.objects.filter(case_id=case.id, kind="publicity_cut_short").exists()
    clock.move_to(parse_datetime("2026-11-10T00:00:00+08:00"))
    assert end_publicity(case).json()["current_step"] == "township_check"


def test_a_tenant_may_set_a_longer_publicity(demo, clock):
    TenantSetting.objects.create(region=demo["dc"], procedure="06",
                                 param="subsidy_publicity_days", value="10")
    TenantSetting.objects.create(region=demo["sfq"], procedure="06",
                                 param="subsidy_publicity_days", value="5")  # below the floor
    case = open_subsidy(demo["dc_th"].pk)
    notice = submit_roster(case, xlsx(ROSTER)).json()["publicity"][0]
    assert notice["days"] == 10
    assert notice["earliest_end"] == "2026-11-13T00:00:00+08:00"


def test_an_objection_sends_the_roster_back_and_a_new_import_replaces_it(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    submit_roster(case, xlsx(ROSTER))
    director = "dc_th_committee_director"
    case.post(director, "record_objection", {"content": "张晓红面积多报", "raised_by": "村民"})
    case.post(director, "answer_objection", {"answer": "已核实,面积应为8亩"})
    r = case.post(director, "return", {"step": "roster"}, comment="面积核实后重新公示")
    assert r.json()["current_step"] == "roster"
    fixed = [("王建国", WANG, 2.35), ("李秀英", LI, "1.15"), ("张晓红", ZHANG, 8)]
    submit_roster(case, xlsx(fixed))
    assert SubsidyHousehold.objects.get(case_id=case.id, id_number=ZHANG).area == Decimal("8")
    assert SubsidyHousehold.objects.filter(case_id=case.id).count() == 3
    assert PublicityNotice.objects.filter(case_id=case.id, state="running").count() == 1


def test_township_may_send_the_roster_back(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    submit_roster(case, xlsx(ROSTER))
    clock.move_to(parse_datetime("2026-11-10T09:00:00+08:00"))
    end_publicity(case)
    gov = "dc_township_government"
    assert case.post(gov, "approve", {"checked": False, "opinion": "未核"}).json()["code"] \
        == "requirement_not_met"
    r = case.post(gov, "return", {"step": "roster"}, comment="李秀英身份证号与登记表不符")
    assert r.json()["current_step"] == "roster"


def test_each_link_of_the_chain_is_recorded_by_its_bureau(demo, clock):
    case = published(demo, clock)
    events = as_user("sfq_district_finance").get(f"/api/cases/{case.id}/").json()["events"]
    roles = [(e["action"], e["role"]) for e in events]
    assert ("approve", "township_government") in roles
    assert roles.count(("confirm", "district_agriculture")) == 3
    # the finance bureau may not record the agriculture bureau's steps and vice versa
    assert payees(case, "").status_code in (400, 403)


def test_payout_equal_to_the_roster_pays_every_household(demo, clock):
    case = published(demo, clock)
    r = payees(case, payments(*PAID))
    assert r.status_code == 200, r.content
    r = pay(case)
    assert r.status_code == 200, r.content
    assert r.json()["closed"] is True
    paid = SubsidyHousehold.objects.filter(case_id=case.id)
    assert all(h.paid_amount == h.amount and str(h.paid_on) == "2026-11-10" for h in paid)
    assert not Alert.objects.filter(case_id=case.id).exists()


@pytest.mark.parametrize("last", ["1058.29", "1058.31"])
def test_payout_one_cent_off_the_roster_is_refused(demo, clock, last):
    case = published(demo, clock)
    r = payees(case, payments(*PAID[:2], ("张晓红", ZHANG, last)))
    assert r.status_code == 400
    assert r.json()["code"] == "payout_mismatch"
    assert "1,428.70" in r.json()["detail"]
    assert not PayoutLine.objects.filter(case_id=case.id).exists()


def test_right_total_but_wrong_household_amounts_is_refused(demo, clock):
    case = published(demo, clock)
    r = payees(case, payments(("王建国", WANG, "248.70"), ("李秀英", LI, "1058.30"),
                              ("张晓红", ZHANG, "121.70")))
    assert r.json()["code"] == "payout_mismatch"
    assert "李秀英" in r.json()["detail"]


def test_payee_not_on_the_roster_raises_an_alert_and_the_payout_is_refused(demo, clock):
    case = published(demo, clock)
    r = payees(case, payments(*PAID[:2], ("村集体(赵某)", ZHAO, "1058.30")))
    assert r.status_code == 200  # the list is kept as evidence
    alert = Alert.objects.get(case_id=case.id, kind="domain")
    assert "不在公示的农户清册中" in alert.message
    assert "330299********0043" in alert.message and ZHAO not in alert.message
    stranger = PayoutLine.objects.get(case_id=case.id, id_number=ZHAO)
    assert stranger.on_roster is False
    notes = as_user("dc_th_supervisory_member").get("/api/notifications/").json()["results"]
    assert any("风险预警" in n["message"] for n in notes)
    r = pay(case)
    assert r.status_code == 400
    assert r.json()["code"] == "payee_not_on_roster"
    assert not SubsidyHousehold.objects.filter(case_id=case.id,
                                               paid_amount__isnull=False).exists()
    # sent back, the correct list goes through
    fin = "sfq_district_finance"
    case.post(fin, "return", {"step": "payment_list"}, comment="收款人有误,重新导出")
    payees(case, payments(*PAID))
    assert pay(case).json()["closed"] is True


def test_payment_list_may_be_uploaded_as_xlsx(demo, clock):
    case = published(demo, clock)
    upload = xlsx([("王建国", WANG, 248.70), ("李秀英", LI, 121.70), ("张晓红", ZHANG, 1058.3)],
                  header=("户主姓名", "身份证号", "发放金额(元)"), name="发放明细.xlsx")
    r = case.post("sfq_district_finance", "import_payees", {},
                  {"payees_file": upload})
    assert r.status_code == 200, r.content
    assert PayoutLine.objects.filter(case_id=case.id).count() == 3


def test_roster_register_exports_with_masked_id_numbers(demo, clock):
    case = published(demo, clock)
    payees(case, payments(*PAID))
    pay(case)
    agri = as_user("sfq_district_agriculture")
    rows = [r for r in agri.get("/api/registers/").json()
            if r["code"] == "farmland_subsidy_roster" and r["region"] == demo["dc_th"].pk]
    assert len(rows) == 1
    pdf, xlsx_file = export(agri, "farmland_subsidy_roster", demo["dc_th"].pk)
    text = pdf_text(pdf.content)
    assert "耕地地力保护补贴农户清册" in text
    assert "330299********0012" in text and WANG not in text
    assert "1058.30" in text
    flat = xlsx_cells(xlsx_file.content)
    assert "330299********0023" in flat and LI not in flat
    assert "补贴金额(元)" in flat


def test_another_village_cannot_see_the_case_or_the_roster(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    other = as_user("dc_yl_committee_member")
    assert other.get(f"/api/cases/{case.id}/").status_code == 404
    assert submit_roster(case, xlsx(ROSTER), prefix="dc_yl").status_code == 404
    url = f"/api/registers/farmland_subsidy_roster/{demo['dc_th'].pk}.xlsx"
    assert other.get(url).status_code == 404
    assert as_user("xh_township_government").get(f"/api/cases/{case.id}/").status_code == 404


def test_a_tenant_cannot_shorten_the_publicity_below_seven_days(demo, clock):
    TenantSetting.objects.create(region=demo["sfq"], procedure="06",
                                 param="subsidy_publicity_days", value="6")
    case = open_subsidy(demo["dc_th"].pk)
    notice = submit_roster(case, xlsx(ROSTER)).json()["publicity"][0]
    assert notice["days"] == 7
    clock.move_to(parse_datetime("2026-11-09T00:00:00+08:00"))  # day 6 would end here
    assert end_publicity(case).json()["code"] == "publicity_open"
    clock.move_to(parse_datetime("2026-11-10T00:00:00+08:00"))  # day 7 ends here
    assert end_publicity(case).json()["current_step"] == "township_check"


def test_a_bad_reimport_keeps_the_published_roster(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    assert submit_roster(case, xlsx(ROSTER)).status_code == 200
    notice = PublicityNotice.objects.get(case_id=case.id, state="running")
    director = "dc_th_committee_director"
    case.post(director, "record_objection", {"content": "面积有误", "raised_by": "村民"})
    case.post(director, "answer_objection", {"answer": "核实后重新公示"})
    assert case.post(director, "return", {"step": "roster"},
                     comment="重新核实").json()["current_step"] == "roster"
    before = list(SubsidyHousehold.objects.filter(case_id=case.id)
                  .order_by("seq").values_list("name", "id_number", "area", "amount"))
    bad = [("王建国", WANG, 2.35), ("李秀英", LI, "abc"), ("张晓红", ZHANG, 8)]
    r = submit_roster(case, xlsx(bad))
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_roster"
    assert "第3行:面积应为数字" in r.json()["detail"]
    after = list(SubsidyHousehold.objects.filter(case_id=case.id)
                 .order_by("seq").values_list("name", "id_number", "area", "amount"))
    assert after == before and len(after) == 3
    notice.refresh_from_db()
    assert "合计:3户,面积13.50亩" in notice.content
    assert as_user("dc_th_committee_member").get(
        f"/api/cases/{case.id}/").json()["current_step"] == "roster"


def test_roster_headers_are_chinese_whatever_the_interface_language():
    with translation.override("en"):
        module = importlib.reload(subsidies.tables)
    assert module.ROSTER_COLUMNS == ("户主姓名", "身份证号", "面积(亩)")
    assert module.PAYEE_COLUMNS == ("户主姓名", "身份证号", "发放金额(元)")


# --- a refusal of an effect's check stores nothing --------------------------------------------


def test_a_refused_roster_file_is_not_stored(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    files, rows = stored_files(), Attachment.objects.count()
    r = submit_roster(case, xlsx([("王建国", WANG, 1), ("李秀英", LI, "一亩")]))
    assert (r.status_code, r.json()["code"]) == (400, "invalid_roster")
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not SubsidyHousehold.objects.filter(case_id=case.id).exists()
    assert not CaseEvent.objects.filter(case_id=case.id, action="submit_roster").exists()


def test_a_file_and_typed_rows_together_are_refused_before_storing(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    files = stored_files()
    r = submit_roster(case, xlsx(ROSTER), rows=households(("王建国", WANG, 1)))
    assert (r.status_code, r.json()["field"]) == (400, "roster_rows")
    assert stored_files() == files
    assert not SubsidyHousehold.objects.filter(case_id=case.id).exists()


def test_an_accepted_roster_file_is_stored_once_with_its_households(demo, clock):
    case = open_subsidy(demo["dc_th"].pk)
    files = stored_files()
    assert submit_roster(case, xlsx(ROSTER)).status_code == 200
    assert len(stored_files()) == len(files) + 1
    assert Attachment.objects.filter(case_id=case.id, field="roster_file").count() == 1
    assert SubsidyHousehold.objects.filter(case_id=case.id).count() == 3


def test_a_mismatched_payment_file_is_not_stored(demo, clock):
    case = published(demo, clock)
    upload = xlsx([("王建国", WANG, 248.70), ("李秀英", LI, 121.70), ("张晓红", ZHANG, 1000)],
                  header=("户主姓名", "身份证号", "发放金额(元)"), name="发放明细.xlsx")
    files, rows = stored_files(), Attachment.objects.count()
    r = case.post("sfq_district_finance", "import_payees", {},
                  {"payees_file": upload})
    assert (r.status_code, r.json()["code"]) == (400, "payout_mismatch")
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not PayoutLine.objects.filter(case_id=case.id).exists()


def test_the_rate_must_be_positive(demo, clock):
    gov = "dc_township_government"
    case = open_case("06", demo["dc_th"], gov, title="补贴")
    files = stored_files()
    r = case.post(gov, "issue", {"year": 2026, "rate": "0", "handed_on": "2026-11-02"},
                  {"forms": upload_pdf("上年度登记表.pdf")})
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (400, "out_of_range", "rate")
    assert stored_files() == files


def test_a_payout_cannot_be_dated_in_the_future(demo, clock):
    case = published(demo, clock)
    payees(case, payments(*PAID))
    r = case.post("sfq_district_finance", "pay", {"paid_on": "2026-11-11"})
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (400, "future_date",
                                                                     "paid_on")
    assert not SubsidyHousehold.objects.filter(case_id=case.id,
                                               paid_amount__isnull=False).exists()


def test_the_payment_list_is_proposed_from_the_published_roster(demo, clock, web):
    """The finance bureau starts from the roster's households and amounts (the schema's
    ``default``); sent back unchanged they pay every household, and the form shows them."""
    case = published(demo, clock)
    offered = next(a for a in case.actions("sfq_district_finance")
                   if a["code"] == "import_payees")
    fields = {f["name"]: f for f in offered["fields"]}
    assert fields["payees_by"]["default"] == "rows"
    assert fields["payees"]["default"] == payments(*PAID)
    assert fields["payees_file"]["required_if"] == {"field": "payees_by", "equals": "xlsx"}
    page = web("sfq_district_finance").get(f"/cases/{case.id}/")
    assert page.status_code == 200 and "1058.30" in page.content.decode()
    r = payees(case, fields["payees"]["default"])
    assert r.status_code == 200, r.content
    assert pay(case).json()["closed"] is True


def test_choosing_the_excel_file_ignores_the_proposed_rows_and_rows_refuse_a_file(demo, clock):
    case = published(demo, clock)
    upload = xlsx([("王建国", WANG, 248.70), ("李秀英", LI, 121.70), ("张晓红", ZHANG, 1058.3)],
                  header=("户主姓名", "身份证号", "发放金额(元)"), name="发放明细.xlsx")
    r = case.post("sfq_district_finance", "import_payees",
                  {"payees_by": "rows", "payees": payments(*PAID)}, {"payees_file": upload})
    assert (r.status_code, r.json()["field"]) == (400, "payees_file")
    assert not Attachment.objects.filter(case_id=case.id, field="payees_file").exists()
    upload.seek(0)
    r = case.post("sfq_district_finance", "import_payees",
                  {"payees_by": "xlsx", "payees": payments(("王建国", WANG, "1.00"))},
                  {"payees_file": upload})
    assert r.status_code == 200, r.content
    assert PayoutLine.objects.filter(case_id=case.id).count() == 3
    r = case.post("sfq_district_finance", "import_payees", {"payees_by": "xlsx"})
    assert r.status_code == 409 or r.json()["code"] in ("missing_field", "wrong_step")

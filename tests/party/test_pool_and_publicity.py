"""01.1 the township's yearly analysis of the activist pool; 01.2 the yearly dues notice
generated from the ledger."""

import datetime as dt

from django.test import Client

from party.models import PartyMember
from party.pool import activist_pool, months_after, pool_summary
from tests.driver import open_case
from tests.exports import export, pdf_text, xlsx_cells
from tests.party.members import pm
from tests.party.test_recruitment import ID, to_training
from tests.party.walk_data import TH
from workflows.models import PublicityNotice

SEC, TOWN = "dc_th_branch_secretary", "dc_township_party"
DEMO_ACTIVIST = TH[8]  # 周丽娟: activist since 2025-06-18, no contacts, no records



def line_of(lines, name):
    found = [line for line in lines if line.member.name == name]
    assert len(found) == 1, [line.member.name for line in lines]
    return found[0]


def test_months_after_clamps_to_the_end_of_the_month():
    assert months_after(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert months_after(dt.date(2026, 11, 10), 12) == dt.date(2027, 11, 10)


def test_pool_lists_every_activist_of_the_township_with_its_findings(demo, api, clock):
    d = to_training(api, demo, clock)  # 吴小明: activist on 2026-11-10, contacts TH[0], TH[1]
    d.do(SEC, action="activist_report", on="2026-11-10")
    lines = activist_pool(demo["dc"], today=dt.date(2026, 11, 10))
    assert {line.village.pk for line in lines} <= {demo["dc_th"].pk, demo["dc_yl"].pk}
    new = line_of([x for x in lines if x.village == demo["dc_th"]], "吴小明")
    assert new.reports_this_year == 1 and new.last_report == dt.date(2026, 11, 10)
    assert {c.name for c in (new.member.contact_1, new.member.contact_2)} == {TH[0], TH[1]}
    assert "培养期未满(满期日2027-11-10)" in new.findings
    assert not any("逾期" in f or "不足" in f for f in new.findings)
    old = line_of([x for x in lines if x.village == demo["dc_th"]], DEMO_ACTIVIST)
    assert "培养联系人不足两名" in old.findings
    assert "已满培养期,可研究列为发展对象" in old.findings
    assert any(f.startswith("思想汇报逾期") for f in old.findings)
    # another township's villages are not in this township's pool
    assert not any(x.village.path.startswith(demo["xh"].path) for x in lines)


def test_quarterly_report_and_training_year_boundaries(demo, api, clock):
    to_training(api, demo, clock)
    th = demo["dc"]

    def findings(day):
        return line_of([x for x in activist_pool(th, today=day) if x.village == demo["dc_th"]],
                       "吴小明").findings

    # no report since 2026-11-10: due by 2027-02-10 (three months), overdue the day after
    assert not any(f.startswith("思想汇报逾期") for f in findings(dt.date(2027, 2, 10)))
    assert any(f.startswith("思想汇报逾期") for f in findings(dt.date(2027, 2, 11)))
    assert "培养期未满(满期日2027-11-10)" in findings(dt.date(2027, 11, 9))
    assert "已满培养期,可研究列为发展对象" in findings(dt.date(2027, 11, 10))


def test_yearly_summary_counts_per_village(demo, api, clock):
    to_training(api, demo, clock)
    rows = {s.village.pk: s for s in pool_summary(demo["dc"], 2026,
                                                   today=dt.date(2026, 11, 10))}
    th = rows[demo["dc_th"].pk]
    expected_pool = PartyMember.objects.filter(region=demo["dc_th"], status="activist").count()
    assert th.activists == expected_pool == 2
    assert th.new_this_year == 1 and th.eligible == 1
    assert th.overdue >= 1  # the demo activist has no reports
    assert demo["xh_qq"].pk not in rows


def test_pool_registers_export_for_the_township_only(demo, api, clock, tmp_path):
    to_training(api, demo, clock)
    town = api(TOWN)
    pdf, xlsx = export(town, "party_activist_pool", demo["dc"].pk)
    assert pdf.status_code == 200 and xlsx.status_code == 200
    text = pdf_text(pdf.content)
    assert "入党积极分子队伍年度分析" in text and "吴小明" in text
    cells = xlsx_cells(xlsx.content)
    assert "吴小明" in cells and DEMO_ACTIVIST in cells
    assert any(isinstance(c, str) and "培养联系人不足两名" in c for c in cells)
    pdf, xlsx = export(town, "party_activist_pool_summary", demo["dc"].pk)
    assert "入党积极分子队伍年度统计" in pdf_text(pdf.content)
    assert demo["dc_th"].name in xlsx_cells(xlsx.content)
    # a village sees its own activist register, not the township's analysis
    village_codes = {r["code"] for r in api(SEC).get("/api/registers/").json()}
    assert "party_activists" in village_codes and "party_activist_pool" not in village_codes
    assert api(SEC).get(
        f"/api/registers/party_activist_pool/{demo['dc'].pk}.pdf").status_code == 404
    assert api("xh_township_party").get(
        f"/api/registers/party_activist_pool/{demo['dc'].pk}.xlsx").status_code == 404
    pdf, xlsx = export(api(SEC), "party_activists", demo["dc_th"].pk)
    assert "入党积极分子名册" in pdf_text(pdf.content)
    cells = xlsx_cells(xlsx.content)
    assert "吴小明" in cells and f"{ID[:6]}********{ID[-4:]}" in cells  # 吴小明's, masked
    assert ID not in cells


def farmers(*paid):
    """Dues rows of farmer members (农民党员: a fixed monthly amount, no income): (name, amount)."""
    return [{"member": pm(name), "category": "农民", "amount": amount} for name, amount in paid]


def dues_with_receipt(api, demo, payments, total, receipt):
    """October's dues recorded, handed to the township and receipted."""
    d = open_case("01.2", demo["dc_th"], SEC, title="2026年10月党费")
    d.do(SEC, "record", period="2026-10", payments=payments, certificates_filled=True)
    d.do(SEC, amount=total, remitted_on="2026-11-02")
    d.do(TOWN, receipt_no=receipt, amount=total)
    return open_case("01.2", demo["dc_th"], SEC, title="2026年度党费公示")


def test_yearly_dues_notice_is_generated_from_the_ledger(demo, api, clock):
    pub = dues_with_receipt(api, demo, farmers((TH[0], "1.00"), (TH[1], "0.50")), "1.50",
                            "DF-010")
    pub.do(SEC, action="annual_publicity", year=2026, summary="")  # generated, not typed
    assert pub.step == "publicity"
    notice = PublicityNotice.objects.get(case_id=pub.id, state="running")
    assert "2026年度共2名党员交纳党费,合计1.50元。" in notice.content
    assert f"{TH[0]} 1 1.00" in notice.content and f"{TH[1]} 1 0.50" in notice.content
    assert "2026-10 1.50 2026-11-02 DF-010 未上缴" in notice.content
    board = Client().get(f"/board/{demo['dc_th'].pk}/").content.decode()
    assert "DF-010" in board and "2026年度共2名党员交纳党费" in board


def test_a_remark_that_contradicts_the_ledger_is_refused(demo, api, clock):
    pub = dues_with_receipt(api, demo, farmers((TH[0], "1.00")), "1.00", "DF-011")
    pub.refused(SEC, "publicity_mismatch", action="annual_publicity", year=2026,
                summary="2026年度共1名党员交纳党费,合计1.01元。")
    assert not PublicityNotice.objects.filter(case_id=pub.id).exists()
    remark = "2026年度共1名党员交纳党费,合计1.00元。另有1名党员补交,计入下年度。"
    pub.do(SEC, action="annual_publicity", year=2026, summary=remark)
    notice = PublicityNotice.objects.get(case_id=pub.id)
    assert f"说明:{remark}" in notice.content
    assert f"{TH[0]} 1 1.00" in notice.content


def test_the_township_is_reminded_of_its_yearly_pool_analysis_and_records_it(demo, clock):
    """镇(街道)党(工)委每年对入党积极分子队伍状况作一次分析: a yearly task with its reminder,
    recorded on the township's page; a year ended without it alerts and tells the district."""
    import time_machine
    from django.core.management import call_command
    from django.utils.dateparse import parse_datetime

    from party.models import PoolAnalysis
    from tests.driver import person
    from workflows.models import Alert, Notification

    reminded = Notification.objects.filter(user__username=TOWN,
                                           message__contains="【年度分析提醒】")
    with time_machine.travel(parse_datetime("2026-11-30T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
    assert not reminded.exists()
    with time_machine.travel(parse_datetime("2026-12-01T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
        assert [n.message for n in reminded] == [
            "【年度分析提醒】东城镇党(工)委2026年度尚未对入党积极分子队伍状况作分析,"
            "请在年底前完成并登记。"]
        url = f"/party/pool/{demo['dc'].pk}/"
        village = Client()
        village.force_login(person(SEC))
        assert village.get(url).status_code == 404  # a village does not see its township's
        other = Client()
        other.force_login(person("xh_township_party"))
        assert other.get(url).status_code == 404
        town = Client()
        town.force_login(person(TOWN))
        page = town.get(url)
        assert page.status_code == 200 and "桃花村" in page.content.decode()
        answer = town.post(url, {"year": 2026, "findings": "积极分子结构偏老,汇报不及时",
                                 "measures": "每季度督促汇报"})
        assert answer.status_code == 302
        row = PoolAnalysis.objects.get(township=demo["dc"], year=2026)
        assert row.activists >= 1 and row.recorded_by
        again = town.post(url, {"year": 2026, "findings": "再次", "measures": "再次"})
        assert again.status_code == 400 and "已经登记" in again.content.decode()
    with time_machine.travel(parse_datetime("2027-01-01T09:00:00+08:00"), tick=False):
        call_command("sweep_deadlines")
        call_command("sweep_deadlines")
    missed = Alert.objects.filter(message__contains="2026年度未对入党积极分子队伍状况作分析")
    assert [a.region.name for a in missed] == ["西河镇"]  # the one that did not record it
    assert Notification.objects.filter(user__username="sfq_district_org",
                                       message__contains="西河镇党(工)委2026年度").count() == 1

"""06's register (耕地地力保护补贴农户清册) read from many households made by the factory:
every household of the village's rosters with its ID number masked, none of a withdrawn
case, and the same queries for 3 households as for 60."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.driver import as_user
from tests.exports import xlsx_rows
from tests.factories import CaseFactory, SubsidyHouseholdFactory

URL = "/api/registers/farmland_subsidy_roster/{}.xlsx"


def _export(region):
    client = as_user("sfq_district_agriculture")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL.format(region.pk))
    assert response.status_code == 200
    return xlsx_rows(response.content), len(queries.captured_queries)


def test_the_roster_register_lists_every_household_masked_but_not_a_withdrawn_cases(demo):
    roster = CaseFactory(procedure="06", region=demo["dc_th"])
    SubsidyHouseholdFactory.create_batch(3, case=roster, region=demo["dc_th"])
    SubsidyHouseholdFactory(region=demo["dc_th"], name="撤回户", case__state="withdrawn")
    SubsidyHouseholdFactory(region=demo["dc_yl"], name="杨柳村户")
    (header, *rows), _ = _export(demo["dc_th"])
    assert header[:4] == ["年度", "序号", "户主姓名", "身份证号"]
    names = [row[2] for row in rows]
    assert len(names) == 3 and "撤回户" not in names and "杨柳村户" not in names
    assert all(row[3].startswith("330299********") for row in rows)
    assert {row[6] for row in rows} == {264.58}  # 2.50 亩 × 105.83 元/亩


def test_the_roster_register_reads_many_households_in_as_many_queries_as_few(demo):
    roster = CaseFactory(procedure="06", region=demo["dc_th"])
    SubsidyHouseholdFactory.create_batch(3, case=roster, region=demo["dc_th"])
    _, few = _export(demo["dc_th"])
    SubsidyHouseholdFactory.create_batch(57, case=roster, region=demo["dc_th"])
    (_header, *rows), many = _export(demo["dc_th"])
    assert len(rows) == 60
    assert many == few

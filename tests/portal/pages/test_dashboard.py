"""The district and township dashboard: scoped counts, drill-down links, Excel, query ceilings."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.portal.pages import scenario
from tests.portal.pages.helpers import queries_for
from workflows.models import Task


def rows_of(response):
    return {(r.label, r.level): r.counts for r in response.context["region_rows"]}


def test_bureau_sees_only_the_procedures_it_guides(cases, web):
    response = web("sfq_district_civil_affairs").get("/dashboard/")
    assert response.status_code == 200
    codes = [p.code for p in response.context["board"].procedures]
    assert codes == ["03.1", "03.2", "04.2"]
    assert "区民政局" in response.content.decode()


def test_organisation_department_sees_every_procedure(cases, web):
    response = web("sfq_district_org").get("/dashboard/")
    codes = [p.code for p in response.context["board"].procedures]
    assert {"01.1", "03.1", "04.1", "04.2", "04.3"} <= set(codes)


def test_counts_by_village_and_state(cases, web):
    Task.objects.filter(case_id=cases["seal_open"], state="open").update(
        due_at=timezone.now() - dt.timedelta(days=1))
    response = web("sfq_district_civil_affairs").get("/dashboard/")
    rows = rows_of(response)
    th = rows[("桃花村", "village")]
    # 03.1: one closed, one in publicity; 04.2: one closed, two open (one overdue)
    assert (th.open, th.closed, th.overdue, th.publicity) == (3, 2, 1, 1)
    assert rows[("东城镇", "township")].closed == 3  # 桃花村 2 + 杨柳村 1
    qq = rows[("清泉社区", "village")]
    assert (qq.open, qq.publicity) == (2, 1)
    total = response.context["total"]
    assert total.open == 5
    assert total.overdue == 1
    body = response.content.decode()
    assert f"/cases/?procedure=&amp;region={cases and response.context['board'].regions[1].pk}" \
        not in body  # empty parameters are left out of drill-down links
    assert "/cases/?region=" in body
    assert "state=open&amp;overdue=1" in body


def test_drill_down_by_procedure_and_region(cases, web, demo):
    client = web("sfq_district_civil_affairs")
    response = client.get("/dashboard/", {"procedure": "03.1", "region": demo["dc_th"].pk})
    assert response.status_code == 200
    rows = rows_of(response)
    assert set(rows) == {("东城镇", "township"), ("桃花村", "village")}
    assert rows[("桃花村", "village")].total == 2
    assert f"/cases/?procedure=03.1&amp;region={demo['dc_th'].pk}&amp;state=closed" in \
        response.content.decode()


def test_township_sees_only_its_own_villages(cases, web, demo):
    client = web("dc_township_party")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    names = {label for label, _ in rows_of(response)}
    assert names == {"东城镇", "桃花村", "杨柳村"}
    assert client.get("/dashboard/", {"region": demo["xh_qq"].pk}).status_code == 404
    assert client.get("/dashboard/", {"region": demo["xh"].pk}).status_code == 404


def test_village_cadres_and_anonymous_have_no_dashboard(cases, web):
    assert web("dc_th_branch_secretary").get("/dashboard/").status_code == 404
    assert web("dc_th_supervisory_member").get("/dashboard/").status_code == 404
    assert web(None).get("/dashboard/").status_code == 302


def test_trend_counts_this_month(cases, web):
    trend = web("sfq_district_org").get("/dashboard/").context["board"].trend
    assert len(trend["labels"]) == 12
    local = timezone.localtime()
    assert trend["labels"][-1] == f"{local.year}年{local.month}月"
    assert trend["opened"][-1] == 8  # every case of the scenario was opened now
    assert trend["closed"][-1] >= 2


def test_excel_export_of_the_dashboard_table(cases, web):
    response = web("sfq_district_civil_affairs").get("/dashboard/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("镇(街道)", "村(社区)", "事项编号", "事项名称")
    assert ("东城镇", "桃花村", "03.1") in {r[:3] for r in rows[1:]}
    assert all(r[2] in {"03.1", "04.2"} for r in rows[1:])


@pytest.mark.parametrize("username", ["sfq_district_org", "dc_township_party"])
def test_dashboard_query_count_does_not_grow(cases, web, demo, username,
                                             django_assert_max_num_queries):
    client = web(username)
    before = queries_for(client, "/dashboard/")
    for n in range(4):
        scenario.seal(demo["dc_yl"], "dc_yl", f"证明{n}", finish=n % 2 == 0)
        scenario.seal(demo["dc_th"], "dc_th", f"证明{n}", finish=False)
    assert queries_for(client, "/dashboard/") == before
    with django_assert_max_num_queries(16):  # 11 of the page, the rest session and layout
        assert client.get("/dashboard/", {"procedure": "04.2"}).status_code == 200

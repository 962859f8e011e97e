"""The district and township dashboard: scoped counts, the ranking of villages, the trend of
each procedure, drill-down links that list exactly what a number counts, Excel, query
ceilings."""

import calendar
import datetime as dt
import html
import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from openpyxl import load_workbook

from tests.portal.pages import scenario
from tests.portal.pages.helpers import late_and_on_time, queries_for
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


def _steps_with_due(village, codes):
    done = Task.objects.filter(state="done", due_at__isnull=False, village=village,
                               procedure__in=codes)
    return done.count(), done.filter(closed_at__lte=F("due_at")).count()


def test_ranking_lists_every_village_the_worst_first(cases, web, demo):
    late_and_on_time(cases)
    response = web("sfq_district_civil_affairs").get("/dashboard/")
    ranking = response.context["ranking"]
    names = [row.label for row in ranking]
    # 石桥村 has no case at all and is listed all the same
    assert sorted(names) == sorted(["桃花村", "杨柳村", "清泉社区", "石桥村"])
    assert names[0] == "桃花村"  # the only village with an overdue case
    th = ranking[0].counts
    assert th.overdue_rate == pytest.approx(1 / 3)  # one of its three open cases
    due, on_time = _steps_with_due(demo["dc_th"], ["03.1", "03.2", "04.2"])
    assert (th.steps_due, th.steps_on_time, th.late_cases) == (due, on_time, 1)
    assert th.on_time_rate == pytest.approx(on_time / due)
    body = response.content.decode()
    assert "33%" in body
    assert f"/cases/?region={demo['dc_th'].pk}&amp;late=1" in body
    sq = next(row for row in ranking if row.label == "石桥村")
    assert (sq.counts.total, sq.counts.overdue_rate, sq.counts.on_time_rate) == (0, None, None)
    assert sq.sub == "西河镇"


def test_on_time_rate_counts_only_steps_with_a_due_time(cases, web, demo):
    Task.objects.filter(state="done", village=demo["dc_yl"]).update(due_at=None)
    response = web("sfq_district_civil_affairs").get("/dashboard/")
    yl = next(row for row in response.context["ranking"] if row.label == "杨柳村")
    assert (yl.counts.steps_due, yl.counts.on_time_rate) == (0, None)


LINK = re.compile(r'<a (?:class="[^"]*" )?href="(/cases/\?[^"]*)">(?:<span class="num">)?(\d+)<')


@pytest.mark.parametrize("username", ["sfq_district_civil_affairs", "dc_township_party",
                                      "sfq_district_agriculture"])
def test_every_number_links_to_exactly_the_cases_it_counts(cases, web, username):
    late_and_on_time(cases)
    client = web(username)
    body = client.get("/dashboard/").content.decode()
    links = {(html.unescape(url), int(n)) for url, n in LINK.findall(body)}
    kinds = {key for url, _n in links for key in parse_qs(urlsplit(url).query)}
    # tiles, ranking, trend and tables: every kind of number is among them
    assert {"state", "overdue", "region"} <= kinds
    if username != "sfq_district_agriculture":
        assert {"late", "publicity", "opened_month", "closed_month", "procedure"} <= kinds
    assert len(links) > 10
    for url, shown in sorted(links):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.context["page"].paginator.count == shown, url


def test_the_trend_is_given_for_each_procedure_with_links_by_month(cases, web, demo):
    response = web("sfq_district_civil_affairs").get("/dashboard/")
    trend = response.context["board"].trend
    assert [p["code"] for p in trend["procedures"]] == ["03.1", "03.2", "04.2"]
    by_code = {p["code"]: p for p in trend["procedures"]}
    # this month: 03.1 — 3 opened (two in 桃花村, one in 清泉社区); 04.2 — 2 closed
    assert by_code["03.1"]["opened"][-1] == 3
    assert by_code["04.2"]["closed"][-1] == 2
    assert by_code["03.2"]["opened"] == [0] * 12
    assert [sum(x) for x in zip(*(p["opened"] for p in trend["procedures"]), strict=True)] \
        == trend["opened"]
    local = timezone.localtime()
    month = f"{local.year:04d}-{local.month:02d}"
    assert trend["short"][-1] == month
    body = response.content.decode()
    assert f"/cases/?procedure=04.2&amp;opened_month={month}" in body
    assert f"/cases/?procedure=04.2&amp;closed_month={month}" in body
    assert 'id="trend-procedure"' in body  # the chart switches between the procedures


def test_excel_export_lists_every_village_with_title_scope_totals_and_print_setup(cases, web):
    late_and_on_time(cases)
    response = web("sfq_district_civil_affairs").get("/dashboard/", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    today = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert f'filename="dashboard-{today}.xlsx"' in disposition
    assert f"filename*=UTF-8''{quote(f'示范区-履职事项统计-{today}.xlsx')}" in disposition
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按村(社区)", "按事项", "按村按事项"]
    sheet = book["按村(社区)"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"示范区 履职事项统计 — {today}"
    assert "示范区" in rows[1][0] and "区民政局" in rows[1][0] and "03.1" in rows[1][0]
    assert today in rows[2][0]
    head = rows[3]
    assert head[:5] == ("镇(街道)", "村(社区)", "事项数", "办理中", "逾期")
    body, total = rows[4:-1], rows[-1]
    assert [r[:2] for r in body] == [("东城镇", "桃花村"), ("东城镇", "杨柳村"),
                                     ("西河镇", "清泉社区"), ("西河镇", "石桥村")]
    th = dict(zip(head, body[0], strict=True))
    assert (th["事项数"], th["办理中"], th["逾期"], th["已办结"]) == (5, 3, 1, 2)
    assert th["逾期率"] == pytest.approx(1 / 3)
    assert sheet.cell(row=5, column=head.index("逾期率") + 1).number_format == "0.0%"
    sq = dict(zip(head, body[3], strict=True))
    assert (sq["事项数"], sq["办理中"], sq["逾期率"]) == (0, 0, None)  # zeros included
    assert total[0] == "合计"
    for col in ("事项数", "办理中", "逾期", "已办结", "有时限的环节", "超时办理"):
        i = head.index(col)
        assert all(isinstance(r[i], int) for r in body), col  # numbers, not text
        assert total[i] == sum(r[i] for r in body), col
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)  # 9: A4
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    detail = list(book["按村按事项"].iter_rows(values_only=True))[4:-1]
    assert len(detail) == 4 * 3  # every village by every procedure the bureau guides
    assert {r[2] for r in detail} == {"03.1", "03.2", "04.2"}


def test_excel_export_of_a_township_is_named_after_it(cases, web):
    response = web("dc_township_party").get("/dashboard/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("东城镇 履职事项统计 — ")
    assert [r[1] for r in rows[4:-1]] == ["桃花村", "杨柳村"]
    assert quote("东城镇-履职事项统计-") in response["Content-Disposition"]


def test_the_dashboard_offers_only_the_procedures_the_bureau_guides(cases, web):
    for username, codes in (("sfq_district_civil_affairs", ["03.1", "03.2", "04.2"]),
                            ("sfq_district_emergency", ["10.1", "10.2", "10.3", "10.4"])):
        response = web(username).get("/dashboard/")
        assert [p.code for p in response.context["all_procedures"]] == codes
        offered = re.findall(r'<option value="(\d\d(?:\.\d)?)"',
                             response.content.decode().split('id="f-region"')[0])
        assert offered == codes


def test_column_heads_and_months_follow_the_language(cases, web):
    client = web("sfq_district_civil_affairs")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/dashboard/")
    body = response.content.decode()
    heads = [c for c, _css in response.context["columns"]]
    assert heads[:2] == ["In progress", "Overdue"]
    local = timezone.localtime()
    label = response.context["board"].month_labels()[-1]
    assert label == f"{calendar.month_name[local.month]} {local.year}"
    assert f">{label}</th>" in body
    assert "年" not in "".join(response.context["board"].trend["labels"])


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

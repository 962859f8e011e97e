"""The supervisory audit view and the 全程纪实 PDF: who may open them, what they show."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.forging import tamper
from tests.portal.pages import scenario
from tests.portal.pages.helpers import queries_for
from workflows.models import Case


def audit_url(region):
    return f"/audit/{region.pk}/"


def test_supervisor_sees_every_event_with_labels_and_verification(cases, web, demo):
    response = web("dc_th_supervisory_member").get(audit_url(demo["dc_th"]),
                                                   {"case": cases["closed_redo"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "校验通过" in body
    assert "提议内容(初步意见和方案)" in body  # field labels from the spec
    assert "党支部书记" in body                    # role label, not its code
    assert "branch_secretary" not in body
    # the meetings as recorded: the day, the roll with what it was computed from
    assert "应到7人(党员名册(" in body and "实到6人" in body
    assert "召开日期:" in body and "列席(无表决权):" in body
    assert "退回至“两委会商议”" in body
    assert "退回后重新办理:与第3条记录相比,改动 4 项" in body
    assert "举手" in body and "无记名投票" in body  # old and new value of a redone step
    record = response.context["records"][0]
    sha = record.events[1].lines[-1].file.sha256
    assert len(sha) == 64 and sha in body
    assert "/attachments/" in body
    assert "发包期限是否过长" in body  # objections and answers are part of the record


def test_alerts_are_listed_for_the_supervisor(cases, web, demo):
    body = web("dc_th_supervisory_member").get(audit_url(demo["dc_th"])).content.decode()
    assert "试图提前结束公示" in body
    assert "违反不相容岗位分离被拒绝" in body


def test_a_tampered_record_is_reported(cases, web, demo):
    Case.objects.filter(pk=cases["seal_closed"]).update(last_hash="0" * 64)
    response = web("dc_th_collective_supervisor").get(audit_url(demo["dc_th"]))
    body = response.content.decode()
    assert "哈希链校验发现问题" in body
    assert "最后一条记录的哈希与事项不符" in body
    records = {r.case.pk: r for r in response.context["records"]}
    assert records[cases["seal_closed"]].verified is False
    assert records[cases["seal_open"]].verified is True


@pytest.mark.parametrize("username", ["dc_township_party", "dc_township_discipline",
                                      "sfq_district_org", "sfq_district_leader"])
def test_township_organisation_department_and_leaders_may_audit_villages(cases, web, demo,
                                                                       username):
    assert web(username).get(audit_url(demo["dc_th"])).status_code == 200


@pytest.mark.parametrize("username", [
    "dc_yl_supervisory_member",    # another village
    "xh_township_party",           # another township
    "dc_th_committee_director",    # a cadre of the village, not its supervisor
    "sfq_district_civil_affairs",  # a bureau sees cases, not the audit view
])
def test_others_get_404(cases, web, demo, username):
    client = web(username)
    assert client.get(audit_url(demo["dc_th"])).status_code == 404
    assert client.get(f"/audit/case/{cases['closed_redo']}.pdf").status_code == 404


def test_only_villages_have_an_audit_view(cases, web, demo):
    client = web("sfq_district_org")
    assert client.get(audit_url(demo["dc"])).status_code == 404
    assert client.get("/audit/999999/").status_code == 404
    assert web(None).get(audit_url(demo["dc_th"])).status_code == 302


def test_audit_index_sends_a_supervisor_to_the_village(cases, web, demo):
    response = web("dc_th_supervisory_member").get("/audit/")
    assert response.status_code == 302
    assert response["Location"] == audit_url(demo["dc_th"])
    assert web("dc_township_party").get("/audit/").status_code == 200
    assert web("dc_th_branch_secretary").get("/audit/").status_code == 404


def test_full_record_pdf(cases, web):
    response = web("dc_th_supervisory_member").get(f"/audit/case/{cases['closed_redo']}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content,
                              capture_output=True, check=True).stdout.decode()
        for expected in ("事项办理全程纪实", "廉政风险点", "校验通过", "村(居)民代表会议",
                         "SHA-256", "第1页/共", "发包期限是否过长"):
            assert expected in text.replace(" ", ""), expected


def pdf_text(body: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(body)).pages)


def test_full_record_pdf_follows_the_readers_language(cases, web):
    """The 全程纪实 PDF is in the language the reader chose, like the page it comes from:
    its frame, its verdict, its dates; what people typed stays as typed."""
    client = web("dc_th_supervisory_member")
    url = f"/audit/case/{cases['closed_redo']}.pdf"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = pdf_text(client.get(url).content)
    for expected in ("Full record of a case", "Integrity risk", "Verified",
                     "Attachments", "Page 1 of", "Hash chain check passed"):
        assert expected in english, expected
    for chinese in ("事项办理全程纪实", "廉政风险点", "校验通过", "附件清单", "办理状态"):
        assert chinese not in english, chinese
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} 20\d\d, \d\d:\d\d", english)
    # English punctuation between the frame's words, not the Chinese full-width marks
    assert "Control in the portal: " in english and "(Party Branch Secretary)" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese_text = pdf_text(client.get(url).content)
    assert "事项办理全程纪实" in chinese_text and "Full record" not in chinese_text


def test_audit_page_query_count_does_not_grow(cases, web, demo, django_assert_max_num_queries):
    client = web("dc_th_supervisory_member")
    url = audit_url(demo["dc_th"])
    before = queries_for(client, url)
    for n in range(5):
        scenario.seal(demo["dc_th"], "dc_th", f"证明{n}", finish=True)
    assert queries_for(client, url) == before
    # 15 (the cases shown verified against the rows the page read, and the seal register's
    # lines); the five cases changed since the stored check are verified with those rows
    with django_assert_max_num_queries(15):
        client.get(url)


def test_cases_changed_since_the_check_and_not_shown_are_verified_in_15_queries(
        cases, web, demo, django_assert_max_num_queries):
    from workflows.models import CaseEvent

    client = web("dc_th_supervisory_member")
    url = audit_url(demo["dc_th"])
    client.get(url)  # the first view stores the village's full check
    changed = [scenario.seal(demo["dc_th"], "dc_th", f"证明{n}", finish=False)
               for n in range(11)]
    # the oldest of them is on the second page; its record is altered behind the portal
    event = CaseEvent.objects.filter(case_id=changed[0], seq=2).get()
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert not response.context["problems"]
    tamper("UPDATE workflows_caseevent SET comment = %s WHERE id = %s", ["事后改动", event.pk])
    client.get(url)  # found: its alert is raised (and its holders told), once
    # seen again: one more look-up, that of the alerts raised already
    with django_assert_max_num_queries(16):
        response = client.get(url)
    shown = {r.case.pk for r in response.context["records"]}
    assert changed[0] not in shown and changed[-1] in shown
    listed = {c.pk: problem for c, problem in response.context["problems"]}
    assert changed[0] in listed
    assert f'href="?case={changed[0]}"' in response.content.decode()
    assert not set(changed[1:]) & set(listed)  # the others hold


@pytest.mark.parametrize("username", ["dc_th_supervisory_member", "dc_th_collective_supervisor",
                                      "dc_township_party", "dc_township_discipline",
                                      "sfq_district_org", "sfq_district_leader"])
def test_whoever_may_audit_a_village_sees_every_case_of_it(cases, demo, username):
    """The audit view takes a village's cases without the visibility filter: this holds."""
    from core.models import User
    from workflows.visibility import audit_cases, can_audit, visible_cases

    auditor = User.objects.get(username=username)
    village = demo["dc_th"]
    assert can_audit(auditor, village)
    every = set(Case.objects.filter(region=village).values_list("pk", flat=True))
    assert len(every) >= 5
    assert set(audit_cases(auditor, village).values_list("pk", flat=True)) == every
    assert set(visible_cases(auditor).filter(region=village)
               .values_list("pk", flat=True)) == every

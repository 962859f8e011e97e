"""One renderer of a case's record: the case page, the audit view and the 全程纪实 PDF say
the same thing about the same event (meeting text, role label, dates, file sizes)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.places import PlaceKind
from tests.driver import GATE, drive
from workflows.models import Attachment, Case, CaseEvent
from workflows.record import case_record, meeting_text, role_label, size_text, value_text

# the 村民代表会议 of the closed 四议两公开 case: its representatives of the day due (the
# roster's), 19 present, 17 for, 1 against, 1 abstaining
DECIDE_MEETING = "实到19人;赞成17票,反对1票,弃权1票(系统计算:达到法定人数,通过)"


def _html_text(html: str) -> str:
    """The visible words of a page, without tags and spaces (as pdftotext gives a PDF's)."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def _pdf_text(body: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True,
                          check=True).stdout.decode()
    return re.sub(r"\s+", "", text)


def _three(web, case_id: int, region_id: int) -> dict[str, str]:
    """The case page, the audit view of that one case and its PDF, as plain text."""
    cache.clear()  # the case page's timeline is built here, not taken from another test
    out = {
        "case page": web("dc_th_branch_secretary").get(f"/cases/{case_id}/"),
        "audit view": web("dc_th_supervisory_member").get(f"/audit/{region_id}/",
                                                            {"case": case_id}),
        "pdf": web("dc_th_supervisory_member").get(f"/audit/case/{case_id}.pdf"),
    }
    for name, response in out.items():
        assert response.status_code == 200, name
    texts = {name: _html_text(r.content.decode()) for name, r in out.items() if name != "pdf"}
    texts["pdf"] = _pdf_text(out["pdf"].content) if shutil.which("pdftotext") else ""
    return texts


@pytest.fixture
def closed(cases) -> Case:
    return Case.objects.get(pk=cases["closed_redo"])


def test_the_same_event_reads_the_same_on_the_case_page_the_audit_view_and_the_pdf(
        cases, web, demo, closed):
    decide = CaseEvent.objects.get(case=closed, action="decide")
    review = CaseEvent.objects.get(case=closed, action="review")
    minutes = Attachment.objects.get(event=decide, field="minutes")
    events = {e.seq: e for e in case_record(closed).events}
    shown = events[decide.seq]
    # what the one renderer says about the 村民代表会议 …
    said = next(line.text for line in shown.lines if "应到" in line.text)
    assert DECIDE_MEETING in said and "(村民代表名册(" in said
    assert shown.role == role_label("committee_director", PlaceKind.VILLAGE) == "村委会主任"
    size = size_text(minutes.size)
    assert re.fullmatch(r"\d+(\.\d)? (B|KB|MB)", size)
    informed = next(line for line in events[review.seq].lines if line.label == "告知日期")
    assert informed.text == "2026年3月1日"
    # … is what each of the three shows
    texts = _three(web, closed.pk, demo["dc_th"].pk)
    if not texts["pdf"]:
        texts.pop("pdf")  # poppler's tools missing: the pages alone
    for name, text in texts.items():
        assert DECIDE_MEETING in text, name
        assert "村委会主任" in text and "committee_director" not in text, name
        assert "2026年3月1日" in text and "2026-03-01" not in text, name
        assert f"村民代表会议记录.pdf({size})".replace(" ", "") in text, name
        assert shown.at_text.replace(" ", "") in text, name
        # the step done again after the return: what changed, on the case page too
        assert "退回后重新办理:与第3条记录相比,改动4项" in text, name
        assert "举手" in text and "无记名投票" in text, name
        assert "退回理由:商议会议记录缺少表决情况" in text, name


def test_the_pdf_follows_an_english_reader(cases, web, closed):
    client = web("dc_th_supervisory_member")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/cases/{closed.pk}/").content.decode()
    assert "Director of the Villagers" in page and " abstaining (computed by the portal:" in page
    if not shutil.which("pdftotext"):
        return
    text = _pdf_text(client.get(f"/audit/case/{closed.pk}.pdf").content)
    # the PDF reads like the page: roles and the portal's verdicts in English
    assert "DirectoroftheVillagers" in text  # (whitespace removed)
    assert DECIDE_MEETING not in text and "村委会主任" not in text


def test_values_are_shown_in_one_way():
    from workflows.models import MeetingRecord
    from workflows.spec import FieldSpec, FieldType

    assert size_text(800) == "800 B"
    assert size_text(12_600) == "12.3 KB"
    assert size_text(3 * 1024 * 1024) == "3.0 MB"
    assert value_text(FieldSpec("d", "日期", FieldType.DATE), "2026-11-03") == "2026年11月3日"
    moment = FieldSpec("t", "时间", FieldType.DATETIME)
    assert value_text(moment, "2026-11-03T01:30:00+00:00") == "2026年11月3日 09:30"
    assert value_text(FieldSpec("b", "是否", FieldType.BOOLEAN), False) == "否"
    assert value_text(FieldSpec("u", "人", FieldType.USER), {"id": 3, "name": "张三"}) == "张三"
    assert value_text(FieldSpec("m", "月份", FieldType.MONTH), "2026-11") == "2026年11月"
    assert value_text(FieldSpec("r", "户", FieldType.REF), {"id": "7", "name": "王建国户"}) \
        == "王建国户"
    table = FieldSpec("rows", "名单", FieldType.TABLE, columns=(
        FieldSpec("name", "姓名", FieldType.STRING), FieldSpec("on", "日期", FieldType.DATE)))
    assert value_text(table, [{"name": "张三", "on": "2026-11-03"}, {"name": "李四"}]) \
        == "1. 姓名:张三,日期:2026年11月3日\n2. 姓名:李四"
    assert role_label("") == "系统" and role_label("branch_secretary") == "党支部书记"
    held = MeetingRecord(quorum_met=False, passed=False)
    text = meeting_text({"due": 7, "present": 4, "yes": 4, "no": 0, "abstain": 0,
                         "attendees": ["张三", "李四"], "minutes": "同意"}, held)
    assert text == ("应到7人,实到4人;赞成4票,反对0票,弃权0票(系统计算:未达到法定人数,未通过)"
                    "\n到会人员:张三、李四\n会议记录摘要:同意")
    # a meeting as the gate records it: the day, the roll with its source, names, verdict
    roll = {"source": "任职记录(2026-11-02):党支部委员3名", "unit": "人",
            "members": [{"value": "user:1", "label": "张三(党支部书记)"},
                        {"value": "user:2", "label": "李四(支委委员)"},
                        {"value": "user:3", "label": "王五(支委委员)"}]}
    text = meeting_text({"held_at": "2026-11-02", "due": 3, "present": 2, "yes": 2, "no": 0,
                         "abstain": 0, "attendees": ["user:1", "user:2"], "roll": roll,
                         "result": {"quorum_met": True, "passed": True}}, None)
    assert text == ("召开日期:2026年11月2日\n"
                    "应到3人(任职记录(2026-11-02):党支部委员3名),实到2人;赞成2票,反对0票,"
                    "弃权0票(系统计算:达到法定人数,通过)\n到会人员:张三(党支部书记)、李四(支委委员)"
                    "\n未到会:王五(支委委员)")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_record_pages_run_as_many_queries_for_a_longer_record(cases, web, demo):
    case_id = cases["in_publicity"]
    client = web("dc_th_supervisory_member")
    urls = [f"/cases/{case_id}/", f"/audit/case/{case_id}.pdf",
            f"/audit/{demo['dc_th'].pk}/?case={case_id}"]
    for url in urls:
        client.get(url)  # the session warmed

    def count() -> list[int]:
        out = []
        for url in urls:
            cache.clear()
            out.append(_queries(client, url))
        return out

    before = count()
    case = drive(case_id, via=GATE)
    for n in range(3):  # three more events, objections with their answers
        case.do("dc_th_committee_member", "record_objection", samples=False,
                content=f"第{n + 1}个问题", raised_by="村民")
        case.do("dc_th_committee_director", "answer_objection", samples=False, answer="已答复")
    assert Case.objects.get(pk=case_id).event_count >= 12
    # the counts as they were before the one renderer (case page 14, PDF 12, audit view 17),
    # plus what verifying the rows shown against the chain reads: the PDF its domain facts
    # and the stored village check (+2); the audit view the cases changed since that check
    # (with the clock frozen, all of them: their events, notices, objections, meetings,
    # attachments and domain facts, +6); and the tenant's numbers in force that the step's
    # description (case page) and the risk texts (PDF) state (+1 each, issue 11)
    assert count() == before and before[0] <= 15 and before[1] <= 15 and before[2] <= 23


def test_the_case_page_keeps_its_timeline_until_the_next_event(cases, web, monkeypatch):
    from workflows import record

    url = f"/cases/{cases['closed_redo']}/"
    client = web("dc_th_branch_secretary")
    cache.clear()
    first = client.get(url).content.decode()

    def not_again(*args, **kwargs):
        raise AssertionError("the timeline was built again")

    monkeypatch.setattr(record, "event_views", not_again)
    again = client.get(url).content.decode()
    start = '<ol class="timeline">'
    assert again[again.index(start):] == first[first.index(start):]
    assert DECIDE_MEETING in again

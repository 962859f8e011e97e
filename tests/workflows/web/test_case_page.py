"""The case page without a browser: forms from the spec, refusals shown, live meeting check."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.driver import GATE, drive, open_case
from tests.driver import meeting as m
from tests.samples import upload_pdf
from workflows.models import Case
from workflows.rolls import compute_roll


def today():
    return timezone.localdate().isoformat()


@pytest.fixture
def seal_case(demo):
    return open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具居住证明用印",
                     via=GATE).row


def test_the_form_is_built_from_the_step_spec(web, seal_case):
    page = web("dc_th_committee_member").get(f"/cases/{seal_case.pk}/").content.decode()
    assert 'for="apply-purpose"' in page and "用印事由" in page
    assert 'name="f_copies"' in page and 'type="number"' in page
    assert 'type="file"' in page and 'accept="application/pdf,' in page
    assert 'enctype="multipart/form-data"' in page
    assert "撤回" in page


def test_a_refusal_is_shown_next_to_its_field_and_changes_nothing(web, seal_case):
    client = web("dc_th_committee_member")
    response = client.post(f"/cases/{seal_case.pk}/act/", {
        "action": "apply", "step": "apply", "f_purpose": "出具证明", "f_matter": "routine",
        "f_copies": "2", "comment": "急用",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert '<p class="error" id="apply-document-error" role="alert">请上传“待盖章文件”。' in page
    assert 'value="出具证明"' in page and 'value="2"' in page and ">急用</textarea>" in page
    seal_case.refresh_from_db()
    assert seal_case.current_step == "apply"
    assert seal_case.event_count == 1


def test_an_action_sent_with_its_file_moves_the_case(web, seal_case):
    client = web("dc_th_committee_member")
    response = client.post(f"/cases/{seal_case.pk}/act/", {
        "action": "apply", "step": "apply", "f_purpose": "出具证明", "f_matter": "routine",
        "f_copies": "2", "f_document": upload_pdf("证明.pdf"),
    })
    assert response.status_code == 302
    assert Case.objects.get(pk=seal_case.pk).current_step == "approve"
    page = client.get(f"/cases/{seal_case.pk}/").content.decode()
    assert "证明.pdf" in page and "已办理:提交用印申请" in page


def test_return_needs_a_reason_shown_next_to_the_reason(web, user, seal_case):
    drive(seal_case.pk, via=GATE).do("dc_th_committee_member", "apply", samples=False,
                                     purpose="证明", matter="routine", copies=1,
                                     document=upload_pdf())
    client = web("dc_th_committee_director")
    response = client.post(f"/cases/{seal_case.pk}/act/",
                           {"action": "return", "f_step": "apply", "comment": " ",
                            "confirm": "1"})
    assert response.status_code == 400
    assert 'id="return-comment-error"' in response.content.decode()
    response = client.post(f"/cases/{seal_case.pk}/act/",
                           {"action": "return", "f_step": "apply", "comment": "份数写错",
                            "confirm": "1"})
    assert response.status_code == 302
    assert Case.objects.get(pk=seal_case.pk).current_step == "apply"


def test_too_early_shows_the_date(web, demo, user):
    import datetime as dt

    import time_machine

    from tests.samples import upload_png

    start = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        case = _case_at_publicity(demo, user)
        response = web("dc_th_committee_director").post(f"/cases/{case.pk}/act/", {
            "action": "publicity_done", "step": "resolution_publicity",
            "f_location": "村务公开栏", "f_photo": upload_png(),
        })
        before = web("dc_th_committee_director").get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="publicity-running"' in before
    # a window ending at midnight reads as the end of the day before, not a 00:00 of a day
    # it does not reach
    assert "最早于 2026年11月9日 24:00 期满(剩余7天14小时)" in before
    assert response.status_code == 400
    page = response.content.decode()
    assert "公示期未满" in page
    assert "最早可办理时间" in page and "2026年11月10日 00:00" in page
    assert 'value="村务公开栏"' in page


def _case_at_publicity(demo, user, *, steps_done=4):
    sec = "dc_th_branch_secretary"
    case = open_case("03.1", demo["dc_th"], sec, title="鱼塘发包", via=GATE)
    steps = [
        (sec, "propose", {"matter": "assets", "proposal": "发包", "consultation": "走访",
                          "meeting": m(3, 3, 3)}),
        (sec, "deliberate", {"body": "two_committees", "vote_method": "hands",
                             "meeting": m(5, 4, 3, 1), "opinion": "同意"}),
        (sec, "review", {"members_informed": True, "informed_on": "2026-11-01",
                         "meeting": m(7, 7, 7), "revised_proposal": "方案"}),
        ("dc_th_committee_director", "decide",
         {"body": "representatives", "meeting": m(), "resolution": "决议内容"}),
    ]
    for actor, action, data in steps[:steps_done]:
        case.do(actor, action, samples=False, **data, minutes=upload_pdf())
    return case.row


# 桃花村's 党员大会: 7 full members vote (2/3 of them is 5; 2/3 of 6 present is 4)
@pytest.mark.parametrize(("ticks", "votes", "expect"), [
    (4, ("4", "0", "0"), ["✗ 未达到法定人数", "即至少 5 人", "应到7人,实到4人"]),
    (6, ("3", "3", "0"), ["✓ 达到法定人数", "✗ 表决未通过", "即至少 4 票", "赞成3票"]),
    (5, ("4", "1", "0"), ["✓ 达到法定人数", "✓ 表决通过", "应到 7 人,实到 5 人"]),
    (5, ("5", "1", "0"), ["不能多于实到的5名"]),
    (0, ("", "", ""), ["即至少 5 人", "系统自动计算"]),
    (-1, ("1", "0", "0"), ["不在党支部党员大会", "的名册中"]),  # a stranger ticked
])
def test_the_meeting_check_says_in_words_why(web, demo, user, ticks, votes, expect):
    sec = "dc_th_branch_secretary"
    case = open_case("03.1", demo["dc_th"], sec, title="规划", via=GATE)
    for action, data in (
        ("propose", {"matter": "plan", "proposal": "规划", "consultation": "走访",
                     "meeting": m(3, 3, 3)}),
        ("deliberate", {"body": "two_committees", "vote_method": "hands", "opinion": "同意",
                        "meeting": m(5, 5, 5)}),
    ):
        case.do(sec, action, samples=False, **data, minutes=upload_pdf())
    roll = next(f for a in case.actions(sec) if a["code"] == "review"
                for f in a["fields"] if f["type"] == "meeting")["roll"]
    voters = [x["value"] for x in roll["members"]]
    body = {"f_meeting.held_at": today() if ticks else "", "f_meeting.named": "1",
            "f_meeting.attendees": voters[:ticks] if ticks >= 0 else ["party_member:0"],
            **dict(zip(("f_meeting.yes", "f_meeting.no", "f_meeting.abstain"), votes,
                       strict=True))}
    response = web("dc_th_branch_secretary").post(
        f"/cases/{case.id}/meeting/review/", body, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    for text in expect:
        assert text in page


def test_the_meeting_check_waits_for_the_deciding_body(web, demo, user):
    case = _case_at_publicity(demo, user, steps_done=3)
    assert case.current_step == "villagers_decide"
    client = web("dc_th_committee_director")
    url = f"/cases/{case.pk}/meeting/decide/"
    page = client.post(url, {"f_meeting.held_at": today()}).content.decode()
    assert "请先选择“决议机构”" in page
    adults = compute_roll("villagers_adults", demo["dc_th"], timezone.localdate()).due
    half = adults // 2
    page = client.post(url, {"f_body": "villagers", "f_meeting.held_at": today(),
                             "f_meeting.present": str(half), "f_meeting.yes": str(half),
                             "f_meeting.no": "0", "f_meeting.abstain": "0"}).content.decode()
    assert "✗ 未达到法定人数" in page and f"即至少 {half + 1} 人" in page
    # a figure's present may not exceed it
    page = client.post(url, {"f_body": "villagers", "f_meeting.held_at": today(),
                             "f_meeting.present": str(adults + 1),
                             "f_meeting.yes": "1"}).content.decode()
    assert f"实到人数不能多于应到的{adults}人" in page
    # the roll of the body chosen, drawn for the day
    page = client.post(f"/cases/{case.pk}/meeting/decide/meeting/roll/",
                       {"f_body": "villagers", "f_meeting.held_at": today()}
                       ).content.decode()
    assert f"应到 <strong>{adults}</strong> 人" in page and 'name="f_meeting.present"' in page
    # an action that is not the current step's is not checked
    assert client.post(f"/cases/{case.pk}/meeting/review/").status_code == 404


def test_meeting_check_is_404_outside_scope(web, seal_case):
    response = web("xh_qq_branch_secretary").post(f"/cases/{seal_case.pk}/meeting/apply/")
    assert response.status_code == 404


def _check_pdf(body, tmp_path):
    """A4 (595 x 842 points) and the CJK font named, where poppler's tools are installed."""
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        return
    path = tmp_path / "notice.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "决议内容" in text and "/board/" in text
    return text


def _qr_modules(body, tmp_path):
    """The dark/light modules of the one image embedded in the PDF (pdfimages + Pillow)."""
    import subprocess

    from PIL import Image

    from workflows.web.pdf import QR_BORDER, QR_SCALE

    path = tmp_path / "qr.pdf"
    path.write_bytes(body)
    subprocess.run(["pdfimages", "-png", str(path), str(tmp_path / "img")], check=True)
    images = sorted(tmp_path.glob("img-*.png"))
    assert len(images) == 1, images
    picture = Image.open(images[0]).convert("L")
    side = picture.width // QR_SCALE - 2 * QR_BORDER
    return [[picture.getpixel(((QR_BORDER + x) * QR_SCALE + QR_SCALE // 2,
                               (QR_BORDER + y) * QR_SCALE + QR_SCALE // 2)) < 128
             for x in range(side)] for y in range(side)]


def test_notice_pdf_is_a4_with_the_board_qr(web, demo, user, tmp_path):
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        case = _case_at_publicity(demo, user)
    notice = case.notices.get()
    response = web("dc_th_committee_member").get(f"/notices/{notice.pk}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    text = _check_pdf(body, tmp_path)
    from workflows.web.pdf import board_url

    url = board_url(demo["dc_th"].pk)
    if text is not None:
        assert url in text.replace("\n", "")
    import shutil

    if shutil.which("pdfimages"):
        import segno

        expected = [[bool(m) for m in row] for row in segno.make(url, error="m").matrix]
        assert _qr_modules(body, tmp_path) == expected
    # another village's cadre reads it as the public does: the board's copy
    assert web("xh_qq_branch_secretary").get(f"/notices/{notice.pk}.pdf").status_code == 200
    assert board_url(demo["dc_th"].pk).endswith(f"/board/{demo['dc_th'].pk}/")


def test_supervisor_sees_read_only(web, seal_case):
    page = web("dc_th_supervisory_member").get(f"/cases/{seal_case.pk}/").content.decode()
    assert "不能办理" in page
    assert 'name="action"' not in page


def test_case_page_is_404_for_another_village(web, seal_case):
    assert web("dc_yl_committee_member").get(f"/cases/{seal_case.pk}/").status_code == 404


def test_the_timeline_is_kept_until_the_next_event(web, user, seal_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = drive(seal_case.pk, via=GATE)
    case.do("dc_th_committee_member", "apply", samples=False, purpose="出具证明",
            matter="routine", copies=1, document=upload_pdf("证明.pdf"))
    client = web("dc_th_committee_director")
    url = f"/cases/{seal_case.pk}/"
    with CaptureQueriesContext(connection) as first:
        page = client.get(url).content.decode()
    assert "证明.pdf" in page and "提交用印申请" in page
    with CaptureQueriesContext(connection) as second:
        again = client.get(url).content.decode()
    timeline = page[page.index('<ol class="timeline">'):]
    assert timeline == again[again.index('<ol class="timeline">'):]
    # attachments and meeting records are read only to build the timeline
    assert len(second) < len(first)
    case.do("dc_th_committee_director", "approve", samples=False, opinion="同意盖章")
    after = client.get(url).content.decode()
    assert "同意盖章" in after  # a new event: a new key, the timeline built afresh
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    timeline = english[english.index('<ol class="timeline">'):]
    assert "Member of the Villagers' (Residents') Committee" in timeline.replace("&#x27;", "'")

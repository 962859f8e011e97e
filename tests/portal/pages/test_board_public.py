"""The public boards for villagers (issue 12, point 6): the index, ended notices readable
with their PDF, the supervisory committee's contact, the online objection (captcha, rate
limit, refused once a notice has ended, never shown with the villager's name), the A4 QR
poster, and the notice PDF's 落款 with its seal box."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.utils import timezone

from core.models import Membership
from tests.exports import pdf_text
from tests.portal.pages import scenario
from workflows.audit import verify_chain
from workflows.models import CaseEvent, Notification, Objection, PublicityNotice
from workflows.registry import registry
from workflows.verify import load_stored, verify_case_events
from workflows.visibility import SUPERVISORY_COMMITTEE, board_contacts

SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"

NAME, PHONE, TEXT = "李秀英", "13912345678", "硬化路段没有经过我组,请说明线路是怎么定的。"


@pytest.fixture
def running(demo, clock):
    """桃花村's resolution in publicity (03.1): a running notice, its window open (opened on
    the suites' clock, Monday 2026-11-02 10:00: seven days left)."""
    case_id = scenario.four_and_two(demo["dc_th"], "dc_th", "村道硬化工程", "同意硬化村道。",
                                    finish=False)
    return PublicityNotice.objects.get(case_id=case_id)


@pytest.fixture
def ended(demo):
    """桃花村's closed 四议两公开 case: its resolution notice has ended."""
    case_id = scenario.four_and_two(demo["dc_th"], "dc_th", "村集体鱼塘发包",
                                    "同意鱼塘公开发包,期限五年。", finish=True)
    return PublicityNotice.objects.get(case_id=case_id)


def notice_url(notice):
    return f"/board/{notice.region_id}/notices/{notice.pk}/"


def solved(client, notice, **fields):
    """The objection form as a villager fills it: the challenge read from the page and
    answered from the library's store (CaptchaStore)."""
    page = client.get(notice_url(notice)).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    answer = CaptchaStore.objects.get(hashkey=key).response
    return {"name": NAME, "phone": PHONE, "content": TEXT, "captcha_0": key,
            "captcha_1": answer, **fields}


def object_(client, notice, **fields):
    return client.post(notice_url(notice), solved(client, notice, **fields))


# --- the index and the boards -------------------------------------------------------------


def test_the_index_lists_townships_and_their_villages_with_links(web, demo):
    response = web(None).get("/board/")
    assert response.status_code == 200
    body = response.content.decode()
    for slug in ("dc", "xh"):
        assert demo[slug].name in body
    for slug in ("dc_th", "dc_yl", "xh_qq", "xh_sq"):
        assert f'href="/board/{demo[slug].pk}/"' in body
    assert "居务公开栏" in body and "村务公开栏" in body  # each in its place's words
    # townships in the order of the tree, each followed by its own villages
    assert body.index(demo["dc"].name) < body.index(demo["dc_th"].name) < body.index(
        demo["xh"].name) < body.index(demo["xh_qq"].name)


def test_a_village_board_links_back_to_the_index_and_to_its_poster(web, demo):
    body = web(None).get(f"/board/{demo['dc_th'].pk}/").content.decode()
    assert 'href="/board/"' in body
    assert f'href="/board/{demo["dc_th"].pk}/poster.pdf"' in body


@pytest.mark.parametrize("path", ["/board/{id}/", "/board/{id}/past/", "/board/{id}/poster.pdf",
                                  "/board/{id}/notices/1/"])
def test_a_township_or_unknown_id_has_no_board(web, demo, path):
    client = web(None)
    for pk in (demo["dc"].pk, demo["sfq"].pk, 999999):
        assert client.get(path.format(id=pk)).status_code == 404


def test_a_notice_is_read_only_under_its_own_villages_board(web, demo, running):
    assert web(None).get(f"/board/{demo['dc_yl'].pk}/notices/{running.pk}/").status_code == 404
    assert web(None).get(f"/board/{demo['dc_th'].pk}/notices/999999/").status_code == 404


# --- running and ended notices ------------------------------------------------------------


def test_a_running_notice_shows_its_window_days_left_and_the_objection_form(web, running):
    board = web(None).get(f"/board/{running.region_id}/").content.decode()
    assert f'href="{notice_url(running)}#objection"' in board
    assert f'href="/notices/{running.pk}.pdf"' in board
    page = web(None).get(notice_url(running)).content.decode()
    assert "距公示期满还有 7 天" in page
    assert "不少于7天" in page
    assert 'name="captcha_0"' in page and "对本公示提出异议" in page


def test_an_ended_notice_keeps_its_own_page_and_pdf(web, ended):
    client = web(None)
    board = client.get(f"/board/{ended.region_id}/").content.decode()
    assert f'href="{notice_url(ended)}"' in board
    past = client.get(f"/board/{ended.region_id}/past/").content.decode()
    assert f'href="{notice_url(ended)}"' in past and f"/notices/{ended.pk}.pdf" in past
    page = client.get(notice_url(ended)).content.decode()
    assert "公示已结束" in page and "同意鱼塘公开发包,期限五年。" in page
    assert 'name="captcha_0"' not in page  # no form once it has ended
    assert "发包期限是否过长" not in page  # the objection's text is never published
    pdf = client.get(f"/notices/{ended.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_public_notice_pdf_masks_personal_numbers(web, demo):
    case_id = scenario.four_and_two(
        demo["dc_th"], "dc_th", "村道硬化工程",
        "由张三(身份证号 330102199001011234,电话 13812345678)负责联络。", finish=False)
    notice = PublicityNotice.objects.get(case_id=case_id)
    public = pdf_text(web(None).get(f"/notices/{notice.pk}.pdf").content, layout=False)
    assert "330102********1234" in public and "138****5678" in public
    assert "330102199001011234" not in public
    printed = pdf_text(web("dc_th_committee_member").get(f"/notices/{notice.pk}.pdf").content,
                       layout=False)
    assert "330102199001011234" in printed  # the village prints it as it is posted


def test_a_confidential_procedures_notice_never_reaches_the_board(web, running):
    spec = registry.get(running.procedure)
    with registry.override(dataclasses.replace(spec, confidential=True)):
        client = web(None)
        assert running.title not in client.get(f"/board/{running.region_id}/").content.decode()
        assert client.get(notice_url(running)).status_code == 404
        assert client.get(f"/notices/{running.pk}.pdf").status_code == 404
        assert client.post(notice_url(running), {"name": NAME}).status_code == 404


def test_a_withdrawn_notice_is_not_public(web, running):
    from workflows import gate
    from workflows.models import Case

    case = Case.objects.get(pk=running.case_id)
    gate.withdraw(actor=case.opened_by, case_id=case.pk, reason="重新商议")
    assert web(None).get(notice_url(running)).status_code == 404
    assert web(None).get(f"/notices/{running.pk}.pdf").status_code == 404


# --- the supervisory committee's contact ----------------------------------------------------


def test_the_board_names_the_supervisory_committee_with_its_phone(web, demo, user):
    member = user("dc_th_supervisory_member")
    director = user("dc_th_committee_director")
    body = web(None).get(f"/board/{demo['dc_th'].pk}/").content.decode()
    assert "桃花村村务监督委员会联系方式" in body
    assert member.get_full_name() in body and f'href="tel:{member.mobile}"' in body
    assert director.mobile not in body  # only the committee is the contact
    community = web(None).get(f"/board/{demo['xh_qq'].pk}/").content.decode()
    assert "清泉社区居务监督委员会联系方式" in community


# --- the online objection -----------------------------------------------------------------


def test_an_objection_is_recorded_on_the_case_and_its_holders_told(web, running, user):
    client = web(None)
    response = object_(client, running)
    assert response.status_code == 302
    assert response["Location"].endswith(f"{notice_url(running)}?received=1#received")
    objection = Objection.objects.get(notice=running)
    assert (objection.raised_by, objection.phone, objection.content, objection.online) == (
        NAME, PHONE, TEXT, True)
    # an event of the case, under its chain, that verify_audit holds the row to
    event = CaseEvent.objects.filter(case_id=running.case_id).order_by("-seq").first()
    assert event.action == "record_objection" and event.actor_id is None
    assert event.data["raised_by"] == NAME and event.data["content"] == TEXT
    events = list(CaseEvent.objects.filter(case_id=running.case_id).order_by("seq"))
    assert verify_chain(events) is None
    stored = load_stored([running.case_id])[running.case_id]
    assert verify_case_events(running.case, events, stored) is None
    # the step's holders and the village's supervisory committee are told
    told = set(Notification.objects.filter(case_id=running.case_id, message__contains="【异议】")
               .values_list("user__username", flat=True))
    assert {"dc_th_committee_director", "dc_th_supervisory_member"} <= told
    assert all(NAME not in n.message for n in Notification.objects.filter(
        case_id=running.case_id))
    # the confirmation, and the case page shows the objection to the committee
    confirmed = client.get(response["Location"]).content.decode()
    assert "您的异议已收到" in confirmed
    case_page = web("dc_th_supervisory_member").get(f"/cases/{running.case_id}/")
    assert TEXT in case_page.content.decode()


def test_the_villagers_name_and_phone_never_appear_publicly(web, running):
    client = web(None)
    assert object_(client, running).status_code == 302
    for url in (f"/board/{running.region_id}/", notice_url(running),
                f"/board/{running.region_id}/past/"):
        body = client.get(url).content.decode()
        assert NAME not in body and PHONE not in body and TEXT not in body
    assert "已收到异议 1 条" in client.get(f"/board/{running.region_id}/").content.decode()
    assert "已收到异议 1 条" in client.get(notice_url(running)).content.decode()


def test_a_wrong_answer_to_the_challenge_is_refused_and_nothing_stored(web, running):
    response = object_(web(None), running, captcha_1="999")
    assert response.status_code == 400
    assert "验证题答案不正确" in response.content.decode()
    assert not Objection.objects.filter(notice=running).exists()


def test_every_error_is_shown_at_once_and_nothing_stored(web, running):
    events = CaseEvent.objects.filter(case_id=running.case_id).count()
    response = object_(web(None), running, name=" ", phone="1391234", content="",
                       captcha_1="999")
    assert response.status_code == 400
    body = response.content.decode()
    for message in ("请填写您的姓名。", "手机号码应为11位数字", "请填写异议内容。",
                    "验证题答案不正确"):
        assert message in body
    assert "请修改下面 4 处" in body
    assert not Objection.objects.filter(notice=running).exists()
    assert CaseEvent.objects.filter(case_id=running.case_id).count() == events


@pytest.mark.parametrize("phone", ["23912345678", "139123456789", "1391234567a"])
def test_a_phone_that_is_not_a_mobile_is_refused(web, running, phone):
    assert object_(web(None), running, phone=phone).status_code == 400
    assert not Objection.objects.filter(notice=running).exists()


def test_three_objections_an_hour_per_address_and_notice(web, running, settings):
    client = web(None)
    for _ in range(settings.BOARD_OBJECTIONS_PER_HOUR):
        assert object_(client, running).status_code == 302
    refused = object_(client, running)
    assert refused.status_code == 429
    assert "每小时对同一公示最多提交 3 条异议" in refused.content.decode()
    assert Objection.objects.filter(notice=running).count() == 3
    # another address is not held back by this one
    other = client.post(notice_url(running), solved(client, running),
                        REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert Objection.objects.filter(notice=running).count() == 4


def test_an_ended_notice_refuses_an_objection(web, ended):
    client = web(None)
    page = client.get(notice_url(ended)).content.decode()
    assert 'name="captcha_0"' not in page
    # a form kept open from before the end: the challenge is answered, the objection refused
    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    before = Objection.objects.filter(notice=ended).count()
    response = client.post(notice_url(ended), {"name": NAME, "phone": PHONE, "content": TEXT,
                                                "captcha_0": key, "captcha_1": answer})
    assert response.status_code == 400
    assert "该公示已结束,不再受理网上异议" in response.content.decode()
    assert Objection.objects.filter(notice=ended).count() == before


def test_a_notice_past_its_window_takes_no_objection_online(web, running):
    client = web(None)
    data = solved(client, running)
    with time_machine.travel(running.earliest_end + dt.timedelta(minutes=1), tick=False):
        response = client.post(notice_url(running), data)
        page = client.get(notice_url(running)).content.decode()
    assert response.status_code == 400
    assert not Objection.objects.filter(notice=running).exists()
    assert "公示期已满,不再受理网上异议" in page


def test_the_gate_refuses_an_objection_to_an_ended_notice(ended):
    from core.errors import RuleError
    from workflows import gate

    with pytest.raises(RuleError) as refused:
        gate.record_public_objection(notice_id=ended.pk, name=NAME, phone=PHONE, content=TEXT)
    assert refused.value.code == "notice_closed"


def test_a_cadre_answers_an_online_objection_before_the_case_goes_on(web, running):
    from tests.driver import drive

    assert object_(web(None), running).status_code == 302
    case = drive(running.case_id)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8), tick=False):
        case.refused("dc_th_committee_member", "objection_unanswered", "publicity_done")
        case.do("dc_th_committee_director", "answer_objection", samples=False,
                answer="线路经村民代表会议讨论确定,已电话答复。")
    assert Objection.objects.get(notice=running).answered_at is not None


# --- the poster and the notice's 落款 -------------------------------------------------------


def test_the_poster_is_an_a4_page_with_the_qr_of_the_board(web, demo, settings):
    settings.PUBLIC_BASE_URL = "https://cunwu.example.cn"
    response = web(None).get(f"/board/{demo['dc_th'].pk}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, layout=False)
    assert "桃花村村务公开栏" in text and "扫码查看村务公开" in text
    assert f"https://cunwu.example.cn/board/{demo['dc_th'].pk}/" in text.replace("\n", "")
    assert text.count("\f") == 1  # one page
    community = pdf_text(web(None).get(f"/board/{demo['xh_qq'].pk}/poster.pdf").content,
                         layout=False)
    assert "清泉社区居务公开栏" in community and "扫码查看居务公开" in community


def test_the_notice_pdf_ends_with_the_signer_the_date_and_a_seal_box(web, running, tmp_path):
    pdf = web("dc_th_committee_member").get(f"/notices/{running.pk}.pdf").content
    text = pdf_text(pdf, layout=False)
    day = timezone.localtime(running.start)
    assert "发布单位:桃花村村民委员会" in text
    assert f"发布日期:{day.year}年{day.month}月{day.day}日" in text
    assert "盖章处" in text and "负责人(签字)" in text
    assert text.index("桃花村村民委员会") > text.index("公示期")  # at the end, after the text
    # whom to tell: the supervisory committee's members and their mobiles, as the board says
    members = list(board_contacts(running.region))
    assert members
    flat = "".join(text.split())
    assert "监督单位:桃花村村务监督委员会" in flat
    for m in members:
        assert f"{m.user.get_full_name()}{m.user.mobile}" in flat
    assert text.index("盖章处") < text.index("联系人及监督电话")
    keep_picture(pdf, tmp_path)


def test_a_notice_without_supervisory_members_prints_no_empty_contact_line(web, running):
    Membership.objects.filter(region=running.region,
                              role__in=SUPERVISORY_COMMITTEE).update(end=dt.date(2026, 1, 1))
    text = pdf_text(web("dc_th_committee_member").get(f"/notices/{running.pk}.pdf").content,
                    layout=False)
    assert "盖章处" in text
    assert "联系人及监督电话" not in text


def keep_picture(pdf: bytes, tmp_path) -> None:
    """The notice's page as a picture to look at (artifacts/screenshots/notice-pdf.png)."""
    if shutil.which("pdftoppm") is None:
        return
    (tmp_path / "n.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(tmp_path / "n.pdf"),
                    str(tmp_path / "notice-pdf")], check=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "notice-pdf.png", SCREENSHOTS / "notice-pdf.png")


def test_an_online_objection_changed_behind_the_portal_is_named_by_the_audit(web, running):
    assert object_(web(None), running).status_code == 302
    Objection.objects.filter(notice=running).update(phone="13800000000")
    events = list(CaseEvent.objects.filter(case_id=running.case_id).order_by("seq"))
    stored = load_stored([running.case_id])[running.case_id]
    problem = verify_case_events(running.case, events, stored)
    assert problem is not None and "联系电话" in problem

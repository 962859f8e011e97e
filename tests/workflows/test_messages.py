"""Notifications and alerts are read in the reader's language: stored as a template and its
parameters (workflows.messages), rendered when they are read — not stored as Chinese only."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.utils import translation

from core.models import User
from tests.driver import GATE, open_case
from workflows.alerts import raise_alert
from workflows.messages import Month, Quantity, Text
from workflows.models import Alert, Notification

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_a_text_keeps_its_parameters_through_json():
    text = Text("{place}自{last}以来超过{every}未开展法治宣传教育活动",
                place="桃花村", last=dt.date(2026, 9, 1), every=Quantity(3, "months"))
    back = Text.from_json(text.to_json())
    assert back == text
    nested = Text("{base},请党支部及时提醒督促交纳。",
                  base=Text("{first}起", first=Month(2026, 10)), items=["a", Text("b")])
    assert Text.from_json(nested.to_json()) == nested


def test_chinese_is_rendered_as_it_was_written():
    text = Text("{place}自{last}以来超过{every}未开展法治宣传教育活动",
                place="桃花村", last=dt.date(2026, 9, 1), every=Quantity(3, "months"))
    assert text.chinese() == "桃花村自2026年9月1日以来超过3个月未开展法治宣传教育活动"


def test_the_same_text_reads_in_english_with_english_plurals():
    text = Text("{place}自{last}以来超过{every}未开展法治宣传教育活动",
                place="桃花村", last=dt.date(2026, 9, 1), every=Quantity(3, "months"))
    with translation.override("en"):
        english = text.render()
        one = Quantity(1, "months").render()
    assert english.startswith("桃花村"), english  # the place's name stays as it is
    assert not CJK.search(english.replace("桃花村", "")), english
    assert "3 months" in english and "2026" in english
    assert one == "1 month"


def test_a_task_notice_is_read_in_the_language_of_whoever_reads_it(demo, web):
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具居住证明用印",
                     via=GATE).row
    notice = Notification.objects.filter(case=case, message__startswith="【待办】").first()
    assert notice is not None and notice.text is not None
    assert "出具居住证明用印" in notice.message  # the stored Chinese, for e-mail and the admin
    reader: User = notice.user
    client: Client = web(reader.username)
    chinese = client.get("/api/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    english = client.get("/api/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    zh = next(n["message"] for n in chinese["results"] if n["id"] == notice.pk)
    en = next(n["message"] for n in english["results"] if n["id"] == notice.pk)
    assert zh == notice.message
    assert en != zh and "出具居住证明用印" in en  # the case's own title is not translated
    assert not CJK.search(en.replace("出具居住证明用印", "")), en


def test_an_alert_and_its_notice_share_one_text(demo):
    alert = raise_alert(kind="domain", region=demo["dc_th"],
                        message=Text("{place}自{last}以来超过{every}未开展法治宣传教育活动",
                                     place="桃花村", last=dt.date(2026, 9, 1),
                                     every=Quantity(3, "months")), key="t-messages")
    assert isinstance(alert, Alert) and alert.text is not None
    told = Notification.objects.filter(dedupe_key__startswith=f"alert:{alert.pk}:")
    assert told.exists()
    for n in told:
        assert n.message == f"【风险预警】{alert.message}"
        with translation.override("en"):
            assert not CJK.search(n.shown.replace("桃花村", "")), n.shown

"""The case page says what happens next (issue 12, point 2): who must act, by name, how long
it has waited and how long is left; the form it opens is the usual way forward this user can
take now; the ways back are closed, red and must be confirmed."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from core.models import Membership
from tests.driver import GATE, drive, open_case
from tests.samples import upload_pdf
from workflows.models import Case
from workflows.web import casepage
from workflows.web.display import duration


@pytest.fixture
def applied(demo) -> Case:
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具居住证明用印",
                     via=GATE).row
    drive(case.pk, via=GATE).do("dc_th_committee_member", "apply", samples=False,
                                purpose="证明", matter="routine", copies=1,
                                document=upload_pdf())
    case.refresh_from_db()
    return case


def _band(page: str) -> str:
    found = re.search(r'data-testid="next-band"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no band on the page"
    return found.group(1)


def _open_forms(page: str) -> list[str]:
    return re.findall(r'<details class="action[^"]*" open id="action-([\w-]+)"', page)


def test_the_band_names_who_must_act_and_for_how_long(web, applied):
    task = applied.tasks.get(state="open")
    names = {m.user.get_full_name() for m in Membership.objects.active().filter(
        region=task.region, role__in=task.roles.split(",")).select_related("user")}
    assert names
    band = _band(web("dc_th_committee_member").get(f"/cases/{applied.pk}/").content.decode())
    assert band.startswith("等待 ")
    for name in names:
        assert name in band
    assert "已等待" in band
    if task.due_at:
        assert "剩余" in band


def test_not_your_step_opens_no_form_and_the_way_back_is_closed_and_red(web, applied):
    page = web("dc_th_committee_member").get(f"/cases/{applied.pk}/").content.decode()
    assert _open_forms(page) == []
    assert re.search(r'<details class="action action-withdraw danger"', page)


def test_the_holder_gets_the_usual_way_forward_open(web, applied):
    task = applied.tasks.get(state="open")
    holder = Membership.objects.active().filter(region=task.region,
                                                role__in=task.roles.split(",")).first()
    assert holder is not None
    page = web(holder.user.username).get(f"/cases/{applied.pk}/").content.decode()
    opened = _open_forms(page)
    assert len(opened) == 1 and opened[0] not in casepage.BACKWARD
    assert 'id="action-return"' in page and "action-return\" open" not in page


def test_a_way_back_needs_its_confirmation_and_changes_nothing_without_it(web, applied):
    task = applied.tasks.get(state="open")
    holder = Membership.objects.active().filter(region=task.region,
                                                role__in=task.roles.split(",")).first()
    client = web(holder.user.username)
    before = applied.event_count
    response = client.post(f"/cases/{applied.pk}/act/",
                           {"action": "return", "f_step": "apply", "comment": "份数写错"})
    assert response.status_code == 400
    assert "请勾选确认后再退回" in response.content.decode()
    applied.refresh_from_db()
    assert applied.event_count == before and applied.current_step == task.step
    response = client.post(f"/cases/{applied.pk}/act/", {
        "action": "return", "f_step": "apply", "comment": "份数写错", "confirm": "1"})
    assert response.status_code == 302
    applied.refresh_from_db()
    assert applied.current_step == "apply"


def test_during_a_publicity_the_page_opens_a_record_not_the_end_of_the_notice():
    actions = [{"code": "publicity_done", "kind": "forward"},
               {"code": "record_posting", "kind": "side"},
               {"code": "record_objection", "kind": "side"},
               {"code": "return", "kind": "return"}]
    assert casepage.default_action(actions, publicity_running=True) == "record_posting"
    assert casepage.default_action(actions, publicity_running=False) == "publicity_done"
    assert casepage.default_action(actions[-1:], publicity_running=False) == ""


def test_durations_read_in_the_readers_language():
    seconds = 2 * 86400 + 3 * 3600
    assert duration(seconds) == "2天3小时"
    assert duration(3600 + 60) == "1小时1分钟"
    with translation.override("en"):
        assert duration(seconds) == "2 days 3 hours"
        assert duration(3600 + 60) == "1 hour 1 minute"

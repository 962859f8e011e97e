"""催办 on the case page: a button in the band for one who may nudge the task's holders,
hidden for anyone else, and "今日已催办" once they have done it today."""

from __future__ import annotations

import pytest

from workflows.choices import EventAction
from workflows.models import Case, CaseEvent

BUTTON = 'data-testid="nudge"'
DONE = 'data-testid="nudge-done"'


def _page(client, case: Case) -> str:
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("username", ["dc_th_committee_member", "dc_th_branch_secretary",
                                      "dc_township_party"])
def test_the_band_offers_a_nudge_to_whom_may(web, waiting, username):
    page = _page(web(username), waiting)
    assert BUTTON in page and DONE not in page
    assert f'action="/cases/{waiting.pk}/nudge/"' in page


@pytest.mark.parametrize("username", ["dc_th_committee_director", "dc_th_supervisory_member",
                                      "sfq_district_org"])
def test_the_button_is_hidden_for_the_holder_and_those_who_may_not(web, waiting, username):
    page = _page(web(username), waiting)
    assert BUTTON not in page and DONE not in page


def test_nudging_from_the_page_records_it_and_then_reads_done_today(web, waiting):
    client = web("dc_th_committee_member")
    response = client.post(f"/cases/{waiting.pk}/nudge/", {"step": "approve"}, follow=True)
    assert response.redirect_chain[-1] == (f"/cases/{waiting.pk}/", 302)
    page = response.content.decode()
    assert "已催办,已通知" in page
    assert DONE in page and "今日已催办" in page and BUTTON not in page
    # the timeline shows it, with whom it reminded
    assert '<li class="ev ev-nudge">' in page and "催办对象" in page
    assert CaseEvent.objects.filter(case=waiting, action=EventAction.NUDGE).count() == 1
    # a second one the same day is refused with when it can be sent again; nothing written
    again = client.post(f"/cases/{waiting.pk}/nudge/", {"step": "approve"}, follow=True)
    assert "2026年11月3日起可再次催办" in again.content.decode()
    assert CaseEvent.objects.filter(case=waiting, action=EventAction.NUDGE).count() == 1


def test_the_holder_posting_a_nudge_is_told_why_not(web, waiting):
    response = web("dc_th_committee_director").post(f"/cases/{waiting.pk}/nudge/", follow=True)
    assert "不能催办自己" in response.content.decode()
    assert not CaseEvent.objects.filter(case=waiting, action=EventAction.NUDGE).exists()


def test_nudge_is_404_out_of_scope_and_post_only(web, waiting):
    assert web("dc_yl_committee_director").post(
        f"/cases/{waiting.pk}/nudge/").status_code == 404
    assert web("dc_th_committee_member").get(f"/cases/{waiting.pk}/nudge/").status_code == 405
    assert not CaseEvent.objects.filter(case=waiting, action=EventAction.NUDGE).exists()

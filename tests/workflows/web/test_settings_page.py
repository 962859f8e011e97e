"""The rule numbers page (issue 11, point 10): the organisation department and the
townships make numbers stricter on a page, never weaker, and every change is kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workflows import params
from workflows.models import TenantSetting
from workflows.registry import registry

URL = reverse("workflows:settings")


def post(client, region, procedure, param, value, note="区委组织部〔2026〕12号"):
    return client.post(URL, {"region": region.pk, "procedure": procedure, "param": param,
                             "value": value, "note": note})


@pytest.mark.parametrize("username", ["dc_th_branch_secretary", "sfq_district_agriculture",
                                      "dc_th_supervisory_member"])
def test_only_the_org_department_and_townships_may_open_it(client, user, username):
    client.force_login(user(username))
    assert client.get(URL).status_code == 403


def test_the_page_lists_every_number_with_its_source_and_the_value_in_force(
        client, user, demo):
    client.force_login(user("sfq_district_org"))
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    for spec in registry.all():
        assert f'id="p-{spec.code}"' in html
    assert "resolution_publicity_days" in html
    assert "调整记录" in html


def test_a_stricter_number_is_saved_audited_and_applied_below(client, user, demo):
    client.force_login(user("sfq_district_org"))
    answer = post(client, demo["sfq"], "03.1", "resolution_publicity_days", "10")
    assert answer.status_code == 302
    spec = registry.get("03.1")
    assert params.effective_all(spec, demo["dc_th"])["resolution_publicity_days"] == 10
    change = TenantSetting.history.get(region_id=demo["sfq"].pk)
    assert change.history_user.username == "sfq_district_org"
    assert change.value == "10" and change.note == "区委组织部〔2026〕12号"
    page = client.get(URL).content.decode()
    assert "设为 10" in page


def test_a_smaller_limit_is_stricter_and_saved(client, user, demo):
    """Before issue 11 the district's 5 minutes for the 119 call was saved and ignored."""
    client.force_login(user("dc_township_government"))
    assert post(client, demo["dc"], "10.4", "fire_call_minutes", "5").status_code == 302
    spec = registry.get("10.4")
    assert params.effective_all(spec, demo["dc_th"])["fire_call_minutes"] == 5
    assert params.effective_all(spec, demo["dc_yl"])["fire_call_minutes"] == 5
    assert params.effective_all(spec, demo["xh_sq"])["fire_call_minutes"] == 10


@pytest.mark.parametrize(("param", "value", "says"), [
    ("resolution_publicity_days", "6", "不得低于7天"),
    ("resolution_publicity_days", "七", "不是有效的取值"),
    ("members_quorum", "1/3", "不得低于"),
])
def test_a_weaker_or_broken_number_is_refused_and_nothing_changes(client, user, demo, param,
                                                                 value, says):
    client.force_login(user("sfq_district_org"))
    answer = post(client, demo["sfq"], "03.1", param, value)
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert not TenantSetting.objects.exists()


def test_a_township_may_not_loosen_what_the_district_set(client, user, demo):
    TenantSetting.objects.create(region=demo["sfq"], procedure="03.1",
                                 param="resolution_publicity_days", value="10")
    client.force_login(user("dc_township_party"))
    answer = post(client, demo["dc"], "03.1", "resolution_publicity_days", "8")
    assert answer.status_code == 400
    assert "只能设得更严" in answer.content.decode()
    assert post(client, demo["dc"], "03.1", "resolution_publicity_days", "12").status_code == 302


def test_a_change_needs_its_basis(client, user, demo):
    client.force_login(user("sfq_district_org"))
    answer = post(client, demo["sfq"], "03.1", "resolution_publicity_days", "10", note="")
    assert answer.status_code == 400
    assert "请填写调整的依据" in answer.content.decode()
    assert not TenantSetting.objects.exists()


def test_a_township_cannot_set_another_townships_numbers(client, user, demo):
    client.force_login(user("dc_township_party"))
    answer = post(client, demo["xh"], "03.1", "resolution_publicity_days", "10")
    assert answer.status_code == 404
    assert not TenantSetting.objects.exists()


def test_clearing_restores_the_default_and_is_kept_in_the_history(client, user, demo):
    client.force_login(user("sfq_district_org"))
    post(client, demo["sfq"], "03.1", "resolution_publicity_days", "10")
    client.post(URL, {"region": demo["sfq"].pk, "procedure": "03.1",
                      "param": "resolution_publicity_days", "clear": "1"})
    assert not TenantSetting.objects.exists()
    kinds = list(TenantSetting.history.order_by("history_date")
                 .values_list("history_type", flat=True))
    assert kinds == ["+", "-"]

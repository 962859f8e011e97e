"""The portal's own error pages (issue 12, point 9): 403, 404, 500, 400 and the CSRF failure
in Chinese (English below when it exists), in the portal's frame, with the way back; a
missing row and another village's answer the same bytes; the 500 page needs no database
and no request; the API keeps its JSON body."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.errors import TEXTS, words
from tests.access import MISSING, same_404
from tests.driver import GATE, open_case

pytestmark = pytest.mark.django_db


def _ours(html: str, heading: str) -> None:
    assert heading in html
    assert 'class="top"' in html and "村(社区)履职事项全程纪实平台" in html  # the frame
    assert 'href="/"' in html and "返回首页" in html  # the way back
    assert "data-back" in html  # 上一页, shown by static/js/back.js when there is one
    assert "Not Found" not in html and "Traceback" not in html and "csrfmiddlewaretoken" not in html


def test_another_village_s_case_is_the_same_404_as_a_missing_one(web, demo, settings):
    assert settings.DEBUG is False  # as in production (pytest-django turns DEBUG off)
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印",
                     via=GATE).row
    client = web("dc_yl_committee_member")
    same_404(client, f"/cases/{MISSING}/", f"/cases/{case.pk}/")
    answer = client.get(f"/cases/{case.pk}/")
    _ours(answer.content.decode(), "页面不存在,或者您无权查看")
    assert f"/cases/{case.pk}/" not in answer.content.decode()  # no address: same bytes
    assert answer.content == client.get(f"/cases/{MISSING}/").content


def test_the_board_of_a_township_or_of_nothing_is_our_404(client, demo):
    for region_id in (demo["dc"].pk, demo["sfq"].pk, MISSING):
        answer = client.get(f"/board/{region_id}/")
        assert answer.status_code == 404
        _ours(answer.content.decode(), "页面不存在")
    assert client.get(f"/board/{demo['dc'].pk}/").content == \
        client.get(f"/board/{MISSING}/").content


def test_the_demo_shows_our_404_and_403_too(web, demo, settings):
    """``./dev run`` serves the demo with DEBUG on: a wrong board or case id, or a page the
    user may not open, is still the portal's own page, not Django's technical one."""
    settings.DEBUG = True
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印",
                     via=GATE).row
    for client, url in ((web(None), f"/board/{demo['dc'].pk}/"),
                        (web("dc_yl_committee_member"), f"/cases/{case.pk}/"),
                        (web("dc_yl_committee_member"), f"/cases/{MISSING}/")):
        answer = client.get(url)
        assert answer.status_code == 404
        body = answer.content.decode()
        _ours(body, "页面不存在")
        assert "DEBUG = True" not in body and "URLconf" not in body
    forbidden = web("dc_th_committee_member").get("/settings/")
    assert forbidden.status_code == 403 and "DEBUG = True" not in forbidden.content.decode()


def test_an_address_that_names_nothing_is_our_404_for_anyone(web):
    for c in (web(None), web("dc_th_committee_member")):
        answer = c.get("/no/such/page/")
        assert answer.status_code == 404
        _ours(answer.content.decode(), "页面不存在")


def test_a_forbidden_page_is_our_403_with_a_way_to_sign_in_as_someone_else(web):
    answer = web("dc_th_committee_member").get("/settings/")
    assert answer.status_code == 403
    html = answer.content.decode()
    _ours(html, "您没有办理这项操作的权限")
    assert 'href="/accounts/login/"' in html and "换个账号登录" in html


def test_a_form_posted_without_its_token_is_our_csrf_page():
    client = Client(enforce_csrf_checks=True)
    answer = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert answer.status_code == 403
    html = answer.content.decode()
    _ours(html, "页面已过期,请重新提交")
    assert "CSRF verification failed" not in html


def test_the_500_page_renders_without_a_request_or_a_database():
    with CaptureQueriesContext(connection) as queries:
        html = loader.get_template("500.html").render()  # as Django's server_error does
    assert not queries.captured_queries
    _ours(html, "系统出错了,请稍后再试")


def test_a_server_error_answers_our_500_page(web, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("workflows.web.views.catalogue.catalogue", broken)
    client = web("dc_th_committee_member")
    client.raise_request_exception = False
    answer = client.get("/procedures/")
    assert answer.status_code == 500
    _ours(answer.content.decode(), "系统出错了")


def test_the_api_keeps_its_json_body_for_an_address_that_names_nothing(api):
    answer = api("dc_th_committee_member").get("/api/no-such-thing/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found" and answer.json()["detail"]


def test_english_below_appears_only_where_an_english_text_exists():
    with translation.override("zh-hans"):
        shown = words("404")
    assert shown["heading"] == str(TEXTS["404"].heading)
    with translation.override("en"):
        english = str(TEXTS["404"].heading)
        assert words("404")["english"] == {}  # an English reader reads it once
    if english == shown["heading"]:  # not translated yet: no Chinese twice
        assert shown["english"] == {}
    else:
        assert shown["english"]["heading"] == english


def test_an_error_page_in_english_says_so_in_its_language(web):
    client = web("dc_th_committee_member")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/no/such/page/").content.decode()
    assert '<html lang="en">' in html and "Back to home" in html

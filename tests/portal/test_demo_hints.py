"""What the demo offers a first visitor: the demo logins on the login page (DEBUG only),
the API's index at /api/ and its interactive schema view served from vendored files."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders

from core.models import User
from core.roles import Role
from portal.demo import DEMO_PASSWORD, DEMO_TRIES


def test_the_login_page_lists_the_demo_logins_in_debug(web, settings):
    settings.DEBUG = True
    page = web().get("/accounts/login/").content.decode()
    assert DEMO_PASSWORD in page
    for username, what in DEMO_TRIES:
        assert f"<code>{username}</code>" in page
        assert str(what) in page
    secretary = User.objects.get(username="dc_th_branch_secretary")
    line = page.split("<code>dc_th_branch_secretary</code>")[1].split("</li>")[0]
    assert secretary.full_name in line and "桃花村" in line
    assert str(Role.BRANCH_SECRETARY.label) in line
    assert re.search(r'href="/board/\d+/"', page)


def test_the_login_page_has_no_demo_logins_without_debug(web, settings):
    settings.DEBUG = False
    page = web().get("/accounts/login/").content.decode()
    assert DEMO_PASSWORD not in page
    assert "dc_th_branch_secretary" not in page
    assert "演示账号" not in page


def test_api_answers_its_index(api):
    answer = api().get("/api/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["schema"] == "/api/schema/"
    assert body["docs"] == "/api/docs/"
    listed = {(e["method"], e["url"]) for e in body["endpoints"]}
    assert {("GET", "/api/procedures/"), ("POST", "/api/cases/"),
            ("GET", "/api/cases/{id}/"), ("POST", "/api/cases/{id}/actions/"),
            ("POST", "/api/token/"), ("GET", "/api/registers/")} <= listed
    assert all(e["description"] for e in body["endpoints"])
    # any other address under /api/ is still the API's JSON 404
    missing = api().get("/api/nothing-here/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_the_interactive_schema_uses_only_vendored_files(web):
    page = web("dc_th_branch_secretary").get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))], sources
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert any("swagger-ui-bundle" in s for s in scripts), scripts
    for url in scripts:
        path = url.split("?")[0].removeprefix("/static/")
        assert finders.find(path), url
    assert "/api/schema/" in html
    # the docs, like the schema, are for signed-in users; the refusal is JSON
    assert web().get("/api/docs/").status_code in (401, 403)

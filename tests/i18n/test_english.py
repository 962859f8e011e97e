"""English is switchable for real: pages change language, and the catalogue is complete."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from core.models import Region
from tests.driver import GATE, open_case
from workflows.models import Case

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"


# --- switching pages -------------------------------------------------------------------------


@pytest.fixture
def seal_case(demo: dict[str, Region]) -> Case:
    return open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="出具居住证明用印",
                     via=GATE).row


def switch(client: Client, language: str, next_url: str = "/") -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def assert_language(html: str, lang: str, present: list[str], absent: list[str]) -> None:
    """The labels in `present` are shown and those in `absent` are not (outside <title>,
    which some views still fill with an untranslated string)."""
    assert f'<html lang="{lang}">' in html
    body = re.sub(r"<title>.*?</title>", "", html, flags=re.S)
    for text in present:
        assert text in body, f"{text!r} missing"
    for text in absent:
        assert text not in body, f"{text!r} still shown"


def test_chinese_is_the_default(web):
    html = page(web(None), "/accounts/login/")
    assert_language(html, "zh-hans", ["登录", "用户名", ">English</button>"],
                    ["Sign in", "Username"])


def test_the_login_page_switches_to_english_and_back(web):
    client = web(None)
    switch(client, "en", "/accounts/login/")
    assert_language(page(client, "/accounts/login/"), "en",
                    ["Sign in", "Username", "Password", "Village (Community) Duty Record Portal",
                     ">中文</button>"],
                    ["登录", "用户名", "村(社区)履职事项全程纪实平台", ">English</button>"])
    switch(client, "zh-hans", "/accounts/login/")
    assert_language(page(client, "/accounts/login/"), "zh-hans", ["登录", "用户名"],
                    ["Sign in", "Username"])


def test_a_wrong_password_is_explained_in_english(web):
    client = web(None)
    switch(client, "en")
    response = client.post("/accounts/login/", {"username": "dc_th_committee_member",
                                                 "password": "wrong"})
    html = response.content.decode()
    assert "Incorrect username or password." in html
    assert "用户名或密码不正确" not in html


def test_the_inbox_switches_to_english_and_back(web, seal_case):
    client = web("dc_th_committee_member")
    switch(client, "en")
    assert_language(page(client, "/"), "en",
                    ["My tasks", "My positions", "Open a case", "Procedures", "Case records",
                     "Member of the Villagers&#x27; (Residents&#x27;) Committee"],
                    ["我的待办", "我的职务", "发起事项", "事项目录", "村委会委员"])
    switch(client, "zh-hans")
    assert_language(page(client, "/"), "zh-hans", ["我的待办", "我的职务", "村委会委员"],
                    ["My tasks", "My positions"])


def test_the_catalogue_switches_to_english(web):
    client = web("dc_th_committee_member")
    switch(client, "en", "/procedures/")
    assert_language(page(client, "/procedures/"), "en",
                    ["Jump to category", "Guiding department", "View full description"],
                    ["按类别跳转", "指导单位", "查看完整说明"])


def test_the_case_page_switches_to_english_and_back(web, seal_case):
    client = web("dc_th_committee_member")
    url = f"/cases/{seal_case.pk}/"
    switch(client, "en", url)
    assert_language(page(client, url), "en",
                    ["Current step", "In progress", "Case records", "(optional)"],
                    ["当前环节", "办理中", "办理记录", "(选填)"])
    switch(client, "zh-hans", url)
    assert_language(page(client, url), "zh-hans", ["当前环节", "办理中"],
                    ["Current step", "In progress"])


def test_the_dashboard_switches_to_english(web):
    client = web("sfq_district_org")
    switch(client, "en", "/dashboard/")
    assert_language(page(client, "/dashboard/"), "en",
                    ["Case dashboard", "All areas", "Export Excel", "Statistics"],
                    ["事项办理看板", "全部辖区", "导出 Excel"])


def test_an_unknown_language_changes_nothing(web):
    client = web(None)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/accounts/login/"})
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert_language(page(client, "/accounts/login/"), "zh-hans", ["登录"], ["Sign in"])


# --- the catalogue ---------------------------------------------------------------------------


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags."""
    entries: list[dict] = []
    entry: dict = {}
    key = ""

    def flush() -> None:
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if key.startswith("msgstr"):
                entry["msgstr"][-1] += value
            else:
                entry[key] += value
        else:
            key, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if key.startswith("msgstr"):
                entry.setdefault("msgstr", []).append(value)
            else:
                if key == "msgid" and "msgid" in entry:
                    flush()
                entry[key] = value
    flush()
    return entries


def catalogue() -> list[dict]:
    return [e for e in parse_po(PO_FILE) if e["msgid"] and not e.get("obsolete")]


def test_the_catalogue_is_large_and_parsed():
    entries = catalogue()
    assert len(entries) > 500
    assert any(e["msgid"] == "我的待办" for e in entries)


def test_every_message_is_translated_and_none_is_fuzzy():
    header = next(e for e in parse_po(PO_FILE) if e["msgid"] == "")
    assert "fuzzy" not in header.get("flags", set())
    problems = []
    for e in catalogue():
        if "fuzzy" in e.get("flags", set()):
            problems.append(("fuzzy", e["msgid"]))
        expected = 2 if "msgid_plural" in e else 1
        if len(e["msgstr"]) != expected or not all(s.strip() for s in e["msgstr"]):
            problems.append(("untranslated", e["msgid"]))
    assert problems == []


def test_no_chinese_is_left_in_a_translation():
    han = re.compile(r"[\u4e00-\u9fff]")
    left = [e["msgid"] for e in catalogue() if any(han.search(s) for s in e["msgstr"])]
    assert left == []


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\w*\}")


def test_placeholders_are_kept():
    wrong = []
    for e in catalogue():
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"]:
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((e["msgid"], text))
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file():
    """A forgotten compilemessages fails here: the .mo must hold exactly what the .po says.

    Compared by content, not by mtime: a fresh git checkout gives both files arbitrary times.
    """
    with MO_FILE.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for e in catalogue():
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            for n, text in enumerate(e["msgstr"]):
                expected[(key, n)] = text
        else:
            expected[key] = e["msgstr"][0]
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected

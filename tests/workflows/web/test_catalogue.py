"""The catalogue (事项目录): grouped by category, searchable by name, code, category and pinyin
initials (one matcher for the page's script and for ``?q=``), and each card saying whether the
user can start it and, if not, who can."""

from __future__ import annotations

import re

import pytest

from core.places import PlaceKind
from workflows.registry import registry
from workflows.web.catalogue import code_keys, matches, opener_words, pinyin_keys, search_text
from workflows.wording import placed


def _text(code: str, place: PlaceKind | None = PlaceKind.VILLAGE) -> str:
    spec = placed(registry.get(code), place)
    return search_text(spec, opener_words(spec, place))


def _found(query: str) -> set[str]:
    return {code for code in registry.codes() if matches(query, _text(code))}


def _cards(html: str) -> dict[str, bool]:
    """Each card's code and whether it is shown (no ``hidden`` attribute)."""
    return {m[1]: not m[2] for m in re.finditer(
        r'<article class="card procedure compact" id="p-([^"]+)" data-search="[^"]*"( hidden)?',
        html)}


def test_pinyin_initials_find_a_procedure_by_its_chinese_name():
    assert "fzdy" in pinyin_keys("党员管理(党支部发展党员)")
    assert _found("fzdy") == {"01.1"}
    assert _found("sylg") == {"03.1", "03.2"}
    assert _found("SYLG cgmy") == {"03.2"}  # 村规民约: every word must match
    assert _found("siyilianggongkai") == {"03.1", "03.2"}


def test_a_procedure_is_found_by_any_way_of_writing_its_code():
    assert code_keys("01.1") == "01.1 011 0101 01(1)"
    for query in ("01.1", "0101", "01(1)"):
        assert "01.1" in _found(query), query
    assert _found("10.4") == {"10.4"}
    assert _found("06") >= {"06"}


def test_category_name_and_the_roles_that_start_it_are_searched():
    assert {"07.1", "07.2", "07.3", "08", "09", "10.1"} <= _found("平安建设")
    assert _found("印章") == {"04.1", "04.2", "04.3"}
    assert "04.2" in _found("村委会委员")  # the openers, in the village's words


def test_an_empty_query_matches_everything_and_nonsense_nothing():
    assert _found("") == set(registry.codes())
    assert _found("   ") == set(registry.codes())
    assert _found("qqqzzz") == set()


def test_the_catalogue_is_grouped_by_category_in_the_specs_order(web):
    html = web("dc_th_committee_member").get("/procedures/").content.decode()
    headings = re.findall(r'<h2 id="cat-\d+" class="category">([^<]+)</h2>', html)
    categories = list(dict.fromkeys(str(s.category) for s in registry.all()))
    assert headings == categories
    assert all(_cards(html).values()) and len(_cards(html)) == len(registry.codes())


def test_a_card_says_it_can_be_started_or_who_starts_it(web):
    html = web("dc_th_committee_member").get("/procedures/").content.decode()
    seal = html[html.index('id="p-04.2"'):html.index('id="p-04.3"')]
    assert "可发起" in seal and "/procedures/04.2/#open" in seal
    party = html[html.index('id="p-01.1"'):html.index('id="p-01.2"')]
    assert "可发起" not in party and "/procedures/01.1/#open" not in party
    assert "由 党支部书记、党支部副书记、支委委员 发起" in party
    township = html[html.index('id="p-06"'):html.index('id="p-07.1"')]
    assert "由 镇人民政府(街道办事处) 发起" in township


def test_who_starts_it_reads_in_the_place_s_words(web):
    def opens_043(username: str) -> str:
        html = web(username).get("/procedures/").content.decode()
        card = html[html.index('id="p-04.3"'):html.index('id="p-05.1"')]
        return re.search(r"由 (\S+) 发起", card)[1]  # type: ignore[index]

    assert opens_043("dc_th_seal_keeper") == "村委会主任、村委会委员、党支部书记"
    assert opens_043("xh_qq_seal_keeper") == "居委会主任、居委会委员、党支部书记"


def test_the_query_filters_on_the_server_without_the_script(web):
    client = web("dc_th_committee_member")
    cards = _cards(client.get("/procedures/", {"q": "sylg"}).content.decode())
    assert {code for code, shown in cards.items() if shown} == {"03.1", "03.2"}
    assert len(cards) == len(registry.codes())  # the others are there, hidden, for the script
    html = client.get("/procedures/", {"q": "sylg"}).content.decode()
    assert 'value="sylg"' in html and "共 2 个事项" in html
    none = client.get("/procedures/", {"q": "没有这个事项"}).content.decode()
    assert "没有找到相符的事项" in none
    assert not any(_cards(none).values())


def test_the_english_catalogue_is_searched_by_english_words(web):
    client = web("dc_th_committee_member")
    client.post("/i18n/setlang/", {"language": "en", "next": "/procedures/"})
    html = client.get("/procedures/", {"q": "organisation department"}).content.decode()
    assert '<html lang="en">' in html
    shown = {code for code, ok in _cards(html).items() if ok}
    assert "01.1" in shown and "04.2" not in shown  # 区委组织部 guides 01.1, not 04.2
    html = client.get("/procedures/", {"q": "fzdy"}).content.decode()
    assert {code for code, ok in _cards(html).items() if ok} == {"01.1"}
    assert "Party Branch Secretary" in html


@pytest.mark.parametrize("username", ["dc_th_committee_member", "dc_township_party",
                                      "sfq_district_org"])
def test_the_catalogue_runs_a_bounded_number_of_queries(web, username,
                                                       django_assert_max_num_queries):
    client = web(username)
    client.get("/procedures/")
    with django_assert_max_num_queries(12):
        assert client.get("/procedures/", {"q": "印章"}).status_code == 200

"""Words of a village or a community (issue 11, point 12)."""

from __future__ import annotations

import pytest

from core.places import PlaceKind, place_words, words_of

V, C = PlaceKind.VILLAGE, PlaceKind.COMMUNITY


@pytest.mark.parametrize(("text", "village", "community"), [
    ("本村(社区)村(居)务监督委员会", "本村村务监督委员会", "本社区居务监督委员会"),
    ("经村(居)两委会议通过", "经村两委会议通过", "经社区两委会议通过"),
    ("本村(社区)十八周岁以上村民", "本村十八周岁以上村民", "本社区十八周岁以上居民"),
    ("村（居）民代表会议", "村民代表会议", "居民代表会议"),  # full-width brackets too
    ("村(居)民会议、村民代表会议", "村民会议、村民代表会议", "居民会议、居民代表会议"),
    ("村规民约(居民公约)", "村规民约", "居民公约"),
    ("镇(街道)审核", "镇(街道)审核", "镇(街道)审核"),  # a township's words are not a place's
])
def test_a_village_and_a_community_print_their_own_words(text, village, community):
    assert place_words(text, V) == village
    assert place_words(text, C) == community
    assert place_words(text, None) == text


def test_the_bodies_sign_with_the_places_name(demo):
    th, qq = words_of(demo["dc_th"]), words_of(demo["xh_qq"])
    assert (th.committee, th.supervisory, th.branch, th.board) == (
        "桃花村村民委员会", "桃花村村务监督委员会", "中共桃花村支部委员会", "村务公开栏")
    assert (qq.committee, qq.supervisory, qq.board) == (
        "清泉社区居民委员会", "清泉社区居务监督委员会", "居务公开栏")

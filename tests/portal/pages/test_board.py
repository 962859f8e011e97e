"""The public board: no login, villages only, public fields only, personal numbers masked."""

import pytest

from portal.pages.board import mask_personal
from tests.portal.pages import scenario
from tests.portal.pages.helpers import queries_for


@pytest.mark.parametrize(("text", "masked"), [
    ("身份证号 330102199001011234。", "身份证号 330102********1234。"),
    ("33010219900101123X", "330102********123X"),
    ("电话13812345678,", "电话138****5678,"),
    ("编号 1234567890123456789 不变", "编号 1234567890123456789 不变"),  # 19 digits
    ("合同金额 21000 元", "合同金额 21000 元"),
    ("", ""),
])
def test_mask_personal(text, masked):
    assert mask_personal(text) == masked


def test_anonymous_reads_notices_and_resolutions(cases, web, demo):
    response = web(None).get(f"/board/{demo['dc_th'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "正在公示" in body and "决议公告:村道硬化工程" in body
    assert "330102********1234" in body and "138****5678" in body
    assert "330102199001011234" not in body and "13812345678" not in body
    assert "同意鱼塘公开发包,期限五年,底价每年2万元。" in body   # the resolution
    assert "已于公开招标后签订发包合同" in body                  # and its implementation
    assert "已公开实施结果" in body and "决议公开中" in body
    assert "发包期限是否过长" not in body  # objections are not published
    assert "证明" not in body               # seal cases are not 03.1 and have no notice
    assert 'name="viewport"' in body


def test_another_village_board_shows_only_its_own(cases, web, demo):
    body = web(None).get(f"/board/{demo['xh_qq'].pk}/").content.decode()
    assert "社区停车位改造" in body
    assert "村道硬化工程" not in body


def test_only_villages_have_boards(cases, web, demo):
    client = web(None)
    assert client.get(f"/board/{demo['dc'].pk}/").status_code == 404
    assert client.get(f"/board/{demo['sfq'].pk}/").status_code == 404
    assert client.get("/board/999999/").status_code == 404


def test_board_query_count_does_not_grow(cases, web, demo, django_assert_max_num_queries):
    client = web(None)
    url = f"/board/{demo['dc_th'].pk}/"
    before = queries_for(client, url)
    scenario.four_and_two(demo["dc_th"], "dc_th", "村部修缮", "同意修缮村部。", finish=False)
    scenario.four_and_two(demo["dc_th"], "dc_th", "路灯安装", "同意安装路灯。", finish=True)
    assert queries_for(client, url) == before
    # notices (with their objection counts), resolutions, digests, the committee's contacts
    with django_assert_max_num_queries(5):
        client.get(url)


def test_subsidy_roster_notice_shows_no_full_id_number(demo, web, media_tmp):
    """06: the farmland-subsidy roster goes on the board; ID numbers never appear whole."""
    from tests.subsidies.helpers import LI, WANG, open_subsidy, submit_roster, xlsx
    from workflows.models import PublicityNotice

    case = open_subsidy(demo["dc_th"].pk)
    response = submit_roster(case, xlsx([("王建国", WANG, 3.5), ("李秀英", LI, 2)]))
    assert response.status_code == 200, response.content
    notice = PublicityNotice.objects.get(case_id=case.id)
    page = web(None).get(f"/board/{demo['dc_th'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert notice.title in html
    assert "王建国" in html and "370.41" in html  # the roster itself is public
    for number in (WANG, LI):
        assert number not in html
        assert number[:6] + "*" * 8 + number[-4:] in html

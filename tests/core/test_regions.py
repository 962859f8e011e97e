import pytest
from django.core.exceptions import ValidationError

from core.models import Region
from core.roles import Level


def test_path_is_ids_from_the_root(demo):
    village = demo["dc_th"]
    assert village.path == f"{demo['sfq'].pk}/{demo['dc'].pk}/{village.pk}/"
    assert village.ancestor_ids == [demo["sfq"].pk, demo["dc"].pk, village.pk]


def test_under_is_one_prefix_query(demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(Region.objects.under(demo["dc"]).values_list("name", flat=True))
    assert names == {"东城镇", "桃花村", "杨柳村"}
    assert set(Region.objects.under(demo["sfq"]).villages().values_list("name", flat=True)) == {
        "桃花村", "杨柳村", "清泉社区", "石桥村"}


def test_under_excluding_self(demo):
    assert demo["dc"] not in Region.objects.under(demo["dc"], include_self=False)


def test_village_must_hang_under_a_township(demo):
    bad = Region(code="330299000999", name="错村", level=Level.VILLAGE, parent=demo["sfq"])
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert "parent" in err.value.message_dict


def test_district_has_no_parent(demo):
    bad = Region(code="330299000998", name="错区", level=Level.DISTRICT, parent=demo["sfq"])
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_code_must_be_twelve_digits(demo):
    bad = Region(code="1234", name="短码镇", level=Level.TOWNSHIP, parent=demo["sfq"])
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert "code" in err.value.message_dict


def test_full_name_reads_down_the_tree(demo):
    assert demo["xh_qq"].full_name == "示范区西河镇清泉社区"

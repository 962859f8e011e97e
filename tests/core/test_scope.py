"""core.scope: the regions a user sees, and access_region's cross-village 404 (missing and out
of scope alike) on the function and on the pages and API answers that ask it."""

import pytest
from django.http import Http404

from core.scope import access_region, visible_regions
from tests.access import MISSING, raises_alike, same_404
from tests.driver import as_user, person


def test_visible_regions_and_access_region(demo, user):
    assert set(visible_regions(user("dc_township_party"))) == {demo["dc"], demo["dc_th"],
                                                             demo["dc_yl"]}
    assert set(visible_regions(user("dc_th_mediator"))) == {demo["dc_th"]}
    assert access_region(user("dc_th_mediator"), demo["dc_th"].pk) == demo["dc_th"]
    with pytest.raises(Http404):
        access_region(user("dc_th_mediator"), demo["dc_yl"].pk)
    with pytest.raises(Http404):
        access_region(user("dc_township_party"), demo["xh_qq"].pk)
    assert demo["xh_sq"] in set(visible_regions(user("sfq_district_justice")))


@pytest.mark.parametrize(("username", "other"), [
    ("dc_yl_committee_member", "dc_th"),   # a sibling village
    ("dc_th_supervisory_member", "dc"),    # the township above the village
    ("dc_township_party", "xh_qq"),        # a village of the other township
    ("xh_township_government", "dc"),      # the other township
])
def test_another_region_is_404_like_a_missing_one(demo, username, other):
    region = demo[other].pk
    raises_alike(access_region, person(username), MISSING, region)
    raises_alike(access_region, person(username), "abc", region)
    same_404(as_user(username), f"/api/cases/?region={MISSING}", f"/api/cases/?region={region}")


@pytest.mark.parametrize(("username", "other"), [("dc_township_party", "xh_qq"),
                                                 ("xh_township_government", "dc_th")])
def test_the_pages_that_take_a_region_answer_alike(demo, web, username, other):
    client, region = web(username), demo[other].pk
    for page in ("/cases/?region={}", "/dashboard/?region={}"):
        same_404(client, page.format(MISSING), page.format(region))


@pytest.mark.parametrize(("username", "own"), [("dc_th_committee_member", "dc_th"),
                                               ("dc_township_party", "dc"),
                                               ("dc_township_party", "dc_yl"),
                                               ("sfq_district_org", "xh_sq")])
def test_a_region_the_user_works_in_or_above_is_given(demo, username, own):
    assert access_region(person(username), demo[own].pk) == demo[own]
    assert as_user(username).get(f"/api/cases/?region={demo[own].pk}").status_code == 200

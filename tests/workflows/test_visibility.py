"""Every visibility rule, with users of sibling villages and townships."""

import pytest
from django.http import Http404

from core.models import Membership
from tests.factories import CaseFactory
from workflows.visibility import access_case, grant_case, visible_cases


@pytest.fixture
def cases(demo, user):
    """A case row of each of four procedures in each of the four villages."""
    opener = user("dc_th_branch_secretary")
    return {
        (slug, proc): CaseFactory(region=demo[slug], procedure=proc, opened_by=opener)
        for slug in ("dc_th", "dc_yl", "xh_qq", "xh_sq")
        for proc in ("03.1", "04.1", "04.2", "04.3")
    }


def seen(u):
    return {(c.region.code, c.procedure) for c in visible_cases(u).select_related("region")}


def codes(demo, slugs, procs=("03.1", "04.1", "04.2", "04.3")):
    return {(demo[s].code, p) for s in slugs for p in procs}


def test_village_cadre_sees_only_own_village(demo, user, cases):
    assert seen(user("dc_th_branch_secretary")) == codes(demo, ["dc_th"])
    assert seen(user("dc_yl_committee_director")) == codes(demo, ["dc_yl"])


def test_township_sees_its_villages_not_the_other_township(demo, user, cases):
    assert seen(user("dc_township_party")) == codes(demo, ["dc_th", "dc_yl"])
    assert seen(user("xh_township_government")) == codes(demo, ["xh_qq", "xh_sq"])


def test_district_bureau_sees_only_procedures_it_guides(demo, user, cases):
    everywhere = ["dc_th", "dc_yl", "xh_qq", "xh_sq"]
    assert seen(user("sfq_district_civil_affairs")) == codes(demo, everywhere, ["03.1", "04.2"])
    assert seen(user("sfq_district_agriculture")) == codes(demo, everywhere, ["03.1", "04.3"])
    assert seen(user("sfq_district_emergency")) == set()


def test_organisation_department_and_leaders_see_all(demo, user, cases):
    everywhere = ["dc_th", "dc_yl", "xh_qq", "xh_sq"]
    assert seen(user("sfq_district_org")) == codes(demo, everywhere)
    assert seen(user("sfq_district_leader")) == codes(demo, everywhere)


def test_supervisory_committee_sees_all_of_its_village(demo, user, cases):
    assert seen(user("xh_sq_supervisory_member")) == codes(demo, ["xh_sq"])


def test_out_of_scope_case_is_404(demo, user, cases):
    other = cases[("dc_yl", "04.2")]
    with pytest.raises(Http404):
        access_case(user("dc_th_committee_director"), other.pk)
    with pytest.raises(Http404):
        access_case(user("xh_township_party"), other.pk)
    with pytest.raises(Http404):
        access_case(user("sfq_district_emergency"), other.pk)
    assert access_case(user("dc_township_party"), other.pk) == other


def test_missing_case_is_404_like_out_of_scope(demo, user, cases):
    with pytest.raises(Http404):
        access_case(user("sfq_district_org"), 999999)
    with pytest.raises(Http404):
        access_case(user("sfq_district_org"), "not-a-number")


def test_guardian_grant_adds_one_case(demo, user, cases):
    outsider = user("xh_qq_branch_secretary")
    shared = cases[("dc_th", "04.1")]
    grant_case(outsider, shared)
    outsider = type(outsider).objects.get(pk=outsider.pk)
    assert access_case(outsider, shared.pk) == shared
    with pytest.raises(Http404):
        access_case(outsider, cases[("dc_th", "04.2")].pk)


def test_ended_membership_sees_nothing(demo, user, cases):
    cadre = user("dc_th_committee_member")
    Membership.objects.filter(user=cadre).update(end="2000-01-01", start="1999-01-01")
    cadre = type(cadre).objects.get(pk=cadre.pk)
    assert seen(cadre) == set()


def test_anonymous_sees_nothing(demo, cases):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_cases(AnonymousUser()).exists()

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.models import Membership, User
from core.roles import ROLE_LEVEL, Level, Role
from core.scope import get_scope

CONTRACT_ROLES = {
    "village": ["branch_secretary", "branch_deputy", "branch_committee", "party_group_leader",
                "party_member", "committee_director", "committee_member", "supervisory_member",
                "collective_head", "collective_supervisor", "seal_keeper", "grid_worker",
                "mediator"],
    "township": ["township_party", "township_government", "township_discipline",
                 "township_armed", "township_women", "township_league", "township_justice"],
    "district": ["district_org", "district_civil_affairs", "district_agriculture",
                 "district_finance", "district_political_legal", "district_petitions",
                 "district_justice", "district_emergency"],
}


@pytest.mark.parametrize(("level", "code"), [(lv, c) for lv, cs in CONTRACT_ROLES.items()
                                             for c in cs])
def test_every_contract_role_exists_at_its_level(level, code):
    assert ROLE_LEVEL[Role(code)] == Level(level)


def test_role_labels_are_chinese():
    assert Role.BRANCH_SECRETARY.label == "党支部书记"
    assert Role.DISTRICT_CIVIL_AFFAIRS.label == "区民政局"


def test_role_must_match_region_level(demo):
    person = User.objects.create(username="zhang", full_name="张三")
    wrong = Membership(user=person, region=demo["dc"], role=Role.BRANCH_SECRETARY)
    with pytest.raises(ValidationError) as err:
        wrong.full_clean()
    assert "role" in err.value.message_dict
    Membership(user=person, region=demo["dc_th"], role=Role.BRANCH_SECRETARY).full_clean()


def test_mismatched_row_never_widens_scope(demo):
    person = User.objects.create(username="wang", full_name="王五")
    Membership.objects.create(user=person, region=demo["sfq"], role=Role.BRANCH_SECRETARY)
    assert get_scope(person).is_empty


@time_machine.travel(dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC), tick=False)
def test_membership_validity_dates_follow_the_election(demo):
    person = User.objects.create(username="li", full_name="李四")
    old = Membership.objects.create(user=person, region=demo["dc_th"],
                                    role=Role.COMMITTEE_DIRECTOR,
                                    start=dt.date(2021, 1, 1), end=dt.date(2026, 10, 31))
    assert not old.is_active()
    assert get_scope(person).is_empty
    Membership.objects.create(user=person, region=demo["dc_yl"], role=Role.COMMITTEE_DIRECTOR,
                              start=dt.date(2026, 11, 1))
    person = User.objects.get(pk=person.pk)
    assert [h.region_id for h in get_scope(person).held] == [demo["dc_yl"].pk]


def test_end_before_start_is_refused(demo):
    person = User.objects.create(username="zhao", full_name="赵六")
    m = Membership(user=person, region=demo["dc_th"], role=Role.MEDIATOR,
                   start=dt.date(2026, 5, 1), end=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError):
        m.full_clean()


def test_membership_changes_keep_history(demo):
    person = User.objects.create(username="qian", full_name="钱七")
    m = Membership.objects.create(user=person, region=demo["dc_th"], role=Role.MEDIATOR,
                                  start=dt.date(2026, 1, 1))
    m.end = dt.date(2026, 6, 30)
    m.save()
    assert m.history.count() == 2
    assert m.history.earliest().end is None

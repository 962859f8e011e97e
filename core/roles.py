"""The fixed roles (contract 6) and the levels of the region tree.

Codes are stable: other programs rely on them. Labels are Chinese; the level
says where a role may be held. The mapping from role to permitted step lives in
the procedure specs (workflows), never here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    DISTRICT = "district", _("区")
    TOWNSHIP = "township", _("镇(街道)")
    VILLAGE = "village", _("村(社区)")

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self]

    def parent_level(self) -> Level | None:
        return {Level.VILLAGE: Level.TOWNSHIP, Level.TOWNSHIP: Level.DISTRICT}.get(self)


LEVEL_DEPTH = {Level.DISTRICT: 0, Level.TOWNSHIP: 1, Level.VILLAGE: 2}


class Role(models.TextChoices):
    # village
    BRANCH_SECRETARY = "branch_secretary", _("党支部书记")
    BRANCH_DEPUTY = "branch_deputy", _("党支部副书记")
    BRANCH_COMMITTEE = "branch_committee", _("支委委员")
    PARTY_GROUP_LEADER = "party_group_leader", _("党小组组长")
    PARTY_MEMBER = "party_member", _("党员")
    COMMITTEE_DIRECTOR = "committee_director", _("村(居)委会主任")
    COMMITTEE_MEMBER = "committee_member", _("村(居)委会委员")
    SUPERVISORY_MEMBER = "supervisory_member", _("村(居)务监督委员会委员")
    COLLECTIVE_HEAD = "collective_head", _("集体经济组织负责人")
    COLLECTIVE_SUPERVISOR = "collective_supervisor", _("集体经济组织监事会成员")
    SEAL_KEEPER = "seal_keeper", _("印章保管人")
    GRID_WORKER = "grid_worker", _("网格员")
    MEDIATOR = "mediator", _("调解员")
    # township
    TOWNSHIP_PARTY = "township_party", _("镇(街道)党(工)委")
    TOWNSHIP_GOVERNMENT = "township_government", _("镇人民政府(街道办事处)")
    TOWNSHIP_DISCIPLINE = "township_discipline", _("镇(街道)纪(工)委")
    TOWNSHIP_ARMED = "township_armed", _("镇(街道)武装部")
    TOWNSHIP_WOMEN = "township_women", _("镇(街道)妇联")
    TOWNSHIP_LEAGUE = "township_league", _("镇(街道)团委")
    # 司法所: decides the assessments of persons under community correction (社区矫正法 第九条)
    TOWNSHIP_JUSTICE = "township_justice", _("镇(街道)司法所")
    # district
    DISTRICT_ORG = "district_org", _("区委组织部")
    DISTRICT_CIVIL_AFFAIRS = "district_civil_affairs", _("区民政局")
    DISTRICT_AGRICULTURE = "district_agriculture", _("区农业农村局")
    DISTRICT_FINANCE = "district_finance", _("区财政局")
    DISTRICT_POLITICAL_LEGAL = "district_political_legal", _("区委政法委")
    DISTRICT_PETITIONS = "district_petitions", _("区信访局")
    DISTRICT_JUSTICE = "district_justice", _("区司法局")
    DISTRICT_EMERGENCY = "district_emergency", _("区应急管理局")
    DISTRICT_LEADER = "district_leader", _("区委区政府领导")

    @property
    def level(self) -> Level:
        return ROLE_LEVEL[self]


_VILLAGE = {
    Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY, Role.BRANCH_COMMITTEE, Role.PARTY_GROUP_LEADER,
    Role.PARTY_MEMBER, Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER, Role.SUPERVISORY_MEMBER,
    Role.COLLECTIVE_HEAD, Role.COLLECTIVE_SUPERVISOR, Role.SEAL_KEEPER, Role.GRID_WORKER,
    Role.MEDIATOR,
}
_TOWNSHIP = {
    Role.TOWNSHIP_PARTY, Role.TOWNSHIP_GOVERNMENT, Role.TOWNSHIP_DISCIPLINE, Role.TOWNSHIP_ARMED,
    Role.TOWNSHIP_WOMEN, Role.TOWNSHIP_LEAGUE, Role.TOWNSHIP_JUSTICE,
}
ROLE_LEVEL: dict[Role, Level] = {
    role: (
        Level.VILLAGE if role in _VILLAGE
        else Level.TOWNSHIP if role in _TOWNSHIP
        else Level.DISTRICT
    )
    for role in Role
}


def roles_of_level(level: Level | str) -> list[Role]:
    return [role for role in Role if ROLE_LEVEL[role] == level]


# the village roles that act for the party branch: what they post, the branch signs
# (中共桃花村支部委员会); what the other village roles post, the committee signs
BRANCH_ROLES = (Role.BRANCH_SECRETARY, Role.BRANCH_DEPUTY, Role.BRANCH_COMMITTEE,
                Role.PARTY_GROUP_LEADER, Role.PARTY_MEMBER)

"""The rolls the party register gives the engine (``workflows.rolls``).

Who was a full member, a probationary member or no member of the branch on a day is
the register's own answer (``PartyMember.objects.on_day``, ``status_on``): its dates —
admission (接收为预备党员), conversion (转为正式党员), transfer in and out, leaving —
which the procedures write from the meetings and approvals that made them. Only full
members vote (党章: 预备党员没有表决权、选举权和被选举权; 留党察看 suspends the vote);
the others attend without a vote.

- ``party_members`` — 党员大会 (支部大会): the full members on the day vote; the
  probationary members are named as attending without a vote;
- ``party_recommendation`` — 入党积极分子推荐会: the full members vote by secret ballot;
  the probationary members and the villagers' representatives invited to watch it (the
  representatives' roll, asked of the registry: another domain keeps it) attend;
- ``party_group`` — 党小组会: the members of the group named by the form (full and
  probationary alike: a group meeting studies, it does not vote);
- ``party_all`` — 党课: every member of the branch, full and probationary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.models import Region
from party.choices import MemberStatus
from party.models import PartyMember
from party.models.members import MEMBERS
from workflows.refs import RefSource, register_ref
from workflows.rolls import (
    Roll,
    RollSource,
    compute_roll,
    day_text,
    named_roll,
    register_roll,
    roll_source,
)
from workflows.spec import Choice

REPRESENTATIVES_ROLL = "representatives"  # the villagers' representatives (decisions)


def _choice(member: PartyMember, rank: str) -> Choice:
    label = "正式党员" if rank == MemberStatus.FULL else "预备党员"
    group = f",{member.party_group}" if member.party_group else ""
    return Choice(f"party_member:{member.pk}", f"{member.name}({label}{group})")


@dataclass(frozen=True)
class Branch:
    """The branch on a day: full members with a vote, and everyone else who attends."""

    voters: list[Choice]
    full_without_vote: list[Choice]  # 留党察看: a full member without the vote
    probationary: list[Choice]
    everyone: list[tuple[PartyMember, Choice]]


def branch_on(village: Region, day: dt.date) -> Branch:
    """The register of the village on ``day`` as a meeting's roll reads it."""
    voters, suspended, probationary, everyone = [], [], [], []
    for member in PartyMember.objects.on_day(village, day, MEMBERS):
        rank = member.status_on(day)
        choice = _choice(member, str(rank))
        everyone.append((member, choice))
        if rank == MemberStatus.PROBATIONARY:
            probationary.append(choice)
        elif member.suspended_on(day):
            suspended.append(choice)
        else:
            voters.append(choice)
    return Branch(voters, suspended, probationary, everyone)


def _without_vote(branch: Branch) -> list[str]:
    return [*([f"预备党员{len(branch.probationary)}名"] if branch.probationary else []),
            *([f"受留党察看处分的党员{len(branch.full_without_vote)}名"]
              if branch.full_without_vote else [])]


def _invited_representatives(village: Region, day: dt.date) -> tuple[list[Choice], str]:
    """The villagers' representatives of the day, when their roster is kept (decisions)."""
    if roll_source(REPRESENTATIVES_ROLL) is None:
        return [], ""
    roll = compute_roll(REPRESENTATIVES_ROLL, village, day)
    return list(roll.members or ()), f"村(居)民代表{roll.due}名"


def _members_roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
    branch = branch_on(village, day)
    text = f"党员名册({day_text(day)}):有表决权的正式党员{len(branch.voters)}名"
    if without := _without_vote(branch):
        text += ";" + "、".join(without) + "列席,无表决权"
    return named_roll("party_members", "党支部党员大会", day, branch.voters, text,
                      [*branch.probationary, *branch.full_without_vote])


def _recommendation_roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
    branch = branch_on(village, day)
    representatives, counted = _invited_representatives(village, day)
    text = f"党员名册({day_text(day)}):参加无记名投票推荐的正式党员{len(branch.voters)}名"
    watching = [*_without_vote(branch), *([f"{counted}(参与监督)"] if counted else [])]
    if watching:
        text += ";" + "、".join(watching) + "列席,无表决权"
    return named_roll("party_recommendation", "入党积极分子推荐会", day, branch.voters, text,
                      [*branch.probationary, *branch.full_without_vote, *representatives])


def _group_roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
    group = narrow.strip()
    people = [c for m, c in branch_on(village, day).everyone
              if group and m.party_group == group]
    text = (f"党员名册({day_text(day)}):{group}党员{len(people)}名(含预备党员)" if group
            else "请先选择党小组")
    return named_roll("party_group", f"党小组会({group})" if group else "党小组会", day,
                      people, text)


def _all_roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
    branch = branch_on(village, day)
    text = (f"党员名册({day_text(day)}):全体党员{len(branch.everyone)}名"
            f"(其中预备党员{len(branch.probationary)}名)")
    return named_roll("party_all", "党课", day, [c for _m, c in branch.everyone], text)


def groups_on(village: Region, day: dt.date, narrow: str = "") -> list[Choice]:
    """The party groups (党小组) of the branch's members on ``day``: a ref's entries."""
    names = sorted({m.party_group for m, _c in branch_on(village, day).everyone
                    if m.party_group})
    return [Choice(name, name) for name in names]


PARTY_MEMBERS = register_roll(RollSource(
    "party_members", "党支部党员大会", "党员名册中有表决权的正式党员", _members_roll))
PARTY_RECOMMENDATION = register_roll(RollSource(
    "party_recommendation", "入党积极分子推荐会", "党员名册中的正式党员(无记名投票)",
    _recommendation_roll))
PARTY_GROUP = register_roll(RollSource(
    "party_group", "党小组会", "党员名册中该党小组的党员", _group_roll))
PARTY_ALL = register_roll(RollSource("party_all", "党课", "党员名册中的全体党员", _all_roll))

PARTY_GROUPS = register_ref(RefSource("party_group", "党小组", groups_on))

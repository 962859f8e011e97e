"""The rolls personnel gives the engine (``workflows.rolls``): the delegates of the women's
congress (妇代会) and of the league congress (团员代表大会) serving on the day it met."""

from __future__ import annotations

import datetime as dt

from core.models import Region
from personnel.choices import Congress
from personnel.models import Delegate
from workflows.rolls import Roll, RollSource, day_text, named_roll, register_roll
from workflows.spec import Choice


def _congress_roll(code: str, congress: Congress, body: str) -> RollSource:
    def roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
        people = [Choice(f"delegate:{d.pk}", d.name)
                  for d in Delegate.objects.on_day(village, congress, day)]
        return named_roll(code, body, day, people,
                          f"群团组织代表名册({day_text(day)}):{body}代表{len(people)}名")

    return register_roll(RollSource(code, body, f"群团组织代表名册中的{body}代表", roll))


WOMEN_CONGRESS = _congress_roll("women_congress", Congress.WOMEN, "妇女代表大会")
LEAGUE_CONGRESS = _congress_roll("league_congress", Congress.LEAGUE, "团员代表大会")

"""The rolls the villagers' rosters give the engine (``workflows.rolls``).

- ``representatives`` — 村(居)民代表会议: the representatives serving on the day;
- ``villagers_adults`` — 村(居)民会议, first lawful basis (村民委员会组织法 §22): the
  village's registered adults (十八周岁以上村民), from the population figure in force on
  the day; nobody is named, the cadre types how many attended;
- ``villagers_households`` — 村(居)民会议, second basis: the village's households (户代表),
  from the same figure;
- ``collective_members`` — 集体经济组织成员(代表)大会: the members' representatives
  (成员代表) on the day when the collective has them (the representatives' assembly
  exercises the assembly's powers), else every member.
"""

from __future__ import annotations

import datetime as dt

from core.models import Region
from decisions.models import CollectiveMember, PopulationFigure, Representative
from workflows.rolls import Roll, RollSource, day_text, figure_roll, named_roll, register_roll
from workflows.spec import Choice


def _representatives_roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
    people = [Choice(f"representative:{r.pk}",
                     f"{r.name}({r.group})" if r.group else r.name)
              for r in Representative.objects.on_day(village, day)]
    return named_roll("representatives", "村(居)民代表会议", day, people,
                      f"村(居)民代表名册({day_text(day)}):在任代表{len(people)}名")


def _figure_source(figure: PopulationFigure | None, day: dt.date, what: str, n: int) -> str:
    if figure is None:
        return f"户数和十八周岁以上村民人数:{day_text(day)}前未登记统计数"
    return (f"户数和十八周岁以上村民人数(统计日期{day_text(figure.as_of)},"
            f"{figure.get_source_display()}):{what}{n}")


def _adults_roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
    figure = PopulationFigure.objects.latest_on(village, day)
    n = figure.adults if figure else 0
    text = _figure_source(figure, day, "十八周岁以上村民", n) + ("人" if figure else "")
    return figure_roll("villagers_adults", "村(居)民会议(十八周岁以上村民)", day, n, text)


def _households_roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
    figure = PopulationFigure.objects.latest_on(village, day)
    n = figure.households if figure else 0
    return figure_roll("villagers_households", "村(居)民会议(户代表)", day, n,
                       _figure_source(figure, day, "户数", n) + ("户" if figure else ""),
                       unit="户")


def _collective_roll(village: Region, day: dt.date, narrow: str = "") -> Roll:
    representatives = CollectiveMember.objects.on_day(village, day, representatives=True)
    people = representatives or CollectiveMember.objects.on_day(village, day)
    what = "成员代表" if representatives else "成员"
    body = "集体经济组织成员代表大会" if representatives else "集体经济组织成员大会"
    return named_roll("collective_members", body, day,
                      [Choice(f"collective_member:{m.pk}", m.name) for m in people],
                      f"集体经济组织成员名册({day_text(day)}):{what}{len(people)}名")


REPRESENTATIVES = register_roll(RollSource(
    "representatives", "村(居)民代表会议", "村(居)民代表名册中的在任代表",
    _representatives_roll))
VILLAGERS_ADULTS = register_roll(RollSource(
    "villagers_adults", "村(居)民会议", "登记的十八周岁以上村民人数", _adults_roll))
VILLAGERS_HOUSEHOLDS = register_roll(RollSource(
    "villagers_households", "村(居)民会议(户代表)", "登记的户数", _households_roll))
COLLECTIVE_MEMBERS = register_roll(RollSource(
    "collective_members", "集体经济组织成员(代表)大会",
    "集体经济组织成员名册中的成员代表(没有成员代表时为全体成员)", _collective_roll))

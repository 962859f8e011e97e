"""Demo rosters of the villagers (idempotent; ``portal.demo.seed_domains`` calls
``seed_demo``): for every demo village its households (60–200), the population figures
counted from them, 15–30 villagers' representatives from those households, and the members
of its collective economic organisation with their representatives.

The people are made up but plausible (names, valid ID numbers with the village's area code,
groups, addresses). The rosters' history starts on the day the demo cadres took office.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core import dates
from core.idcard import check_digit
from core.models import Membership, Region
from core.roles import Level, Role
from decisions.choices import ElectedBy, FigureSource, Gender, RepresentativeEnd
from decisions.models import CollectiveMember, Household, PopulationFigure, Representative

TAKEN_UP = dt.date(2021, 3, 1)  # the day the demo villages took up their rosters
TERM = (dt.date(2026, 3, 1), dt.date(2031, 2, 28))  # the representatives elected in 2026
LAST_TERM = (dt.date(2021, 3, 1), dt.date(2026, 2, 28))
# households of each demo village (by region code); a community's are 居民户
HOUSEHOLDS = {"330299101201": 150, "330299101202": 96, "330299102001": 180,
              "330299102202": 64}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
MALE = ("建华", "国庆", "志明", "永强", "德才", "春生", "长根", "金龙", "海涛", "文斌", "宝林",
        "立军", "光辉", "树林", "明亮", "新民", "顺发", "家福", "振东", "荣贵")
FEMALE = ("秀珍", "桂英", "玉兰", "凤英", "春梅", "丽萍", "美华", "月琴", "素芬", "彩霞",
          "金花", "淑华", "巧云", "翠兰", "银凤", "慧敏", "小燕", "雪琴", "红英", "爱琴")
GROUPS = ("第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组", "第五村民小组",
          "第六村民小组")
COMMUNITY_GROUPS = ("一区", "二区", "三区", "四区")


def person(seed: int) -> tuple[str, Gender]:
    """A plausible name and gender, deterministic in ``seed``."""
    gender = Gender.FEMALE if seed % 3 == 1 else Gender.MALE
    given = FEMALE if gender == Gender.FEMALE else MALE
    return SURNAMES[(seed * 7) % len(SURNAMES)] + given[(seed * 11) % len(given)], gender


def id_number(region_code: str, birth: dt.date, seq: int, gender: Gender) -> str:
    """A valid 居民身份证号码 of the village's area (odd sequence digit for men)."""
    serial = (seq % 499) * 2 + (1 if gender == Gender.MALE else 0)
    first17 = f"{region_code[:6]}{birth:%Y%m%d}{serial:03d}"
    return first17 + check_digit(first17)


def _moment(day: dt.date) -> dt.datetime:
    return dates.start_of(day) + dt.timedelta(hours=9)


def seed_demo() -> list[str]:
    lines: list[str] = []
    for code, count in HOUSEHOLDS.items():
        village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
        if village is not None:
            lines.extend(seed_village(village, count))
    return lines


@transaction.atomic
def seed_village(village: Region, count: int) -> list[str]:
    lines: list[str] = []
    community = village.name.endswith("社区")
    every: tuple[str, ...] = COMMUNITY_GROUPS if community else GROUPS
    groups = every[: max(3, min(len(every), count // 25))]
    base = int(village.code[-4:])
    if not Household.objects.filter(region=village).exists():
        households = []
        for i in range(count):
            name, gender = person(base + i)
            birth = dt.date(1948 + (i * 7) % 45, 1 + (i * 5) % 12, 1 + (i * 3) % 28)
            group = groups[i % len(groups)]
            households.append(Household(
                region=village, number=f"{i + 1:04d}", head_name=name,
                head_id_number=id_number(village.code, birth, i + 1, gender),
                members=1 + (i * 5 + 3) % 6, group=group,
                address=(f"{group}{i // len(groups) + 1}号" if not community
                         else f"{group}{(i % 12) + 1}幢{(i // 12) % 6 + 1}0{i % 4 + 1}室"),
                phone=f"13{5 + i % 4}{base:04d}{i:04d}"[:11], registered_on=TAKEN_UP))
        bulk_create_with_history(households, Household, default_date=_moment(TAKEN_UP))
        lines.append(f"{village.name}户籍户名册:新登记 {len(households)} 户")
    homes = list(Household.objects.filter(region=village, ended_on__isnull=True)
                 .order_by("number"))
    if not PopulationFigure.objects.filter(region=village).exists() and homes:
        people = sum(h.members for h in homes)
        clerk = (Membership.objects.active().filter(region=village, role=Role.COMMITTEE_DIRECTOR)
                 .values_list("user_id", flat=True).first())
        figures = [
            PopulationFigure(region=village, as_of=dt.date(2025, 1, 1),
                             households=len(homes) - 2, adults=round(people * 0.76),
                             source=FigureSource.HUKOU, note="据派出所户籍登记(年度核对)",
                             recorded_by_id=clerk),
            PopulationFigure(region=village, as_of=dt.date(2026, 1, 1), households=len(homes),
                             adults=round(people * 0.78), source=FigureSource.HUKOU,
                             note="据派出所户籍登记(年度核对)", recorded_by_id=clerk),
        ]
        bulk_create_with_history(figures, PopulationFigure,
                                 default_date=_moment(dt.date(2026, 1, 5)))
        lines.append(f"{village.name}人口基数:登记 {len(figures)} 次统计")
    if not Representative.objects.filter(region=village).exists() and homes:
        wanted = max(15, min(30, len(homes) // 7))
        step = len(homes) / wanted
        chosen = [homes[int(k * step)] for k in range(wanted)]
        reps = [
            Representative(
                region=village, name=h.head_name, gender=_gender(h.head_id_number),
                id_number=h.head_id_number, mobile=h.phone, household=h, group=h.group,
                elected_by=ElectedBy.HOUSEHOLDS if k % 4 else ElectedBy.GROUP,
                households_represented=5 + (k * 3) % 11 if k % 4 else None,
                term_start=TERM[0], term_end=TERM[1])
            for k, h in enumerate(chosen)]
        # two of the last term's representatives who were not elected again
        for k, h in enumerate(homes[1:3]):
            reps.append(Representative(
                region=village, name=h.head_name, gender=_gender(h.head_id_number),
                id_number=h.head_id_number, mobile=h.phone, household=h, group=h.group,
                elected_by=ElectedBy.HOUSEHOLDS, households_represented=8 + k,
                term_start=LAST_TERM[0], term_end=LAST_TERM[1], ended_on=TERM[0],
                end_reason=RepresentativeEnd.TERM))
        bulk_create_with_history(reps, Representative, default_date=_moment(LAST_TERM[0]))
        lines.append(f"{village.name}村(居)民代表名册:登记 {wanted} 名在任代表")
    if not community and not CollectiveMember.objects.filter(region=village).exists() and homes:
        chosen = homes[::4][:40]
        members = [
            CollectiveMember(
                region=village, name=h.head_name, gender=_gender(h.head_id_number),
                id_number=h.head_id_number, household=h, is_representative=k % 3 == 0,
                joined_on=dt.date(2020, 6, 30))
            for k, h in enumerate(chosen)]
        bulk_create_with_history(members, CollectiveMember, default_date=_moment(TAKEN_UP))
        lines.append(f"{village.name}集体经济组织成员名册:登记 {len(members)} 名成员")
    return lines


def _gender(number: str) -> Gender:
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE

"""The demo villages' mass-organisation delegates: each village's women's congress and
league congress, elected at the 2021 term (idempotent)."""

from __future__ import annotations

import datetime as dt

from simple_history.utils import bulk_create_with_history

from core.models import Region
from core.roles import Level
from personnel.choices import Congress
from personnel.models import Delegate

TERM_START = dt.date(2021, 3, 1)  # the demo's term (portal.demo.TERM_START)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹"
WOMEN = ("秀英", "桂兰", "丽华", "海燕", "晓红", "玉梅", "淑芬", "红霞", "美玲", "小芳", "金凤")
YOUTH = ("宇航", "思琪", "子豪", "佳慧", "浩然", "雨欣", "梓涵", "俊杰")
SIZES = {Congress.WOMEN: 9, Congress.LEAGUE: 7}


def _name(village: int, congress: Congress, i: int) -> str:
    given = WOMEN if congress == Congress.WOMEN else YOUTH
    return SURNAMES[(village * 5 + i * 3) % len(SURNAMES)] + given[(village + i) % len(given)]


def seed_demo() -> list[str]:
    """Give each demo village its congresses' delegates (7–9 each)."""
    made = 0
    villages = Region.objects.filter(level=Level.VILLAGE).order_by("code")
    for v, village in enumerate(villages):
        for congress, size in SIZES.items():
            if Delegate.objects.filter(region=village, congress=congress).exists():
                continue
            bulk_create_with_history(
                [Delegate(region=village, congress=congress, name=_name(v, congress, i),
                          term_start=TERM_START) for i in range(size)], Delegate)
            made += size
    return [f"群团组织代表:新登记 {made} 人"] if made else []

"""A small, plausible party-member register for each demo village (idempotent)."""

from __future__ import annotations

import datetime as dt

from simple_history.utils import bulk_create_with_history

from core.dates import parse_day, start_of
from core.idcard import check_digit as id_check_digit
from core.models import Region
from core.roles import Level
from party.choices import Gender, MemberSource, MemberStatus
from party.effects.common import months_after
from party.models import PartyMember

NAMES = {
    "330299101201": ("王建军", "李秀兰", "张德明", "刘桂芳", "陈志强", "杨春燕", "赵国平",
                     "黄晓东", "周丽娟", "吴俊杰"),
    "330299101202": ("徐长林", "孙美华", "马永刚", "朱玉琴", "胡卫国", "郭彩云", "何文斌",
                     "林海峰", "罗小梅", "高振宇"),
    "330299102001": ("郑光明", "梁淑贞", "谢振国", "宋雅琴", "唐志远", "许红梅", "韩立民",
                     "冯晓燕", "邓子豪", "曹思琪"),
    "330299102202": ("彭家旺", "曾凤英", "萧有才", "田桂香", "董承业", "潘月兰", "袁宝山",
                     "蔡雨欣", "蒋浩然", "余佳慧"),
}

F, P, A, APP = MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.ACTIVIST, \
    MemberStatus.APPLICANT
M, W = Gender.MALE, Gender.FEMALE

# (gender, status, birth, application, activist, target, admission, group)
TEMPLATE: tuple[tuple[Gender, MemberStatus, str, str, str, str, str, str], ...] = (
    (M, F, "1956-03-12", "", "", "", "1985-07-01", "第一党小组"),
    (W, F, "1963-08-21", "", "", "", "1992-06-28", "第一党小组"),
    (M, F, "1970-01-05", "", "", "", "1998-07-01", "第一党小组"),
    (W, F, "1975-11-30", "", "", "", "2003-06-20", "第二党小组"),
    (M, F, "1980-04-18", "", "", "", "2008-07-01", "第二党小组"),
    (W, F, "1986-09-09", "", "", "", "2012-11-15", "第二党小组"),
    (M, F, "1990-02-14", "2016-03-01", "2016-06-15", "2017-07-10", "2018-06-28", "第三党小组"),
    (M, P, "1995-06-06", "2022-03-10", "2022-06-18", "2024-09-20", "2025-12-20", "第三党小组"),
    (W, A, "1998-12-01", "2025-03-10", "2025-06-18", "", "", ""),
    (M, APP, "2000-05-20", "2026-03-05", "", "", "", ""),
)


def demo_id_number(region_code: str, birth: str, seq: int, gender: Gender) -> str:
    serial = seq * 2 + (1 if gender == Gender.MALE else 0)
    first17 = f"{region_code[:6]}{birth.replace('-', '')}{serial:03d}"
    return first17 + id_check_digit(first17)


def seed_demo() -> list[str]:
    """Give each demo village a small party-member register (8–12 people)."""
    made = seed_register()
    return [f"党员名册:新登记 {made} 人"] if made else []


# the register was taken up on the portal when the demo cadres took office
TAKEN_UP = start_of(dt.date(2021, 3, 1)) + dt.timedelta(hours=9)


def seed_register() -> int:
    made: list[PartyMember] = []
    for code, names in NAMES.items():
        region = Region.objects.filter(code=code, level=Level.VILLAGE).first()
        if region is None:
            continue
        for seq, (name, row) in enumerate(zip(names, TEMPLATE, strict=True), 1):
            gender, status, birth, applied, activist, target, admitted, group = row
            number = demo_id_number(code, birth, seq, gender)
            if PartyMember.objects.filter(region=region, id_number=number).exists():
                continue
            admission = parse_day(admitted)
            full = status == MemberStatus.FULL and admission is not None
            made.append(PartyMember(
                region=region, name=name, gender=gender, birth_date=parse_day(birth),
                id_number=number, phone=f"138{code[-4:]}{seq:04d}", status=status,
                source=MemberSource.REGISTER, party_group=group,
                application_date=parse_day(applied), activist_date=parse_day(activist),
                target_date=parse_day(target), admission_date=admission,
                conversion_date=months_after(admission, 12) if full and admission else None,
                standing_from=months_after(admission, 12) if full and admission else None,
            ))
    bulk_create_with_history(made, PartyMember, default_date=TAKEN_UP)
    return len(made)

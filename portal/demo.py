"""The demo tenancy: one district, two townships, two villages each (contract 2)."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.models import Membership, Region, User
from core.roles import Level, Role, roles_of_level

DEMO_PASSWORD = "cunwu-demo-2026"  # noqa: S105 - published demo password
# the demo cadres took office at the 2021 elections (换届)
TERM_START = dt.date(2021, 3, 1)


@dataclass(frozen=True)
class Place:
    slug: str
    code: str
    name: str
    level: Level
    parent: str | None


PLACES = [
    Place("sfq", "330299000000", "示范区", Level.DISTRICT, None),
    Place("dc", "330299101000", "东城镇", Level.TOWNSHIP, "sfq"),
    Place("dc_th", "330299101201", "桃花村", Level.VILLAGE, "dc"),
    Place("dc_yl", "330299101202", "杨柳村", Level.VILLAGE, "dc"),
    Place("xh", "330299102000", "西河镇", Level.TOWNSHIP, "sfq"),
    Place("xh_qq", "330299102001", "清泉社区", Level.VILLAGE, "xh"),
    Place("xh_sq", "330299102202", "石桥村", Level.VILLAGE, "xh"),
]

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = [
    "建国", "秀英", "卫东", "丽华", "国强", "桂兰", "志刚", "海燕", "春明", "晓红",
    "德胜", "玉梅", "永福", "淑芬", "文军", "红霞", "学军", "美玲", "振华", "小芳",
    "立新", "金凤", "长青", "翠萍", "宏伟", "雪梅", "光荣", "爱华", "庆丰", "月娥",
]


# The demo logins worth trying first (the login page lists them in DEBUG, README's "试一试"
# walks them): each with what to try, on the cases of fixtures/demo_scenario.json.
DEMO_TRIES = [
    ("dc_th_branch_secretary", _("打开“村文化礼堂修缮工程”,登记党支部会提议")),
    ("dc_th_committee_director", _("审批“开具低保户家庭情况证明用印”")),
    ("dc_th_seal_keeper", _("为“村民建房申请表用印”盖章并登记")),
    ("dc_township_party", _("在“镇(街道)审核”页审核“修订村规民约(移风易俗)”")),
    ("dc_township_government", _("审核桃花村“村仓库火情处置”")),
    ("sfq_district_civil_affairs", _("在统计页查看各村事项,办理村规民约备案")),
    ("dc_th_supervisory_member", _("在“监督”页核验记录链,下载“村集体鱼塘对外承包”全程纪实PDF")),
    ("dc_th_collective_head", _("审批“村集体厂房租赁合同用印”")),
    ("dc_th_grid_worker", _("在“冬季防火网格集中排查”中登记排查发现")),
]


def demo_name(index: int) -> str:
    """A plausible Chinese name, deterministic in ``index``."""
    surname = _SURNAMES[(index * 7) % len(_SURNAMES)]
    given = _GIVEN[(index * 11) % len(_GIVEN)]
    return surname + given


def demo_username(place: Place, role: Role) -> str:
    return f"{place.slug}_{role.value}"


@transaction.atomic
def seed_demo(start: dt.date | None = None) -> tuple[list[Region], list[User]]:
    """Create (or bring up to date) the demo regions, users and memberships."""
    regions: dict[str, Region] = {}
    for place in PLACES:
        parent = regions[place.parent] if place.parent else None
        region = Region.objects.filter(code=place.code).first()
        if region is None:
            region = Region(code=place.code)
        region.name, region.level, region.parent = place.name, place.level, parent
        region.save()
        regions[place.slug] = region

    users: list[User] = []
    index = 0
    # one hash for every demo user, and one check for each hash already stored: hashing is
    # slow on purpose (about half a second), 75 users would take most of a minute
    hashed: list[str] = []
    checked: dict[str, bool] = {}

    def demo_hash() -> str:
        if not hashed:
            hashed.append(make_password(DEMO_PASSWORD))
        return hashed[0]

    for place in PLACES:
        region = regions[place.slug]
        for role in roles_of_level(place.level):
            index += 1
            username = demo_username(place, role)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, full_name=demo_name(index))
                user.mobile = f"139{index:08d}"
                user.password = demo_hash()
                user.save()
            else:
                if user.password not in checked:
                    checked[user.password] = check_password(DEMO_PASSWORD, user.password)
                if not checked[user.password] or not user.is_active:
                    user.password = demo_hash()
                    user.is_active = True
                    user.save()
            if not Membership.objects.filter(user=user, region=region, role=role,
                                             end__isnull=True).exists():
                Membership.objects.create(user=user, region=region, role=role,
                                          start=start or TERM_START)
            users.append(user)
    return list(regions.values()), users


def demo_logins() -> list[dict[str, object]]:
    """The demo logins worth trying: username, name, place, role and what to try."""
    names = [u for u, _try in DEMO_TRIES]
    held = {m.user.username: m for m in Membership.objects.active()
            .filter(user__username__in=names).select_related("user", "region")}
    return [{"username": u, "name": held[u].user.full_name, "place": held[u].region.name,
             "role": Role(held[u].role).label, "try": what}
            for u, what in DEMO_TRIES if u in held]


def manifest(regions: list[Region], users: list[User]) -> dict[str, object]:
    by_user = {
        user.pk: [
            {"role": m.role, "region": m.region_id}
            for m in Membership.objects.active().filter(user=user).order_by("pk")
        ]
        for user in users
    }
    return {
        "password": DEMO_PASSWORD,
        "regions": [
            {"id": r.pk, "code": r.code, "name": r.name, "level": r.level, "parent": r.parent_id}
            for r in regions
        ],
        "users": [{"username": u.username, "roles": by_user[u.pk]} for u in users],
    }


def seed_domains() -> list[str]:
    """Let each domain app add its demo rows (rosters, seals, grids) after the people:
    the ``seed_demo()`` of its ``demo`` module, when it has one. Returns what each did."""
    lines: list[str] = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            module = None
        hook = getattr(module, "seed_demo", None) if config.name != "portal" else None
        if callable(hook):
            lines.extend(hook() or [])
    return lines


def seed_everything() -> tuple[list[Region], list[User], list[str]]:
    """The whole demo: the tenancy and its people, then every domain's demo rows."""
    regions, users = seed_demo()
    return regions, users, seed_domains()

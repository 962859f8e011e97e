"""The villagers' rosters of 03 as rosters of the engine (``workflows.rosters``).

- ``household`` 户籍户名册 — the households by their heads (户主);
- ``population`` 户数和十八周岁以上村民人数 — the counted figures by date: the base of a
  村(居)民会议's quorum (村民委员会组织法 §22: more than half of the adults, or two thirds
  of the households); superseded by a newer count, never ended;
- ``representative`` 村(居)民代表名册 — the representatives serving a term, with the
  household each comes from; the roll of a 村(居)民代表会议 (§25, §26);
- ``collective_member`` 集体经济组织成员名册 — the members and their representatives
  (成员代表): the roll of 03.1's 集体经济组织成员(代表)大会 and of 04.3's major decisions.

Fields name their entries by ``ref`` (``ref_filter``: ``representative`` for the
collective's 成员代表).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.errors import RuleError
from core.models import Region
from core.roles import Role
from decisions.choices import (
    CollectiveEnd,
    ElectedBy,
    FigureSource,
    Gender,
    HouseholdEnd,
    RepresentativeEnd,
)
from decisions.models import CollectiveMember, Household, PopulationFigure, Representative
from workflows.rosters import RefFilter, RosterSpec, end_fields, register_roster
from workflows.spec import TODAY, FieldType, Format, field

COMMITTEE = (Role.COMMITTEE_DIRECTOR, Role.COMMITTEE_MEMBER)
PROCEDURES = ("03.1", "03.2")


# --- households -----------------------------------------------------------------------------


def household_label(household: Household, day: dt.date) -> str:
    """张三户(户号0012,第一村民小组,4人)."""
    parts = [p for p in (f"户号{household.number}" if household.number else "",
                         household.group, f"{household.members}人") if p]
    return f"{household}({','.join(parts)})"


HOUSEHOLDS = register_roster(RosterSpec(
    code="household", name="户籍户名册", entry="户", model=Household,
    columns=(
        field("number", "户号", required=False, max_length=32),
        field("head_name", "户主姓名", max_length=32),
        field("head_id_number", "户主身份证号", format=Format.ID_NUMBER),
        field("members", "户内人口(人)", FieldType.INTEGER, min=1, max=99),
        field("group", "村民小组", required=False, max_length=32, help="如:第一村民小组"),
        field("address", "住址", max_length=100),
        field("phone", "联系电话", format=Format.MOBILE, required=False),
        field("registered_on", "登记日期", FieldType.DATE, required=False, max=TODAY),
    ),
    procedures=PROCEDURES, editors=COMMITTEE, label=household_label,
    key=("head_id_number",), order=("group", "number", "head_name"),
    search=("head_name", "number", "address", "group"),
    ends=end_fields(HouseholdEnd.choices, date_label="注销日期", reason_label="注销原因"),
    example={"number": "0001", "head_name": "张三", "head_id_number": "330299197503152227",
             "members": 4, "group": "第一村民小组", "address": "一组12号",
             "phone": "13800000001", "registered_on": "2021-03-01"},
    basis="村(居)民会议由户代表参加时,应到户数以“户数和十八周岁以上村民人数”中登记的户数为准;"
          "本名册是户代表和村(居)民代表所在户的来源。",
))


# --- the population figures -----------------------------------------------------------------


def counted_by(entries: Iterable[PopulationFigure], day: dt.date) -> list[PopulationFigure]:
    """The figures counted on or before ``day``, latest first: the first is the one in force
    (``PopulationFigure.objects.latest_on``)."""
    return sorted((f for f in entries if f.as_of <= day), key=lambda f: (f.as_of, f.pk),
                  reverse=True)


def figure_label(figure: PopulationFigure, day: dt.date) -> str:
    return str(figure)


def record_figure(figure: PopulationFigure, values: Mapping[str, Any], actor: Any) -> None:
    """Who recorded the figure: the signed-in cadre."""
    if getattr(actor, "pk", None):
        figure.recorded_by = actor


def check_figure(village: Region, figure: PopulationFigure | None,
                 values: Mapping[str, Any]) -> list[RuleError]:
    households, adults = values.get("households"), values.get("adults")
    if isinstance(households, int) and isinstance(adults, int) and households > adults:
        return [RuleError("invalid_field", _("户数不应多于十八周岁以上村民人数(每户至少一名成年人)"
                                             "。"),
                          field="households")]
    return []


POPULATION = register_roster(RosterSpec(
    code="population", name="户数和十八周岁以上村民人数", entry="统计数",
    model=PopulationFigure,
    columns=(
        field("as_of", "统计日期", FieldType.DATE, max=TODAY),
        field("households", "户数", FieldType.INTEGER, min=1, max=1_000_000),
        field("adults", "十八周岁以上村民人数", FieldType.INTEGER, min=1, max=1_000_000),
        field("source", "数据来源", FieldType.CHOICE, choices=FigureSource.choices),
        field("note", "说明", required=False, max_length=200),
    ),
    procedures=PROCEDURES, editors=COMMITTEE, label=figure_label, key=("as_of",),
    order=("-as_of",), related=("recorded_by",), search=("note",), current=counted_by,
    check=check_figure, write=record_figure, ref=False,
    extra=(("登记人", lambda f: f.recorded_by.get_full_name() if f.recorded_by else ""),),
    example={"as_of": "2026-01-01", "households": 150, "adults": 420,
             "source": FigureSource.HUKOU.label, "note": "据派出所户籍登记"},
    basis="村(居)民会议的应到人数:本村(社区)十八周岁以上村民人数(到会须过半数),"
          "或户数(户代表到会须达三分之二以上),以会议当天有效的最近一次统计为准"
          "(村民委员会组织法第二十二条);列表第一行即当天有效的统计数。",
))


# --- the villagers' representatives ---------------------------------------------------------


def representative_label(rep: Representative, day: dt.date) -> str:
    """张三(第一村民小组)."""
    return f"{rep.name}({rep.group})" if rep.group else rep.name


def check_term(village: Region, rep: Representative | None,
               values: Mapping[str, Any]) -> list[RuleError]:
    start, end = values.get("term_start"), values.get("term_end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and (end - start).days > 5 * 366:
        return [RuleError("invalid_field",
                          _("村(居)民代表每届任期五年,任期届满日期不能晚于开始后五年。"),
                          field="term_end")]
    return []


REPRESENTATIVES = register_roster(RosterSpec(
    code="representative", name="村(居)民代表名册", entry="村(居)民代表", model=Representative,
    columns=(
        field("name", "姓名", max_length=32),
        field("gender", "性别", FieldType.CHOICE, choices=Gender.choices),
        field("id_number", "身份证号", format=Format.ID_NUMBER),
        field("mobile", "手机号码", format=Format.MOBILE, required=False),
        field("household", "所在户", FieldType.REF, ref="household", required=False),
        field("group", "村民小组", required=False, max_length=32),
        field("elected_by", "推选方式", FieldType.CHOICE, choices=ElectedBy.choices,
              help="按户推选:每五户至十五户推选一人;或由各村民小组推选若干人"),
        field("households_represented", "联系户数", FieldType.INTEGER, required=False,
              min=1, max=99, help="按户推选时,推选本人的户数(五至十五户)"),
        field("term_start", "任期开始", FieldType.DATE),
        field("term_end", "任期届满", FieldType.DATE, required=False, after="term_start"),
    ),
    procedures=PROCEDURES, editors=COMMITTEE, label=representative_label, key=("id_number",),
    order=("group", "name"), related=("household",), search=("name", "group", "id_number"),
    check=check_term, listed=("name", "gender", "id_number", "mobile", "household", "group",
                              "elected_by", "term_start", "term_end"),
    ends=end_fields(RepresentativeEnd.choices),
    example={"name": "李四", "gender": "女", "id_number": "33029919900608121X",
             "mobile": "13800000002", "group": "第一村民小组",
             "elected_by": ElectedBy.HOUSEHOLDS.label, "households_represented": 10,
             "term_start": "2026-03-01", "term_end": "2031-02-28"},
    basis="村(居)民代表会议的应到人数:会议当天在任的村(居)民代表;"
          "到会须达三分之二以上(村民委员会组织法第二十六条)。",
))


# --- the collective's members ---------------------------------------------------------------


def member_label(member: CollectiveMember, day: dt.date) -> str:
    return f"{member.name}(成员代表)" if member.is_representative else member.name


COLLECTIVE_MEMBERS = register_roster(RosterSpec(
    code="collective_member", name="集体经济组织成员名册", entry="集体经济组织成员",
    model=CollectiveMember,
    columns=(
        field("name", "姓名", max_length=32),
        field("gender", "性别", FieldType.CHOICE, choices=Gender.choices),
        field("id_number", "身份证号", format=Format.ID_NUMBER),
        field("household", "所在户", FieldType.REF, ref="household", required=False),
        field("is_representative", "成员代表", FieldType.BOOLEAN, required=False),
        field("joined_on", "成员资格确认日期", FieldType.DATE, required=False, max=TODAY),
    ),
    procedures=("03.1", "04.3"), editors=(Role.COLLECTIVE_HEAD, Role.COMMITTEE_DIRECTOR),
    label=member_label, key=("id_number",), order=("-is_representative", "name"),
    related=("household",), search=("name", "id_number"),
    filters={"representative": RefFilter("成员代表", lambda m, day: m.is_representative)},
    ends=end_fields(CollectiveEnd.choices),
    example={"name": "王五", "gender": "男", "id_number": "330299198509203317",
             "is_representative": "是", "joined_on": "2020-06-30"},
    basis="集体经济组织成员(代表)大会的应到人数:会议当天的成员代表(未设成员代表的,为全体成员)。",
))

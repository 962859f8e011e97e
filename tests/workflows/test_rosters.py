"""Rosters (workflows.rosters): who was on each on a day, the entries a ref field accepts,
the Excel template, import and export, and who may read and change them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import dates
from core.errors import RuleError
from core.idcard import mask_id
from decisions.models import Household, PopulationFigure
from party.choices import MemberStatus
from party.models import PartyMember
from portal.demo import seed_everything
from seals.models import Seal
from tests.workflows.roster_helpers import (
    chooser,
    fresh_example,
    id_number,
    with_rows,
    workbook_rows,
)
from workflows import rosters as r
from workflows.fields import FieldErrors, clean_value, ref_choices
from workflows.refs import ref_source
from workflows.spec import FieldType, field

T0 = dt.datetime(2026, 11, 3, 2, 0, tzinfo=dt.UTC)   # 2026-11-03 10:00 in Shanghai
T1 = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)  # 2026-11-10 10:00
EDITOR = {"party_member": "branch_secretary", "grid": "branch_secretary",
          "grid_worker": "branch_secretary", "seal": "branch_secretary",
          "collective_member": "collective_head"}
D = dt.date


def editor(code: str, place: str = "dc_th") -> str:
    return f"{place}_{EDITOR.get(code, 'committee_director')}"


def browser(user, username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


def upload(body: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("名册.xlsx", body, content_type=r.XLSX)


def pks(entries) -> set[int]:
    return {e.pk for e in entries}


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_gives_every_village_plausible_rosters(demo):
    for slug in ("dc_th", "dc_yl", "xh_qq", "xh_sq"):
        village = demo[slug]
        members = r.entries_on(r.get_roster("party_member"), village)
        assert 8 <= len(members) <= 12
        assert 15 <= len(r.entries_on(r.get_roster("representative"), village)) <= 30
        households = r.entries_on(r.get_roster("household"), village)
        assert 60 <= len(households) <= 200
        figure = PopulationFigure.objects.latest_on(village, dates.today())
        assert figure is not None and figure.households == len(households) < figure.adults
        assert r.entries_on(r.get_roster("grid"), village)
        assert r.entries_on(r.get_roster("grid_worker"), village)
        assert len(r.entries_on(r.get_roster("seal"), village)) == 3
    th = demo["dc_th"]
    # 桃花村's register as issue 10 quotes it: 8 party members, 7 of them full
    assert len(PartyMember.objects.on_day(th, dates.today(), (MemberStatus.FULL,
                                                               MemberStatus.PROBATIONARY))) == 8
    assert len(PartyMember.objects.voters_on(th, dates.today())) == 7
    assert r.entries_on(r.get_roster("collective_member"), th)


def test_the_demo_is_idempotent(demo):
    before = (PartyMember.objects.count(), Household.objects.count(),
              PopulationFigure.objects.count(), Seal.objects.count())
    seed_everything()
    assert (PartyMember.objects.count(), Household.objects.count(),
            PopulationFigure.objects.count(), Seal.objects.count()) == before


# --- who was on a roster on a day -------------------------------------------------------------


@pytest.mark.parametrize("code", ["party_member", "household", "representative",
                                  "collective_member", "grid", "grid_worker"])
def test_each_roster_says_who_was_on_it_on_a_past_day(code, demo, user):
    """An entry registered on 11-03 and ended on 11-10: by its own dates it was on the roster
    before the 10th; as recorded, from the 3rd (when the portal learnt of it) to the 9th."""
    spec, th = r.get_roster(code), demo["dc_th"]
    actor = user(editor(code))
    with time_machine.travel(T0, tick=False):
        result = r.read_import(spec, th, upload(fresh_example(spec, th, 7)))
        assert result.ok, result.problems
        r.apply_import(spec, th, result, actor=actor)
        assert result.created == 1
    entry = spec.model.objects.filter(region=th).latest("pk")
    assert entry.pk in pks(r.entries_on(spec, th))
    with time_machine.travel(T1, tick=False):
        reason = spec.ends[1].choices[0].value
        values = r.clean_end(spec, th, entry, {"ended_on": "2026-11-10", "end_reason": reason})
        r.end_entry(spec, entry, values, actor=actor)
    assert entry.pk in pks(r.entries_on(spec, th, D(2026, 11, 9)))
    assert entry.pk not in pks(r.entries_on(spec, th, D(2026, 11, 10)))
    assert entry.pk not in pks(r.recorded_on(spec, th, D(2026, 11, 2)))
    assert entry.pk in pks(r.recorded_on(spec, th, D(2026, 11, 9)))
    assert entry.pk not in pks(r.recorded_on(spec, th, D(2026, 11, 10)))
    kinds = [h.kind for h in r.history_of(spec, entry)]
    assert kinds == ["终止", "登记"]
    entry.refresh_from_db()
    assert entry.ended_on == D(2026, 11, 10)  # ended, never deleted


def test_a_keeper_change_is_a_line_of_the_seals_history(demo, user):
    spec, th = r.get_roster("seal"), demo["dc_th"]
    seal = Seal.objects.get(region=th, kind="committee")
    old = seal.keeper
    new = user("dc_th_committee_member")
    new.memberships.create(region=th, role="seal_keeper", start=D(2026, 1, 1))
    with time_machine.travel(T1, tick=False):
        raw = {c.name: r.entry_values(spec, seal)[c.name] for c in spec.columns}
        values = r.clean_entry(spec, th, {**raw, "keeper": str(new.pk)}, entry=seal)
        r.save_entry(spec, th, values, actor=user("dc_th_committee_director"), entry=seal)
    before = next(s for s in r.recorded_on(spec, th, D(2026, 11, 9)) if s.pk == seal.pk)
    after = next(s for s in r.recorded_on(spec, th, D(2026, 11, 10)) if s.pk == seal.pk)
    assert (before.keeper_id, after.keeper_id) == (old.pk, new.pk)
    change = r.history_of(spec, seal)[0]
    assert change.kind == "修改" and change.by == user("dc_th_committee_director").full_name
    assert ("保管人", old.full_name, new.full_name) in change.changes


def test_the_population_figure_in_force_is_the_latest_counted(demo, user):
    spec, th = r.get_roster("population"), demo["dc_th"]
    old = PopulationFigure.objects.latest_on(th, D(2026, 11, 2))
    with time_machine.travel(T1, tick=False):
        values = r.clean_entry(spec, th, {"as_of": "2026-11-10", "households": "151",
                                          "adults": "430", "source": "survey"})
        figure = r.save_entry(spec, th, values, actor=user("dc_th_committee_director"))
    assert figure.recorded_by == user("dc_th_committee_director")
    # the roster lists the figures counted by the day, the one in force first
    assert r.entries_on(spec, th, D(2026, 11, 9))[0] == old
    assert r.entries_on(spec, th, D(2026, 11, 10))[:2] == [figure, old]
    assert PopulationFigure.objects.latest_on(th, D(2026, 11, 10)) == figure
    assert r.recorded_on(spec, th, D(2026, 11, 9))[0].pk == old.pk
    with pytest.raises(FieldErrors) as refused:
        r.clean_entry(spec, th, {"as_of": "2026-11-10", "households": "500", "adults": "400",
                                 "source": "survey"})
    assert {e.code for e in refused.value.errors} == {"duplicate_entry"}


def test_party_statuses_on_a_day_come_from_the_register_dates(demo):
    th = demo["dc_th"]
    probationary = PartyMember.objects.get(region=th, status=MemberStatus.PROBATIONARY)
    assert probationary.status_on(D(2025, 12, 19)) == MemberStatus.TARGET
    assert probationary.status_on(D(2025, 12, 20)) == MemberStatus.PROBATIONARY
    full = PartyMember.objects.filter(region=th, status=MemberStatus.FULL).first()
    full.suspended_from, full.suspended_until = D(2026, 1, 1), D(2027, 1, 1)
    full.save()
    voters = pks(PartyMember.objects.voters_on(th, D(2026, 11, 2)))
    assert full.pk not in voters and len(voters) == 6
    assert full.pk in pks(PartyMember.objects.voters_on(th, D(2025, 12, 31)))


# --- refs: exactly the eligible entries of the village ----------------------------------------


def test_a_ref_field_accepts_exactly_its_eligible_entries(demo):
    th, qq = demo["dc_th"], demo["xh_qq"]
    voting = field("m", "党员", FieldType.REF, ref="party_member", ref_filter="voting")
    full = PartyMember.objects.filter(region=th, status=MemberStatus.FULL).first()
    probationary = PartyMember.objects.get(region=th, status=MemberStatus.PROBATIONARY)
    elsewhere = PartyMember.objects.filter(region=qq, status=MemberStatus.FULL).first()
    assert clean_value(voting, str(full.pk), region=th) == {
        "id": str(full.pk), "name": f"{full.name}(正式党员,{full.party_group})"}
    for other in (probationary, elsewhere):
        with pytest.raises(RuleError) as refused:
            clean_value(voting, str(other.pk), region=th)
        assert refused.value.code == "not_on_roster"
    members = field("m", "党员", FieldType.REF, ref="party_member", ref_filter="member")
    assert clean_value(members, probationary.pk, region=th)["id"] == str(probationary.pk)


@pytest.mark.parametrize("code", ["party_member", "household", "representative",
                                  "collective_member", "grid", "grid_worker", "seal"])
def test_every_roster_is_a_ref_source_of_its_own_village(code, demo):
    th, qq = demo["dc_th"], demo["xh_qq"]
    assert ref_source(code) is not None
    ref = field("x", "x", FieldType.REF, ref=code)
    mine, theirs = ref_choices(ref, th), ref_choices(ref, qq)
    assert mine
    assert clean_value(ref, mine[0].value, region=th)["id"] == mine[0].value
    for choice in theirs[:3]:
        with pytest.raises(RuleError) as refused:
            clean_value(ref, choice.value, region=th)
        assert refused.value.code == "not_on_roster"


# --- the pages: who may read, who may change ----------------------------------------------------


def urls(code: str, region: int, pk: int) -> list[str]:
    base = f"/rosters/{code}/{region}/"
    return [base, f"{base}?day=2025-01-01&as=recorded", f"{base}add/", f"{base}import/",
            f"{base}template.xlsx", f"{base}export.xlsx", f"{base}{pk}/", f"{base}{pk}/edit/",
            f"{base}{pk}/end/"]


@pytest.mark.parametrize("code", ["party_member", "household", "population", "representative",
                                  "collective_member", "grid", "grid_worker", "seal"])
def test_another_villages_roster_is_404_on_every_url(code, demo, user):
    spec, th, qq = r.get_roster(code), demo["dc_th"], demo["xh_qq"]
    entry = r.entries_on(spec, th)[0]
    outsider = browser(user, editor(code, "xh_qq"))
    for url in urls(code, th.pk, entry.pk):
        assert outsider.get(url).status_code == 404, url
    # an entry of this village under the other village's address is not found either
    mine = browser(user, editor(code))
    assert mine.get(f"/rosters/{code}/{qq.pk}/{entry.pk}/").status_code == 404
    assert outsider.get(f"/rosters/{code}/{qq.pk}/{entry.pk}/").status_code == 404
    assert outsider.get(f"/rosters/nope/{qq.pk}/").status_code == 404


def test_the_supervisory_committee_reads_and_may_not_change(demo, user):
    th = demo["dc_th"]
    supervisor = browser(user, "dc_th_supervisory_member")
    spec = r.get_roster("household")
    entry = r.entries_on(spec, th)[0]
    page = supervisor.get(f"/rosters/household/{th.pk}/")
    assert page.status_code == 200
    assert entry.head_id_number not in page.content.decode()  # masked for a reader
    assert mask_id(entry.head_id_number) in page.content.decode()
    for url in urls("household", th.pk, entry.pk)[2:]:
        if url.endswith(("export.xlsx", f"/{entry.pk}/")):
            assert supervisor.get(url).status_code == 200, url
        else:
            assert supervisor.get(url).status_code == 403, url
    assert supervisor.post(f"/rosters/household/{th.pk}/add/", {}).status_code == 403


def test_the_navigation_links_the_rosters_for_those_who_read_them(demo, user):
    assert "/rosters/" in browser(user, "dc_th_committee_member").get("/").content.decode()
    petitions = browser(user, "sfq_district_petitions")  # guides no roster's procedure
    assert 'href="/rosters/"' not in petitions.get("/", follow=True).content.decode()
    assert petitions.get("/rosters/").status_code == 404
    district = browser(user, "sfq_district_org")
    assert district.get("/rosters/").status_code == 200
    assert district.get(f"/rosters/?region={demo['xh_qq'].pk}").status_code == 200


def test_add_edit_end_through_the_pages_with_every_error_at_once(demo, user):
    th = demo["dc_th"]
    client = browser(user, "dc_th_committee_director")
    base = f"/rosters/representative/{th.pk}/"
    refused = client.post(f"{base}add/", {"name": "", "gender": "x", "id_number": "12345",
                                          "mobile": "123", "elected_by": "households",
                                          "term_start": "2026-02-30"})
    assert refused.status_code == 400
    text = refused.content.decode()
    for problem in ("请填写“姓名”", "“性别”不是可选的值", "不是有效的18位居民身份证号码",
                    "应为11位手机号码", "“任期开始”应为存在的日期"):
        assert problem in text, problem
    home = r.entries_on(r.get_roster("household"), th)[5]
    data = {"name": "周新民", "gender": "male", "id_number": id_number(31),
            "mobile": "13900001111", "household": str(home.pk), "group": home.group,
            "elected_by": "households", "households_represented": "9",
            "term_start": "2026-03-01", "term_end": "2031-02-28"}
    done = client.post(f"{base}add/", data)
    assert done.status_code == 302
    rep = r.get_roster("representative").model.objects.get(id_number=id_number(31))
    assert rep.household == home
    again = client.post(f"{base}add/", data)
    assert again.status_code == 400 and "村(居)民代表名册中已有" in again.content.decode()
    edited = client.post(f"{base}{rep.pk}/edit/", {**data, "mobile": "13900002222"})
    assert edited.status_code == 302
    early = client.post(f"{base}{rep.pk}/end/", {"ended_on": "2026-01-01",
                                                 "end_reason": "resigned"})
    assert early.status_code == 400 and "不能早于2026-03-01" in early.content.decode()
    ended = client.post(f"{base}{rep.pk}/end/", {"ended_on": "2026-10-01",
                                                 "end_reason": "resigned"})
    assert ended.status_code == 302
    assert rep.pk not in pks(r.entries_on(r.get_roster("representative"), th))
    history = client.get(f"{base}{rep.pk}/")
    assert history.status_code == 200
    kinds = [h.kind for h in r.history_of(r.get_roster("representative"), rep)]
    assert kinds == ["终止", "修改", "登记"]
    assert "13900002222" in history.content.decode()
    assert client.get(f"{base}{rep.pk}/edit/").status_code == 302  # an ended entry stays


# --- Excel ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["party_member", "household", "population", "representative",
                                  "collective_member", "grid", "grid_worker", "seal"])
def test_the_template_downloads_and_imports_back_cleanly(code, demo, user):
    th = demo["dc_th"]
    client = browser(user, editor(code))
    response = client.get(f"/rosters/{code}/{th.pk}/template.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == r.XLSX
    disposition = response["Content-Disposition"]
    assert f'filename="{code}-template-{th.code}.xlsx"' in disposition
    assert "filename*=UTF-8''" in disposition
    rows = workbook_rows(response.content)
    spec = r.get_roster(code)
    assert "导入模板" in rows[0][0]
    assert [str(h).rstrip("*") for h in rows[1]] == [str(c.label) for c in spec.columns]
    assert any(v is not None for v in rows[2])  # the example row
    before = spec.model.objects.count()
    answer = client.post(f"/rosters/{code}/{th.pk}/import/", {"file": upload(response.content)})
    assert answer.status_code == 200, answer.content.decode()[-2000:]
    assert "示例" in answer.content.decode() and spec.model.objects.count() == before


def test_a_file_with_bad_rows_is_refused_row_by_row_and_writes_nothing(demo, user):
    th = demo["dc_th"]
    spec = r.get_roster("household")
    client = browser(user, "dc_th_committee_director")
    template = client.get(f"/rosters/household/{th.pk}/template.xlsx").content
    good = id_number(41)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    body = with_rows(template, [
        {"head_name": "赵一", "head_id_number": good, "members": 3},
        {"head_name": "", "head_id_number": bad, "members": 0},
        {"head_name": "钱二", "head_id_number": 330299197001011234, "registered_on": "去年"},
        {"head_name": "孙三", "head_id_number": good, "members": 2},
    ], spec)
    before = Household.objects.count()
    answer = client.post(f"/rosters/household/{th.pk}/import/", {"file": upload(body)})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert Household.objects.count() == before
    for row, problem in ((4, "请填写“户主姓名”"), (4, "不是有效的18位居民身份证号码"),
                         (4, "“户内人口(人)”应在1到99之间"), (5, "设为“文本”"),
                         (5, "“登记日期”应为存在的日期"), (6, "与第3行重复")):
        assert f"第{row}行" in text and problem in text, problem
    assert "<td>第3行</td>" not in text  # the good row has no problem of its own


def test_an_export_imports_back_without_a_change(demo, user):
    th = demo["dc_th"]
    for code in ("party_member", "household", "representative", "collective_member",
                 "grid", "grid_worker", "seal", "population"):
        spec = r.get_roster(code)
        client = browser(user, editor(code))
        exported = client.get(f"/rosters/{code}/{th.pk}/export.xlsx")
        assert exported.status_code == 200
        assert exported["Content-Disposition"].startswith(f'attachment; filename="{code}-')
        entries = r.entries_on(spec, th)
        assert len(workbook_rows(exported.content)) == 2 + len(entries)
        history = sum(e.history.count() for e in entries)
        result = r.read_import(spec, th, io.BytesIO(exported.content))
        assert result.ok, (code, result.problems[:3])
        r.apply_import(spec, th, result, actor=user(editor(code)))
        assert (result.created, result.updated, result.unchanged) == (0, 0, len(entries)), code
        assert sum(e.history.count() for e in entries) == history


def test_a_reader_exports_masked_id_numbers(demo, user):
    th = demo["dc_th"]
    body = browser(user, "dc_th_supervisory_member").get(
        f"/rosters/party_member/{th.pk}/export.xlsx").content
    numbers = [row[2] for row in workbook_rows(body)[2:]]
    assert numbers and all("*" in n for n in numbers)


def test_an_unreadable_upload_is_one_clear_refusal(demo, user):
    th = demo["dc_th"]
    answer = browser(user, "dc_th_committee_director").post(
        f"/rosters/household/{th.pk}/import/", {"file": upload(b"not a workbook")})
    assert answer.status_code == 400 and "无法读取该文件" in answer.content.decode()


# --- query counts ----------------------------------------------------------------------------


def test_roster_pages_run_as_many_queries_for_many_rows_as_for_few(demo, user):
    th = demo["dc_th"]
    client = browser(user, "dc_th_committee_director")
    pages = [f"/rosters/representative/{th.pk}/", f"/rosters/household/{th.pk}/",
             f"/rosters/representative/{th.pk}/?day=2026-11-01&as=recorded",
             f"/rosters/household/{th.pk}/export.xlsx", "/rosters/"]

    def counts() -> list[int]:
        out = []
        for url in pages:
            client.get(url)  # warm the session and caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    few = counts()
    homes = Household.objects.filter(region=th).order_by("pk")
    spec = r.get_roster("representative")
    for i, home in enumerate(homes[:40]):
        values = r.clean_entry(spec, th, {
            "name": f"{home.head_name}", "gender": "male", "id_number": id_number(500 + i),
            "household": str(home.pk), "elected_by": "group", "term_start": "2026-03-01"})
        r.save_entry(spec, th, values, actor=user("dc_th_committee_director"))
    assert counts() == few


# --- choices_url -----------------------------------------------------------------------------


def test_a_ref_field_with_many_choices_gives_a_url_that_answers_the_same_list(demo, api):
    th = demo["dc_th"]
    with chooser():
        client = api("dc_th_committee_director")
        case = client.post("/api/cases/", {"procedure": "99.7", "region": th.pk,
                                           "title": "选户"}, format="json").json()
        fields = {f["name"]: f for f in case["actions"][0]["fields"]}
        household = fields["household"]
        assert "choices" not in household and household["ref"] == "household"
        url = household["choices_url"]
        assert url == f"/api/cases/{case['id']}/choices/pick/household/"
        columns = {c["name"]: c for c in fields["rows"]["columns"]}
        assert "choices" in columns["member"] and len(columns["member"]["choices"]) == 7
        assert columns["home"]["choices_url"].endswith("/choices/pick/rows.home/")
        every = client.get(url).json()
        spec = field("household", "户", FieldType.REF, ref="household")
        assert every == [{"value": c.value, "label": c.label} for c in ref_choices(spec, th)]
        head = Household.objects.filter(region=th).order_by("pk").first()
        initials = "".join(__import__("pypinyin").lazy_pinyin(
            head.head_name, style=__import__("pypinyin").Style.FIRST_LETTER))
        found = client.get(url, {"q": initials}).json()
        assert str(head.pk) in {c["value"] for c in found} and len(found) < len(every)
        assert client.get(url, {"q": head.head_name}).json()[0]["label"].startswith(
            head.head_name)
        assert len(client.get(url, {"limit": "5"}).json()) == 5
        assert client.get(url, {"limit": "0"}).status_code == 400
        assert client.get(url, {"q": "a\x00b"}).status_code == 400
        assert client.get(f"/api/cases/{case['id']}/choices/pick/nope/").status_code == 404
        assert api("xh_qq_committee_director").get(url).status_code == 404
        assert api(None).get(url).status_code == 401

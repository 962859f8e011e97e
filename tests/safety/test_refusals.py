"""A refusal of a safety rule changes nothing: the uploads of the refused action are never
written (not even written and removed again: the storage is not asked to save them), no
Attachment row, no register row and no event are recorded. The rules are the effects'
checks, which run before the gate stores anything; the same action with the rule met
stores its files and its row."""

import datetime as dt

import pytest
from django.core.files.storage import FileSystemStorage

from safety.models import CorrectionPerson, Hazard, LegalEducationActivity, SafetyProductionRecord
from tests.driver import START, CaseDriver, open_case
from tests.samples import stored_files
from workflows.models import Attachment
from workflows.models import Case as CaseRow

DAY = "2026-11-02"
ALL_RULES = ["responsibility", "hazard", "plan", "training", "fire", "check"]


@pytest.fixture
def saved(monkeypatch) -> list[str]:
    """The names the file storage was asked to save, in order."""
    names: list[str] = []
    original = FileSystemStorage.save

    def save(self, name, content, max_length=None):
        names.append(name)
        return original(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", save)
    return names


def events(case: CaseDriver) -> int:
    return CaseRow.objects.get(pk=case.id).event_count


def test_legal_education_without_participants_stores_no_photo_no_sign_in_and_no_ledger_row(
        demo, api, clock, saved):
    case = open_case("09", demo["dc_th"], "dc_th_branch_secretary", title="宪法宣传")
    case.do("dc_th_branch_secretary", kind="law_day", topic="宪法进村", audience="全体村民",
            planned_on=DAY)
    before = events(case)
    case.refused("dc_th_branch_secretary", "no_participants", held_on=DAY, participants=0)
    assert saved == []
    assert stored_files() == []
    assert not Attachment.objects.filter(case_id=case.id).exists()
    assert not LegalEducationActivity.objects.exists()
    assert events(case) == before
    case.do("dc_th_branch_secretary", held_on=DAY, participants=45)
    row = LegalEducationActivity.objects.get(case_id=case.id)
    assert {row.photo.field, row.sign_in.field} == {"photo", "sign_in"}
    assert len(stored_files()) == Attachment.objects.filter(case_id=case.id).count() == 2
    assert len(saved) == 2


def test_safety_rules_with_one_missing_store_no_document_and_no_ledger_row(demo, api, clock, saved):
    case = open_case("10.3", demo["dc_th"], "dc_th_branch_secretary", title="安全生产制度建设")
    body = case.refused("dc_th_branch_secretary", "rules_incomplete", rules=ALL_RULES[:5])
    assert body["field"] == "rules"
    assert saved == []
    assert stored_files() == []
    assert not Attachment.objects.filter(case_id=case.id).exists()
    assert not SafetyProductionRecord.objects.filter(case_id=case.id).exists()
    assert events(case) == 1  # opened, nothing more
    case.do("dc_th_branch_secretary", rules=ALL_RULES)
    assert SafetyProductionRecord.objects.filter(case_id=case.id).count() == 1
    assert len(stored_files()) == 1


def test_rectification_dated_before_the_hazard_was_found_stores_no_photo(demo, api, clock, saved):
    case = open_case("10.2", demo["dc_th"], "dc_th_committee_member", title="11月隐患排查")
    case.do("dc_th_committee_member", source="report", places="村道、桥梁", result="found",
            hazards=[hazard_row()])
    before = events(case)
    body = case.refused("dc_th_committee_member", "date_order", measures="更换护栏",
                        completed_on="2026-11-01")
    assert body["field"] == "completed_on"
    assert saved == []
    assert stored_files() == []
    assert not Attachment.objects.filter(case_id=case.id).exists()
    hazard = Hazard.objects.get(case_id=case.id)
    assert (hazard.rectified_on, hazard.measures) == (None, "")
    assert events(case) == before


def test_hazard_rows_refused_write_no_hazard(demo, api, clock):
    case = open_case("10.2", demo["dc_th"], "dc_th_committee_member", title="11月隐患排查")
    second = hazard_row("2026-12-03", location="村道", description="路面塌陷", gravity="major",
                    responsible="李四")
    for hazards, code, where in (
            ([hazard_row("2026-02-30")], "invalid_date", "hazards[0].rectify_by"),
            ([hazard_row("2026-11-01")], "date_order", "hazards[0].rectify_by"),
            ([hazard_row(gravity="一般")], "invalid_field", "hazards[0].gravity"),
            ([hazard_row(responsible="")], "missing_field", "hazards[0].responsible"),
            ([hazard_row(), second], "rectify_deadline_too_long", "hazards[1].rectify_by")):
        body = case.refused("dc_th_committee_member", code, source="report", places="村道",
                            result="found", hazards=hazards)
        assert body["field"] == where
    assert not Hazard.objects.exists()
    assert events(case) == 1


def hazard_row(due="2026-11-20", **cells):
    return {"location": "村口桥梁", "description": "护栏松动", "gravity": "ordinary",
            "rectify_by": due, "responsible": "张三", **cells}


def correction(api, demo, end="2027-05-01"):
    case = open_case("07.3", demo["dc_th"], "dc_th_committee_director", title="社区矫正对象赵六")
    case.do("dc_th_committee_director", name="赵六", id_number="330299199001015678",
            residence="桃花村3组12号", village_opinion="同意接收", facts_true=True)
    case.do("dc_th_committee_director", start="2026-11-01", end=end,
            group=[{"name": "钱主任", "role": "village"}, {"name": "赵父", "role": "family"}])
    return case


def test_termination_dated_before_the_term_stores_no_document(demo, api, clock, saved):
    case = correction(api, demo)
    before = events(case)
    body = case.refused("dc_th_committee_director", "date_order", "terminate",
                        reason="revoked", terminated_on="2026-10-31", filed=True)
    assert body["field"] == "terminated_on"
    assert saved == []
    assert stored_files() == []
    assert not Attachment.objects.filter(case_id=case.id, field="document").exists()
    person = CorrectionPerson.objects.get(case_id=case.id)
    assert (person.state, person.terminated_on) == ("under", None)
    assert events(case) == before


def test_release_before_the_end_is_too_early_whatever_date_it_names(demo, api, clock):
    """Too early (with the day it becomes possible) comes before the date's own rules; once
    the term is over, a release dated ahead is a future date."""
    case = correction(api, demo, end="2026-11-10")
    case.do("dc_th_committee_director", "assess", period_from="2026-11", period_to="2026-11",
            assessed_on=DAY, reasons="表现一般")
    clock.move_to(START + dt.timedelta(days=6))  # 11-08
    case.do("dc_township_justice", "decide", outcome="none", decided_on="2026-11-08",
            basis="表现一般", next="release")
    assert case.step == "release"
    body = case.refused("dc_th_committee_director", "too_early", released_on="2026-11-09",
                        filed=True)
    assert body["not_before"].startswith("2026-11-10T00:00")
    clock.move_to(START + dt.timedelta(days=8))  # 11-10: the last day of the term
    body = case.refused("dc_th_committee_director", "future_date", released_on="2026-11-11",
                        filed=True)
    assert body["field"] == "released_on"
    case.do("dc_th_committee_director", released_on="2026-11-10", filed=True)
    assert CorrectionPerson.objects.get(case_id=case.id).state == "released"

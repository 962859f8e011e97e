"""The party effects on the engine's Effect API: every rule is checked before anything is
stored, so a refused action (sent as multipart, with its files) leaves no stored file, no
attachment, no event and no line of a register; the numbers come from the tenant's settings."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

from party.demo import seed_demo
from party.models import (
    BranchMeeting,
    DuesRemittance,
    PartyMember,
    ThemedPartyDay,
    TransferRecord,
)
from tests.driver import meeting as m
from tests.driver import open_case
from tests.party.members import pm
from tests.party.walk_data import TH
from tests.samples import choice, table
from workflows.effects import get_effect
from workflows.models import Attachment, CaseEvent, TenantSetting
from workflows.registry import lint, registry
from workflows.spec import Effect

SEC, TOWN = "dc_th_branch_secretary", "dc_township_party"
# one farmer member paying 1 yuan (农民党员: 0.2 to 1 yuan a month)
ONE_FARMER = table({"member": choice(0), "category": "农民", "income": None, "amount": "1.00"})
PARTY = ("01.1", "01.2", "01.3", "01.4", "01.5", "02.1", "02.2", "02.3", "02.4", "02.5")



def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def snapshot(case_id: int, model) -> tuple[int, int, int, int]:
    """Files on disk, attachment rows, the case's events, the register's rows."""
    return (len(stored_files()), Attachment.objects.count(),
            CaseEvent.objects.filter(case_id=case_id).count(), model.objects.count())


def test_every_party_action_names_registered_effects_whose_reads_exist():
    seen: dict[str, Effect] = {}
    for code in PARTY:
        spec = registry.get(code)
        assert lint(spec) == []
        for step in spec.steps:
            for action in step.actions:
                for eff in action.effects:
                    assert isinstance(eff, Effect), (code, step.code, action.code, eff)
                    assert eff.name.startswith("party."), eff.name
                    assert eff.check is not None or eff.apply is not None
                    assert get_effect(eff.name) is eff
                    assert seen.setdefault(eff.name, eff) is eff  # one name, one effect
    assert "party.check_forms.appraisal_forms_at_least" in seen
    assert {"party.record_meeting.general", "party.record_meeting.lecture"} <= set(seen)


def test_a_refused_application_stores_no_letter_and_no_register_line(demo, api, clock):
    d = open_case("01.1", demo["dc_th"], SEC, title="重复登记")
    member = PartyMember.objects.filter(region=demo["dc_th"]).first()
    before = snapshot(d.id, PartyMember)
    d.refused(SEC, "member_exists", name=member.name, gender="male",
              id_number=member.id_number, residence="resident", application_date="2026-10-20")
    assert snapshot(d.id, PartyMember) == before
    d.do(SEC, name="吴小明", gender="male", id_number="330299200203150013",
         residence="resident", application_date="2026-10-20")
    assert snapshot(d.id, PartyMember) == (before[0] + 1, before[1] + 1, before[2] + 1,
                                           before[3] + 1)


def test_a_meeting_with_unexplained_absences_stores_no_minutes_and_no_register_line(
        demo, api, clock):
    d = open_case("02.1", demo["dc_th"], SEC, title="支委会")
    d.do(SEC, kind="committee", topics="学习党章", chair="王建军", planned_on="2026-11-02")
    before = snapshot(d.id, BranchMeeting)
    d.refused(SEC, "absence_unexplained", motion="motion", meeting=m(present=2, yes=2),
              absentees="")
    assert snapshot(d.id, BranchMeeting) == before
    assert stored_files() == [] and before[0] == 0


def test_a_receipt_for_the_wrong_amount_stores_no_receipt_and_changes_no_ledger(
        demo, api, clock):
    d = open_case("01.2", demo["dc_th"], SEC, title="2026年10月党费")
    d.do(SEC, "record", period="2026-10", payments=ONE_FARMER,
         certificates_filled=True)
    d.do(SEC, amount="1.00", remitted_on="2026-11-02")
    before = snapshot(d.id, DuesRemittance)
    d.refused(TOWN, "amount_mismatch", receipt_no="DF-1", amount="2.00")
    assert snapshot(d.id, DuesRemittance) == before
    assert DuesRemittance.objects.get().receipt_no == ""


def test_a_second_transfer_letter_for_the_same_member_stores_nothing(demo, api, clock):
    first = open_case("01.3", demo["dc_th"], SEC, title="转出")
    first.do(SEC, member=pm(TH[4]), destination="某镇党委", scope="in_province",
             issued_on="2026-11-02")
    again = open_case("01.3", demo["dc_th"], SEC, title="再次转出")
    before = snapshot(again.id, TransferRecord)
    again.refused(SEC, "transfer_open", member=pm(TH[4]), destination="某镇党委",
                  scope="in_province", issued_on="2026-11-02")
    assert snapshot(again.id, TransferRecord) == before


def test_a_themed_day_held_before_it_was_published_stores_no_photos(demo, api, clock):
    d = open_case("02.3", demo["dc_th"], SEC, title="主题党日")
    d.do(SEC, month="2026-11", theme="学习", form="study")
    d.do(SEC, published_on="2026-11-02")
    before = snapshot(d.id, ThemedPartyDay)
    body = d.refused(SEC, "date_order", meeting=m(held_at="2026-11-01"), absentees="")
    assert body["field"] == "meeting.held_at"
    assert snapshot(d.id, ThemedPartyDay) == before
    d.refused(SEC, "future_date", meeting=m(held_at="2026-11-03"), absentees="")
    assert snapshot(d.id, ThemedPartyDay) == before


def test_a_township_asking_for_more_appraisal_forms_is_heard_by_the_check(demo, api, clock):
    TenantSetting.objects.create(region=demo["dc"], procedure="02.2",
                                 param="appraisal_forms_at_least", value="3")
    d = open_case("02.2", demo["dc_th"], TOWN, title="2026年度述职评议")
    d.do(TOWN, year=2026)
    d.do(SEC)
    body = d.refused(TOWN, "forms_too_few", forms=["onsite", "members"], held_on="2026-11-02")
    assert "不少于3种" in body["detail"]
    d.do(TOWN, forms=["onsite", "members", "written"], held_on="2026-11-02")
    assert d.step == "grade"


def test_dates_that_have_not_happened_or_do_not_exist_are_refused(demo, api, clock):
    d = open_case("01.2", demo["dc_th"], SEC, title="2026年10月党费")
    body = d.refused(SEC, "future_date", "record", period="2026-12",
                     payments=ONE_FARMER, certificates_filled=True)
    assert body["field"] == "period"
    d.refused(SEC, "invalid_date", "record", period="2026-13",
              payments=ONE_FARMER, certificates_filled=True)
    d.do(SEC, "record", period="2026-11", payments=ONE_FARMER,
         certificates_filled=True)
    d.refused(SEC, "future_date", amount="1.00", remitted_on="2026-11-03")
    d.refused(SEC, "invalid_date", amount="1.00", remitted_on="2026-02-30")
    d.do(SEC, amount="1.00", remitted_on="2026-11-02")
    assert DuesRemittance.objects.get().remitted_on.isoformat() == "2026-11-02"


def test_the_demo_rows_come_from_the_demo_module(demo):
    assert seed_demo() == []  # the register is there already: nothing new, nothing said
    assert not hasattr(apps.get_app_config("party"), "seed_demo")

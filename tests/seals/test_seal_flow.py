"""04.1–04.3 through the API: rules of the seal procedures and the seal register."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Membership, User
from seals.models import Seal, SealUse
from tests.driver import meeting as m
from tests.driver import open_case
from tests.exports import export, pdf_text, xlsx_cells
from tests.samples import stored_files, upload_pdf
from tests.seals.helpers import applied
from workflows.models import Alert, Attachment, CaseEvent


def test_routine_committee_seal_use_end_to_end(demo, api):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    assert case.step == "approve"
    director = "dc_th_committee_director"
    assert case.offers(director)[:2] == ["approve", "reject"]
    assert case.post(director, "approve", {"opinion": "同意"}).status_code == 200
    keeper = "dc_th_seal_keeper"
    response = case.post(keeper, "stamp", {"copies_stamped": 3, "papers_kept": True})
    assert response.status_code == 200, response.content
    assert response.json()["closed"] is True
    use = SealUse.objects.get(case_id=case.id)
    assert use.number == 1
    assert use.seal.kind == "committee"
    assert use.document == "居住证明.pdf"
    assert use.copies == 3
    assert use.approver == demo["dc_th"].memberships.get(role="committee_director").user.full_name
    second = applied("dc_th_grid_worker", "04.2", demo["dc_th"], copies=1)
    second.post(director, "approve", {})
    second.post(keeper, "stamp", {"copies_stamped": 1, "papers_kept": True})
    assert SealUse.objects.get(case_id=second.id).number == 2


def test_applicant_cannot_approve_own_seal_use(demo, api):
    # the party secretary applies for the committee seal, then also holds... nothing more:
    # here the director applies for the collective seal, and cannot approve as collective head
    case = applied("dc_th_committee_director", "04.3", demo["dc_th"])
    head = "dc_th_collective_head"
    detail = case.detail(head)
    assert detail["actions"][0]["code"] == "approve"
    # the applicant sees no approval action and is refused
    applicant = "dc_th_committee_director"
    assert "approve" not in case.offers(applicant)
    assert case.post(applicant, "approve", {}).status_code == 403


def test_separation_of_duties_when_one_person_holds_both_roles(demo, api, user):
    # 一肩挑: the committee member is made director too; applying and approving is refused
    member = user("dc_yl_committee_member")
    Membership.objects.create(user=member, region=demo["dc_yl"], role="committee_director")
    case = applied("dc_yl_committee_member", "04.2", demo["dc_yl"])
    assert "approve" not in case.offers("dc_yl_committee_member")
    response = case.post("dc_yl_committee_member", "approve", {})
    assert response.status_code == 400
    assert response.json()["code"] == "separation_of_duties"
    assert SealUse.objects.count() == 0
    assert Alert.objects.filter(case_id=case.id, kind="separation_refused").count() == 1


def test_keeper_may_not_approve(demo, api, user):
    keeper = user("dc_th_seal_keeper")
    Membership.objects.create(user=keeper, region=demo["dc_th"], role="committee_director")
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    response = case.post("dc_th_seal_keeper", "approve", {})
    assert response.status_code == 400
    assert response.json()["code"] == "separation_of_duties"


def test_no_stamping_without_the_document(demo, api):
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印申请")
    response = case.post("dc_th_committee_member", "apply",
                         {"purpose": "盖章", "matter": "routine", "copies": 1})
    assert response.status_code == 400
    assert response.json()["code"] == "missing_attachment"
    assert response.json()["field"] == "document"


def test_blank_paper_disguised_as_pdf_is_refused(demo, api):
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印申请")
    fake = SimpleUploadedFile("空白.pdf", b"just text, not a pdf", content_type="application/pdf")
    response = case.post("dc_th_committee_member", "apply",
                         {"purpose": "盖章", "matter": "routine", "copies": 1}, {"document": fake})
    assert response.status_code == 400
    assert response.json()["code"] == "attachment_type"
    detail = case.detail("dc_th_committee_member")
    assert detail["current_step"] == "apply"
    assert detail["attachments"] == []


def test_major_matter_needs_a_collective_decision_with_quorum(demo, api):
    case = applied("dc_th_branch_deputy", "04.1", demo["dc_th"], matter="major")
    assert case.step == "collective_decision"
    secretary = "dc_th_branch_secretary"
    # the branch committee of the day (任职记录): its three members are the roll
    bad = case.post(secretary, "decide", {"meeting": m(3, 1, 1), "opinion": "同意"},
                    {"minutes": upload_pdf("会议记录.pdf")})
    assert bad.status_code == 400
    assert bad.json()["code"] == "quorum_not_met"
    failed = case.post(secretary, "decide", {"meeting": m(3, 2, 1, 1), "opinion": "同意"},
                       {"minutes": upload_pdf("会议记录.pdf")})
    assert failed.json()["code"] == "vote_failed"
    ok = case.post(secretary, "decide", {"meeting": m(3, 3, 2, 1), "opinion": "同意"},
                   {"minutes": upload_pdf("会议记录.pdf")})
    assert ok.status_code == 200
    assert ok.json()["current_step"] == "approve"


def test_stamped_copies_may_not_exceed_approved(demo, api):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"], copies=2)
    case.post("dc_th_committee_director", "approve", {})
    response = case.post("dc_th_seal_keeper", "stamp",
                         {"copies_stamped": 5, "papers_kept": True})
    assert response.status_code == 400
    assert response.json()["code"] == "copies_exceeded"
    assert not SealUse.objects.exists()


def test_only_the_named_keeper_stamps(demo, api, user):
    other = User.objects.create(username="dc_th_keeper2", full_name="孙备用")
    other.set_password("x-pass-12345")
    other.save()
    Membership.objects.create(user=other, region=demo["dc_th"], role="seal_keeper")
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    case.post("dc_th_committee_director", "approve", {})
    response = case.post("dc_th_keeper2", "stamp", {"copies_stamped": 1, "papers_kept": True})
    assert response.status_code == 403
    assert Seal.objects.get(region=demo["dc_th"], kind="committee").keeper.username == \
        "dc_th_seal_keeper"


def test_reject_closes_without_register_entry(demo, api):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    response = case.post("dc_th_committee_director", "reject",
                         {"opinion": "材料不全"})
    assert response.json()["closed"] is True
    assert response.json()["outcome"] == "不同意用印"
    assert not SealUse.objects.exists()


@pytest.mark.parametrize(("username", "visible"), [
    ("dc_th_supervisory_member", True),
    ("dc_township_party", True),
    ("sfq_district_civil_affairs", True),
    ("sfq_district_agriculture", False),
    ("dc_yl_supervisory_member", False),
    ("xh_township_party", False),
])
def test_who_sees_a_committee_seal_case(demo, api, username, visible):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    status = api(username).get(f"/api/cases/{case.id}/").status_code
    assert status == (200 if visible else 404)


def test_supervisor_sees_but_cannot_act(demo, api):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    sup = "dc_th_supervisory_member"
    assert case.detail(sup)["actions"] == []
    assert case.post(sup, "approve", {}).status_code == 403


def test_seal_register_exports_pdf_and_excel(demo, api):
    for i in range(3):
        case = applied("dc_th_committee_member", "04.2", demo["dc_th"], copies=2)
        case.post("dc_th_committee_director", "approve", {})
        case.post("dc_th_seal_keeper", "stamp",
                  {"copies_stamped": 2 if i else 1, "papers_kept": True})
    client = api("dc_th_supervisory_member")
    listing = client.get("/api/registers/").json()
    rows = [r for r in listing if r["code"] == "seal_register_committee"]
    assert [r["region"] for r in rows] == [demo["dc_th"].pk]
    pdf, xlsx = export(client, "seal_register_committee")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "桃花村村委会印章用印登记簿" in text  # in the village's words
    assert "出具村民居住证明" in text
    assert "居住证明.pdf" in text
    assert "经办人(保管人)" in text
    assert "第1页/共1页" in "".join(text.split())
    assert xlsx.status_code == 200
    flat = xlsx_cells(xlsx.content)
    assert "事由" in flat
    assert flat.count("出具村民居住证明") == 3


def test_registers_are_scoped(demo, api):
    other = api("dc_yl_committee_director").get("/api/registers/").json()
    assert {r["region"] for r in other} == {demo["dc_yl"].pk}
    url = f"/api/registers/seal_register_committee/{demo['dc_th'].pk}.pdf"
    assert api("dc_yl_committee_director").get(url).status_code == 404
    bureau = api("sfq_district_agriculture").get("/api/registers/").json()
    # the procedures the bureau guides: 04.3, 06, and 03.1 (its “四议两公开” ledger)
    assert {r["code"] for r in bureau} == {"seal_register_collective",
                                           "farmland_subsidy_roster", "major_matters"}


# --- a refusal of the keeper's check stores nothing ------------------------------------------


def approved_case(demo, copies=2):
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"], copies=copies)
    assert case.post("dc_th_committee_director", "approve", {}).status_code == 200
    return case


def stamp_with_copy(keeper, case, copies_stamped):
    return case.post(keeper, "stamp", {"copies_stamped": copies_stamped, "papers_kept": True},
                        {"kept_copy": upload_pdf("留存件.pdf")})


def test_too_many_copies_stores_neither_the_kept_copy_nor_a_register_line(demo, api):
    case = approved_case(demo, copies=2)
    files, rows = stored_files(), Attachment.objects.count()
    response = stamp_with_copy("dc_th_seal_keeper", case, 3)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("copies_exceeded",
                                                                  "copies_stamped")
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not SealUse.objects.exists()
    assert CaseEvent.objects.filter(case_id=case.id, action="stamp").count() == 0


def test_a_keeper_of_another_seal_stores_nothing(demo, api, user):
    other = User.objects.create(username="dc_th_keeper3", full_name="钱备用")
    Membership.objects.create(user=other, region=demo["dc_th"], role="seal_keeper")
    case = approved_case(demo)
    files, rows = stored_files(), Attachment.objects.count()
    assert stamp_with_copy("dc_th_keeper3", case, 1).status_code == 403
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not SealUse.objects.exists()


def test_an_unregistered_seal_is_refused_before_anything_is_stored(demo, api):
    case = approved_case(demo)
    Seal.objects.filter(region=demo["dc_th"], kind="committee").delete()
    files, rows = stored_files(), Attachment.objects.count()
    response = stamp_with_copy("dc_th_seal_keeper", case, 1)
    assert response.status_code == 400
    assert response.json()["code"] == "seal_not_registered"
    assert stored_files() == files
    assert Attachment.objects.count() == rows


def test_a_stamp_with_its_kept_copy_stores_the_file_and_numbers_the_line(demo, api):
    case = approved_case(demo)
    files = stored_files()
    response = stamp_with_copy("dc_th_seal_keeper", case, 2)
    assert response.status_code == 200, response.content
    assert len(stored_files()) == len(files) + 1
    kept = Attachment.objects.get(case_id=case.id, field="kept_copy")
    use = SealUse.objects.get(case_id=case.id)
    assert (use.number, use.copies, use.keeper) == (1, 2, kept.uploaded_by.full_name)
    assert use.used_at == CaseEvent.objects.get(case_id=case.id, action="stamp").at


def test_copies_must_be_at_least_one(demo, api):
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印申请")
    response = case.post("dc_th_committee_member", "apply",
                         {"purpose": "盖章", "matter": "routine", "copies": 0},
                         {"document": upload_pdf("居住证明.pdf")})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("out_of_range", "copies")


# --- custody (印章的保存管理不规范): the alerts of the third risk ----------------------------


def test_a_stamp_by_someone_not_the_seals_keeper_is_refused_and_alerts_once(demo, api):
    """A second seal keeper of the village tries to apply the committee seal kept by the
    first: refused (nothing stored) and the supervisors are told, once however often."""
    other = User.objects.create(username="dc_th_keeper4", full_name="周备用")
    Membership.objects.create(user=other, region=demo["dc_th"], role="seal_keeper")
    case = applied("dc_th_committee_member", "04.2", demo["dc_th"])
    case.post("dc_th_committee_director", "approve", {})
    for _ in range(2):
        response = case.post("dc_th_keeper4", "stamp", {"copies_stamped": 1,
                                                         "papers_kept": True})
        assert response.status_code == 403
    assert not SealUse.objects.exists()
    alerts = Alert.objects.filter(case_id=case.id, kind="domain")
    assert alerts.count() == 1
    assert "周备用" in alerts.get().message and "专人保管" in alerts.get().message
    supervisor = User.objects.get(username="dc_th_supervisory_member")
    assert supervisor.notifications.filter(message__contains="周备用").count() == 1


def test_a_seal_still_kept_by_someone_whose_office_ended_alerts_once(demo, api, clock):
    """The keeper leaves office (their 印章保管人 membership ends) while the three seals are
    still registered with them: the sweep alerts the supervisors once per seal; a seal
    handed to a keeper in office raises nothing."""
    from django.core.management import call_command

    village = demo["dc_th"]
    keeper = Membership.objects.get(region=village, role="seal_keeper")
    keeper.end = dt.date(2026, 11, 1)
    keeper.save()
    successor = User.objects.create(username="dc_th_keeper5", full_name="吴接任")
    Membership.objects.create(user=successor, region=village, role="seal_keeper",
                              start=dt.date(2026, 11, 2))
    party_seal = Seal.objects.get(region=village, kind="party")
    party_seal.keeper = successor
    party_seal.save()
    call_command("sweep_deadlines")
    call_command("sweep_deadlines")
    alerts = Alert.objects.filter(region=village, kind="domain",
                                  dedupe_key__startswith="seal-keeper-ended:")
    assert alerts.count() == 2  # the committee and the collective seals, not the party seal
    assert all("2026年11月1日终止" in a.message for a in alerts)
    assert not Alert.objects.filter(region=demo["dc_yl"],
                                    dedupe_key__startswith="seal-keeper-ended:").exists()


def test_the_third_risk_says_what_the_portal_does():
    from seals.procedures import COMMITTEE_SEAL

    assert [r.text for r in COMMITTEE_SEAL.risks] == [
        "对需用印材料审核不严", "不按规定私自用章或带有个人目的的违规用章", "印章的保存管理不规范"]
    control = COMMITTEE_SEAL.risks[2].control
    assert "定期巡检" in control and "拒绝并预警" in control

"""04.1–04.3 through the API: rules of the seal procedures and the seal register."""

import io
import json
import pathlib
import subprocess

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from core.models import Membership, User
from seals.models import Seal, SealUse
from tests.samples import upload_pdf
from workflows.models import Alert, Attachment, CaseEvent


def open_case(api, username, procedure, village, title="用印申请"):
    response = api(username).post("/api/cases/", {"procedure": procedure, "region": village.pk,
                                                  "title": title}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def act(client, case_id, action, data=None, files=None, comment=""):
    url = f"/api/cases/{case_id}/actions/"
    if files:
        return client.post(url, {"action": action, "data": json.dumps(data or {}),
                                 "comment": comment, **files}, format="multipart")
    return client.post(url, {"action": action, "data": data or {}, "comment": comment},
                       format="json")


def apply(api, applicant, procedure, village, matter="routine", copies=3):
    case = open_case(api, applicant, procedure, village)
    response = act(api(applicant), case["id"], "apply",
                   {"purpose": "出具村民居住证明", "matter": matter, "copies": copies},
                   {"document": upload_pdf("居住证明.pdf")})
    assert response.status_code == 200, response.content
    return response.json()


def test_routine_committee_seal_use_end_to_end(demo, api):
    case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    assert case["current_step"] == "approve"
    director = api("dc_th_committee_director")
    assert [a["code"] for a in director.get(f"/api/cases/{case['id']}/").json()["actions"]][:2] \
        == ["approve", "reject"]
    assert act(director, case["id"], "approve", {"opinion": "同意"}).status_code == 200
    keeper = api("dc_th_seal_keeper")
    response = act(keeper, case["id"], "stamp", {"copies_stamped": 3, "papers_kept": True})
    assert response.status_code == 200, response.content
    assert response.json()["closed"] is True
    use = SealUse.objects.get(case_id=case["id"])
    assert use.number == 1
    assert use.seal.kind == "committee"
    assert use.document == "居住证明.pdf"
    assert use.copies == 3
    assert use.approver == demo["dc_th"].memberships.get(role="committee_director").user.full_name
    second = apply(api, "dc_th_grid_worker", "04.2", demo["dc_th"], copies=1)
    act(director, second["id"], "approve", {})
    act(keeper, second["id"], "stamp", {"copies_stamped": 1, "papers_kept": True})
    assert SealUse.objects.get(case_id=second["id"]).number == 2


def test_applicant_cannot_approve_own_seal_use(demo, api):
    # the party secretary applies for the committee seal, then also holds... nothing more:
    # here the director applies for the collective seal, and cannot approve as collective head
    case = apply(api, "dc_th_committee_director", "04.3", demo["dc_th"])
    head = api("dc_th_collective_head")
    detail = head.get(f"/api/cases/{case['id']}/").json()
    assert detail["actions"][0]["code"] == "approve"
    # the applicant sees no approval action and is refused
    applicant = api("dc_th_committee_director")
    assert all(a["code"] != "approve"
               for a in applicant.get(f"/api/cases/{case['id']}/").json()["actions"])
    assert act(applicant, case["id"], "approve", {}).status_code == 403


def test_separation_of_duties_when_one_person_holds_both_roles(demo, api, user):
    # 一肩挑: the committee member is made director too; applying and approving is refused
    member = user("dc_yl_committee_member")
    Membership.objects.create(user=member, region=demo["dc_yl"], role="committee_director")
    case = apply(api, "dc_yl_committee_member", "04.2", demo["dc_yl"])
    client = api("dc_yl_committee_member")
    detail = client.get(f"/api/cases/{case['id']}/").json()
    assert all(a["code"] != "approve" for a in detail["actions"])
    response = act(client, case["id"], "approve", {})
    assert response.status_code == 400
    assert response.json()["code"] == "separation_of_duties"
    assert SealUse.objects.count() == 0
    assert Alert.objects.filter(case_id=case["id"], kind="separation_refused").count() == 1


def test_keeper_may_not_approve(demo, api, user):
    keeper = user("dc_th_seal_keeper")
    Membership.objects.create(user=keeper, region=demo["dc_th"], role="committee_director")
    case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    response = act(api("dc_th_seal_keeper"), case["id"], "approve", {})
    assert response.status_code == 400
    assert response.json()["code"] == "separation_of_duties"


def test_no_stamping_without_the_document(demo, api):
    case = open_case(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    response = act(api("dc_th_committee_member"), case["id"], "apply",
                   {"purpose": "盖章", "matter": "routine", "copies": 1})
    assert response.status_code == 400
    assert response.json()["code"] == "missing_attachment"
    assert response.json()["field"] == "document"


def test_blank_paper_disguised_as_pdf_is_refused(demo, api):
    case = open_case(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    fake = SimpleUploadedFile("空白.pdf", b"just text, not a pdf", content_type="application/pdf")
    response = act(api("dc_th_committee_member"), case["id"], "apply",
                   {"purpose": "盖章", "matter": "routine", "copies": 1}, {"document": fake})
    assert response.status_code == 400
    assert response.json()["code"] == "attachment_type"
    detail = api("dc_th_committee_member").get(f"/api/cases/{case['id']}/").json()
    assert detail["current_step"] == "apply"
    assert detail["attachments"] == []


def test_major_matter_needs_a_collective_decision_with_quorum(demo, api):
    case = apply(api, "dc_th_branch_deputy", "04.1", demo["dc_th"], matter="major")
    assert case["current_step"] == "collective_decision"
    secretary = api("dc_th_branch_secretary")
    bad = act(secretary, case["id"], "decide",
              {"meeting": {"due": 5, "present": 2, "yes": 2, "no": 0, "abstain": 0},
               "opinion": "同意"}, {"minutes": upload_pdf("会议记录.pdf")})
    assert bad.status_code == 400
    assert bad.json()["code"] == "quorum_not_met"
    failed = act(secretary, case["id"], "decide",
                 {"meeting": {"due": 5, "present": 4, "yes": 2, "no": 2, "abstain": 0},
                  "opinion": "同意"}, {"minutes": upload_pdf("会议记录.pdf")})
    assert failed.json()["code"] == "vote_failed"
    ok = act(secretary, case["id"], "decide",
             {"meeting": {"due": 5, "present": 4, "yes": 3, "no": 1, "abstain": 0},
              "opinion": "同意"}, {"minutes": upload_pdf("会议记录.pdf")})
    assert ok.status_code == 200
    assert ok.json()["current_step"] == "approve"


def test_stamped_copies_may_not_exceed_approved(demo, api):
    case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"], copies=2)
    act(api("dc_th_committee_director"), case["id"], "approve", {})
    response = act(api("dc_th_seal_keeper"), case["id"], "stamp",
                   {"copies_stamped": 5, "papers_kept": True})
    assert response.status_code == 400
    assert response.json()["code"] == "copies_exceeded"
    assert not SealUse.objects.exists()


def test_only_the_named_keeper_stamps(demo, api, user):
    other = User.objects.create(username="dc_th_keeper2", full_name="孙备用")
    other.set_password("x-pass-12345")
    other.save()
    Membership.objects.create(user=other, region=demo["dc_th"], role="seal_keeper")
    case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    act(api("dc_th_committee_director"), case["id"], "approve", {})
    client = APIClient()
    client.force_authenticate(other)
    response = act(client, case["id"], "stamp", {"copies_stamped": 1, "papers_kept": True})
    assert response.status_code == 403
    assert Seal.objects.get(region=demo["dc_th"], kind="committee").keeper.username == \
        "dc_th_seal_keeper"


def test_reject_closes_without_register_entry(demo, api):
    case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    response = act(api("dc_th_committee_director"), case["id"], "reject",
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
    case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    status = api(username).get(f"/api/cases/{case['id']}/").status_code
    assert status == (200 if visible else 404)


def test_supervisor_sees_but_cannot_act(demo, api):
    case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    sup = api("dc_th_supervisory_member")
    assert sup.get(f"/api/cases/{case['id']}/").json()["actions"] == []
    assert act(sup, case["id"], "approve", {}).status_code == 403


def test_seal_register_exports_pdf_and_excel(demo, api, tmp_path):
    for i in range(3):
        case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"], copies=2)
        act(api("dc_th_committee_director"), case["id"], "approve", {})
        act(api("dc_th_seal_keeper"), case["id"], "stamp",
            {"copies_stamped": 2 if i else 1, "papers_kept": True})
    client = api("dc_th_supervisory_member")
    listing = client.get("/api/registers/").json()
    rows = [r for r in listing if r["code"] == "seal_register_committee"]
    assert [r["region"] for r in rows] == [demo["dc_th"].pk]
    pdf = client.get(rows[0]["pdf_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "桃花村村(居)委会印章用印登记簿" in text
    assert "出具村民居住证明" in text
    assert "居住证明.pdf" in text
    assert "经办人(保管人)" in text
    assert "第1页/共1页" in "".join(text.split())
    xlsx = client.get(rows[0]["xlsx_url"])
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = [v for row in values for v in row]
    assert "事由" in flat
    assert flat.count("出具村民居住证明") == 3


def test_registers_are_scoped(demo, api):
    other = api("dc_yl_committee_director").get("/api/registers/").json()
    assert {r["region"] for r in other} == {demo["dc_yl"].pk}
    url = f"/api/registers/seal_register_committee/{demo['dc_th'].pk}.pdf"
    assert api("dc_yl_committee_director").get(url).status_code == 404
    bureau = api("sfq_district_agriculture").get("/api/registers/").json()
    assert {r["code"] for r in bureau} == {"seal_register_collective",
                                           "farmland_subsidy_roster"}


# --- a refusal of the keeper's check stores nothing ------------------------------------------


def stored_files():
    return sorted(p for p in pathlib.Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def approved_case(api, demo, copies=2):
    case = apply(api, "dc_th_committee_member", "04.2", demo["dc_th"], copies=copies)
    assert act(api("dc_th_committee_director"), case["id"], "approve", {}).status_code == 200
    return case


def stamp_with_copy(client, case_id, copies_stamped):
    return act(client, case_id, "stamp", {"copies_stamped": copies_stamped, "papers_kept": True},
               {"kept_copy": upload_pdf("留存件.pdf")})


def test_too_many_copies_stores_neither_the_kept_copy_nor_a_register_line(demo, api):
    case = approved_case(api, demo, copies=2)
    files, rows = stored_files(), Attachment.objects.count()
    response = stamp_with_copy(api("dc_th_seal_keeper"), case["id"], 3)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("copies_exceeded",
                                                                  "copies_stamped")
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not SealUse.objects.exists()
    assert CaseEvent.objects.filter(case_id=case["id"], action="stamp").count() == 0


def test_a_keeper_of_another_seal_stores_nothing(demo, api, user):
    other = User.objects.create(username="dc_th_keeper3", full_name="钱备用")
    Membership.objects.create(user=other, region=demo["dc_th"], role="seal_keeper")
    case = approved_case(api, demo)
    files, rows = stored_files(), Attachment.objects.count()
    client = APIClient()
    client.force_authenticate(other)
    assert stamp_with_copy(client, case["id"], 1).status_code == 403
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not SealUse.objects.exists()


def test_an_unregistered_seal_is_refused_before_anything_is_stored(demo, api):
    case = approved_case(api, demo)
    Seal.objects.filter(region=demo["dc_th"], kind="committee").delete()
    files, rows = stored_files(), Attachment.objects.count()
    response = stamp_with_copy(api("dc_th_seal_keeper"), case["id"], 1)
    assert response.status_code == 400
    assert response.json()["code"] == "seal_not_registered"
    assert stored_files() == files
    assert Attachment.objects.count() == rows


def test_a_stamp_with_its_kept_copy_stores_the_file_and_numbers_the_line(demo, api):
    case = approved_case(api, demo)
    files = stored_files()
    response = stamp_with_copy(api("dc_th_seal_keeper"), case["id"], 2)
    assert response.status_code == 200, response.content
    assert len(stored_files()) == len(files) + 1
    kept = Attachment.objects.get(case_id=case["id"], field="kept_copy")
    use = SealUse.objects.get(case_id=case["id"])
    assert (use.number, use.copies, use.keeper) == (1, 2, kept.uploaded_by.full_name)
    assert use.used_at == CaseEvent.objects.get(case_id=case["id"], action="stamp").at


def test_copies_must_be_at_least_one(demo, api):
    case = open_case(api, "dc_th_committee_member", "04.2", demo["dc_th"])
    response = act(api("dc_th_committee_member"), case["id"], "apply",
                   {"purpose": "盖章", "matter": "routine", "copies": 0},
                   {"document": upload_pdf("居住证明.pdf")})
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("out_of_range", "copies")

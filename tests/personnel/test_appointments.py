"""05.1 reserve cadres and mass-organisation posts, 05.2 auxiliary posts: the joint vetting."""

import datetime as dt
import io
import pathlib
import subprocess

import openpyxl
import pytest
import time_machine
from django.conf import settings

from personnel.models import Appointee, JointVetting
from tests.decisions.rules_helpers import act, client, m, minutes
from tests.samples import upload_pdf
from workflows.models import Alert, Attachment

START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
LI = "330299198503150023"
ZHANG = "330299199007200030"
WANG = "330299198001010012"
ZHAO = "330299197511110043"
NOMINEES = f"李秀英,{LI},妇联主席\n张晓红,{ZHANG},妇联执委"
TOWNSHIP_ROLES = {"women_review": "township_women", "women_party": "township_party",
                  "women_report": "township_women", "women_approve": "township_party",
                  "militia_review": "township_armed", "militia_approve": "township_party",
                  "league_review": "township_league", "league_party": "township_party",
                  "league_report": "township_league", "league_approve": "township_party"}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def open_case(demo, procedure="05.1", opener="dc_th_branch_secretary"):
    r = client(opener).post("/api/cases/", {"procedure": procedure, "region": demo["dc_th"].pk,
                                            "title": "人员任用"}, format="json")
    assert r.status_code == 201, r.content
    return r.json()["id"]


def propose(case_id, track="women", nominees=NOMINEES, meeting=None):
    return act(client("dc_th_branch_secretary"), case_id, "propose",
               {"track": track, "nominees": nominees, "meeting": meeting or m(7, 6, 5, 1)},
               minutes())


def advance(case_id):
    """Do the current township or village step of a track with its usual way forward."""
    sec = client("dc_th_branch_secretary")
    step = sec.get(f"/api/cases/{case_id}/").json()["current_step"]
    if step in TOWNSHIP_ROLES:
        c = client(f"dc_{TOWNSHIP_ROLES[step]}")
        if step.endswith("_report"):
            return act(c, case_id, "receive", {"received_on": "2026-11-02"})
        return act(c, case_id, "approve", {"opinion": "同意"})
    return act(sec, case_id, "elect", {"meeting": m(40, 30, 25, 5)}, minutes())


def to_vetting(case_id):
    for _ in range(8):
        detail = client("dc_th_branch_secretary").get(f"/api/cases/{case_id}/").json()
        if detail["current_step"] == "vetting":
            return
        r = advance(case_id)
        assert r.status_code == 200, r.content
    raise AssertionError("vetting not reached")


def vet(case_id, action="pass", excluded="", vetted_on="2026-11-02"):
    data = {"vetted_on": vetted_on, "departments": ["discipline", "police", "petitions"],
            "opinion": "经联审,无不良记录"}
    if action == "pass":
        data["excluded"] = excluded
    return act(client("dc_township_discipline"), case_id, action, data,
               {"form": upload_pdf("联审表.pdf")})


@pytest.mark.parametrize(("track", "steps"), [
    ("women", ["women_review", "women_party", "women_election", "women_report",
               "women_approve", "vetting"]),
    ("militia", ["militia_review", "militia_approve", "vetting"]),
    ("league", ["league_review", "league_party", "league_election", "league_report",
                "league_approve", "vetting"]),
])
def test_each_track_goes_through_its_township_body_and_the_party_committee(demo, clock, track,
                                                                           steps):
    case_id = open_case(demo)
    r = propose(case_id, track=track)
    seen = [r.json()["current_step"]]
    while seen[-1] != "vetting":
        r = advance(case_id)
        assert r.status_code == 200, r.content
        seen.append(r.json()["current_step"])
    assert seen == steps


def test_a_township_body_may_not_act_for_another(demo, clock):
    case_id = open_case(demo)
    propose(case_id, track="militia")
    r = act(client("dc_township_women"), case_id, "approve", {"opinion": "同意"})
    assert r.status_code in (403, 404)
    r = act(client("dc_township_armed"), case_id, "approve", {"opinion": "同意"})
    assert r.json()["current_step"] == "militia_approve"


def test_nomination_needs_a_meeting_with_more_than_half(demo, clock):
    case_id = open_case(demo)
    assert propose(case_id, meeting=m(8, 4, 4)).json()["code"] == "quorum_not_met"
    assert propose(case_id, meeting=m(8, 5, 2, 3)).json()["code"] == "vote_failed"
    r = act(client("dc_th_branch_secretary"), case_id, "propose",
            {"track": "women", "nominees": NOMINEES, "meeting": m(8, 5, 3, 2)})
    assert r.json()["code"] == "missing_attachment"
    assert propose(case_id, meeting=m(8, 5, 3, 2)).status_code == 200


def test_nominee_with_a_bad_id_number_is_refused(demo, clock):
    case_id = open_case(demo)
    r = propose(case_id, nominees=f"李秀英,{LI[:-1]}4,妇联主席")
    assert r.json()["code"] == "invalid_id_number"
    assert "第1行" in r.json()["detail"]
    assert not Appointee.objects.exists()


def test_no_appointment_before_the_joint_vetting(demo, clock):
    case_id = open_case(demo)
    propose(case_id, track="militia")
    advance(case_id)
    advance(case_id)
    r = act(client("dc_th_branch_secretary"), case_id, "appoint", {"appointed_on": "2026-11-02"})
    assert r.status_code == 400
    assert r.json()["code"] == "wrong_step"
    assert not Appointee.objects.filter(state="appointed").exists()


def test_vetting_passed_then_appointed_and_registered(demo, clock, tmp_path):
    case_id = open_case(demo)
    propose(case_id, track="militia", nominees=f"王建国,{WANG},民兵连长")
    to_vetting(case_id)
    future = vet(case_id, vetted_on="2026-11-03").json()
    assert (future["code"], future["field"]) == ("future_date", "vetted_on")
    assert vet(case_id, vetted_on="2026-02-30").json()["code"] == "invalid_date"
    r = vet(case_id)
    assert r.json()["current_step"] == "appoint"
    r = act(client("dc_th_branch_secretary"), case_id, "appoint",
            {"appointed_on": "2026-11-02"})
    assert r.json()["closed"] is True
    person = Appointee.objects.get(case_id=case_id)
    assert (person.vetting, person.state, str(person.start_on)) == ("passed", "appointed",
                                                                    "2026-11-02")
    assert JointVetting.objects.get(case_id=case_id).departments == ["discipline", "petitions",
                                                                     "police"]
    sup = client("dc_th_supervisory_member")
    rows = [r for r in sup.get("/api/registers/").json() if r["code"] == "reserve_cadre_register"]
    path = tmp_path / "r.pdf"
    path.write_bytes(sup.get(rows[0]["pdf_url"]).content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "后备干部及群团组织任职登记" in text
    assert "330299********0012" in text and WANG not in text
    assert "民兵连长" in text and "已任用" in text
    sheet = openpyxl.load_workbook(io.BytesIO(sup.get(rows[0]["xlsx_url"]).content)).active
    flat = [c.value for row in sheet.iter_rows() for c in row]
    assert "联审通过" in flat and "民兵组织" in flat


def test_person_failing_vetting_is_not_appointed_with_the_others(demo, clock):
    case_id = open_case(demo)
    propose(case_id)
    to_vetting(case_id)
    assert vet(case_id, excluded=f"{LI} 张晓红").json()["code"] == "vetting_all_failed"
    assert vet(case_id, excluded="不相干").json()["code"] == "invalid_field"
    assert vet(case_id, excluded=LI).status_code == 200
    act(client("dc_th_branch_secretary"), case_id, "appoint", {"appointed_on": "2026-11-02"})
    states = dict(Appointee.objects.filter(case_id=case_id).values_list("name", "state"))
    assert states == {"李秀英": "not_appointed", "张晓红": "appointed"}


def test_failed_vetting_closes_without_appointment_and_renomination_alerts(demo, clock):
    case_id = open_case(demo)
    propose(case_id)
    to_vetting(case_id)
    r = vet(case_id, action="fail")
    assert r.json()["closed"] is True
    assert r.json()["state"] == "closed"
    assert not Appointee.objects.filter(state="appointed").exists()
    r = act(client("dc_th_branch_secretary"), case_id, "appoint", {"appointed_on": "2026-11-02"})
    assert r.status_code == 400
    assert r.json()["code"] == "case_closed"
    again = open_case(demo)
    assert propose(again, nominees=f"李秀英,{LI},妇联主席").status_code == 200
    alert = Alert.objects.get(case_id=again)
    assert "曾联审未通过" in alert.message and "330299********0023" in alert.message


def test_auxiliary_posts_decided_with_minutes_then_vetted_then_hired(demo, clock, tmp_path):
    case_id = open_case(demo, "05.2")
    sec = client("dc_th_branch_secretary")
    posts = "保洁员,2,2000,12\n水管员,1,1800.50,6"
    r = act(sec, case_id, "decide", {"posts": posts, "meeting": m(7, 6, 4, 2)})
    assert r.json()["code"] == "missing_attachment"
    assert act(sec, case_id, "decide", {"posts": posts, "meeting": m(7, 3, 3)},
               minutes()).json()["code"] == "quorum_not_met"
    assert act(sec, case_id, "decide", {"posts": "保洁员,0,2000,12", "meeting": m(7, 4, 4)},
               minutes()).json()["code"] == "invalid_field"
    assert act(sec, case_id, "decide", {"posts": posts, "meeting": m(7, 4, 4)},
               minutes()).status_code == 200
    director = client("dc_th_committee_director")
    r = act(director, case_id, "select",
            {"staff": f"王建国,{WANG},水管员\n赵大海,{ZHAO},水管员"})
    assert r.json()["code"] == "post_count_exceeded"
    r = act(director, case_id, "select", {"staff": f"王建国,{WANG},门卫"})
    assert r.json()["code"] == "post_not_decided"
    r = act(director, case_id, "select", {"staff": f"王建国,{WANG},保洁员\n赵大海,{ZHAO},水管员"})
    assert r.json()["current_step"] == "vetting"
    r = act(director, case_id, "hire", {"start_on": "2026-12-01"})
    assert r.json()["code"] == "wrong_step"
    assert vet(case_id).json()["current_step"] == "implement"
    r = act(director, case_id, "hire", {"start_on": "2026-12-01"})
    assert r.json()["closed"] is True
    staff = {a.name: a for a in Appointee.objects.filter(case_id=case_id)}
    assert str(staff["王建国"].end_on) == "2027-11-30"
    assert str(staff["赵大海"].end_on) == "2027-05-31"
    assert str(staff["赵大海"].monthly_pay) == "1800.50"
    sup = client("dc_th_supervisory_member")
    rows = [r for r in sup.get("/api/registers/").json()
            if r["code"] == "auxiliary_staff_register"]
    sheet = openpyxl.load_workbook(io.BytesIO(sup.get(rows[0]["xlsx_url"]).content)).active
    flat = [c.value for row in sheet.iter_rows() for c in row]
    assert "水管员" in flat and "330299********0043" in flat and ZHAO not in flat
    path = tmp_path / "a.pdf"
    path.write_bytes(sup.get(rows[0]["pdf_url"]).content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "辅助性岗位人员台账" in text and "2027-11-30" in text


def test_auxiliary_failed_vetting_hires_nobody(demo, clock):
    case_id = open_case(demo, "05.2")
    act(client("dc_th_branch_secretary"), case_id, "decide",
        {"posts": "保洁员,1,2000,12", "meeting": m(7, 4, 4)}, minutes())
    act(client("dc_th_committee_director"), case_id, "select", {"staff": f"王建国,{WANG},保洁员"})
    assert vet(case_id, action="fail").json()["closed"] is True
    assert Appointee.objects.get(case_id=case_id).state == "not_appointed"


def test_another_village_cannot_see_appointments(demo, clock):
    case_id = open_case(demo)
    other = client("dc_yl_branch_secretary")
    assert other.get(f"/api/cases/{case_id}/").status_code == 404
    assert act(other, case_id, "propose", {}).status_code == 404
    url = f"/api/registers/reserve_cadre_register/{demo['dc_th'].pk}.pdf"
    assert other.get(url).status_code == 404


# --- a refusal of an effect's check stores nothing --------------------------------------------


def stored_files():
    return sorted(p for p in pathlib.Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_a_bad_nominee_list_stores_neither_the_minutes_nor_a_nominee(demo, clock):
    case_id = open_case(demo)
    files, rows = stored_files(), Attachment.objects.count()
    r = propose(case_id, nominees=f"李秀英,{LI},妇联主席\n李秀英,{LI},妇联执委")
    assert (r.status_code, r.json()["code"]) == (400, "invalid_field")
    assert "第2行" in r.json()["detail"]
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not Appointee.objects.exists()


def test_an_unknown_exclusion_stores_neither_the_form_nor_the_vetting(demo, clock):
    case_id = open_case(demo)
    propose(case_id)
    to_vetting(case_id)
    files, rows = stored_files(), Attachment.objects.count()
    r = vet(case_id, excluded="王不相干")
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (400, "invalid_field",
                                                                     "excluded")
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not JointVetting.objects.exists()
    assert set(Appointee.objects.values_list("vetting", flat=True)) == {"pending"}


def test_a_future_vetting_date_stores_nothing(demo, clock):
    case_id = open_case(demo)
    propose(case_id)
    to_vetting(case_id)
    files, rows = stored_files(), Attachment.objects.count()
    assert vet(case_id, vetted_on="2026-11-03").json()["code"] == "future_date"
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not JointVetting.objects.exists()


def test_a_report_cannot_be_received_in_the_future(demo, clock):
    case_id = open_case(demo)
    propose(case_id, track="league")
    for _ in range(3):  # league_review, league_party, league_election
        assert advance(case_id).status_code == 200
    r = act(client("dc_township_league"), case_id, "receive", {"received_on": "2026-11-03"})
    assert (r.json()["code"], r.json()["field"]) == ("future_date", "received_on")

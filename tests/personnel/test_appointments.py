"""05.1 reserve cadres and mass-organisation posts (先审后选), 05.2 auxiliary posts: the joint
vetting."""

import pytest

from personnel.models import Appointee, JointVetting
from tests.decisions.rules_helpers import minutes
from tests.driver import as_user
from tests.driver import meeting as m
from tests.exports import export, pdf_text, xlsx_cells
from tests.personnel.helpers import (
    DIRECTOR,
    LI,
    NOMINEES,
    SEC,
    WANG,
    ZHANG,
    ZHAO,
    advance,
    not_passed,
    open_appointment,
    people,
    posts,
    propose,
    to_vetting,
    vet,
)
from tests.samples import stored_files
from workflows.models import Alert, Attachment


@pytest.mark.parametrize(("track", "steps"), [
    ("women", ["women_vetting", "women_review", "women_party", "women_election",
               "women_report", "women_approve", "appoint"]),
    ("militia", ["militia_vetting", "militia_review", "militia_approve", "appoint"]),
    ("league", ["league_vetting", "league_review", "league_party", "league_election",
                "league_report", "league_approve", "appoint"]),
])
def test_each_track_is_vetted_first_then_goes_through_its_township_body(demo, clock, track,
                                                                        steps):
    """先审后选: the joint vetting follows the party organisation's list at once; only then
    do the township bodies review the candidates and the congresses elect them."""
    case = open_appointment(demo)
    r = propose(case, track=track)
    seen = [r.json()["current_step"]]
    r = vet(case)
    assert r.status_code == 200, r.content
    seen.append(r.json()["current_step"])
    while seen[-1] != "appoint":
        r = advance(case)
        assert r.status_code == 200, r.content
        seen.append(r.json()["current_step"])
    assert seen == steps


def test_no_candidate_is_reviewed_or_elected_before_the_joint_vetting(demo, clock):
    case = open_appointment(demo)
    propose(case, track="women")
    r = case.post("dc_township_women", "approve", {"opinion": "同意"})
    assert r.status_code in (400, 403, 404)
    r = case.post(SEC, "elect", {"meeting": m()}, minutes())
    assert r.status_code in (400, 403)
    assert case.detail(SEC)["current_step"] == "women_vetting"


def test_a_township_body_may_not_act_for_another(demo, clock):
    case = open_appointment(demo)
    propose(case, track="militia")
    assert vet(case).status_code == 200
    r = case.post("dc_township_women", "approve", {"opinion": "同意"})
    assert r.status_code in (403, 404)
    r = case.post("dc_township_armed", "approve", {"opinion": "同意"})
    assert r.json()["current_step"] == "militia_approve"


def test_nomination_needs_a_meeting_with_more_than_half(demo, clock):
    case = open_appointment(demo)
    # the branch committee of the day: 3 members (任职记录)
    assert propose(case, meeting=m(3, 1, 1)).json()["code"] == "quorum_not_met"
    assert propose(case, meeting=m(3, 2, 1, 1)).json()["code"] == "vote_failed"
    r = case.post(SEC, "propose",
                  {"track": "women", "nominees": NOMINEES, "meeting": m(3, 3, 2, 1)})
    assert r.json()["code"] == "missing_attachment"
    assert propose(case, meeting=m(3, 3, 2, 1)).status_code == 200


def test_nominee_with_a_bad_id_number_is_refused(demo, clock):
    case = open_appointment(demo)
    r = propose(case, nominees=people(("李秀英", f"{LI[:-1]}4", "妇联主席")))
    assert (r.json()["code"], r.json()["field"]) == ("invalid_id_number", "nominees[0].id_number")
    assert "第1行" in r.json()["detail"]
    assert not Appointee.objects.exists()


def test_no_appointment_before_the_joint_vetting(demo, clock):
    case = open_appointment(demo)
    propose(case, track="militia")
    r = case.post(SEC, "appoint", {"appointed_on": "2026-11-02"})
    assert r.status_code == 400
    assert r.json()["code"] == "wrong_step"
    assert not Appointee.objects.filter(state="appointed").exists()


def test_vetting_passed_then_appointed_and_registered(demo, clock):
    case = open_appointment(demo)
    propose(case, track="militia", nominees=people(("王建国", WANG, "民兵连长")))
    to_vetting(case)
    future = vet(case, vetted_on="2026-11-03").json()
    assert (future["code"], future["field"]) == ("future_date", "vetted_on")
    assert vet(case, vetted_on="2026-02-30").json()["code"] == "invalid_date"
    r = vet(case)
    assert r.json()["current_step"] == "militia_review"
    assert advance(case).json()["current_step"] == "militia_approve"
    assert advance(case).json()["current_step"] == "appoint"
    r = case.post(SEC, "appoint", {"appointed_on": "2026-11-02"})
    assert r.json()["closed"] is True
    person = Appointee.objects.get(case_id=case.id)
    assert (person.vetting, person.state, str(person.start_on)) == ("passed", "appointed",
                                                                    "2026-11-02")
    assert JointVetting.objects.get(case_id=case.id).departments == ["discipline", "petitions",
                                                                     "police"]
    pdf, xlsx = export(as_user("dc_th_supervisory_member"), "reserve_cadre_register")
    text = pdf_text(pdf.content)
    assert "后备干部及群团组织任职登记" in text
    assert "330299********0012" in text and WANG not in text
    assert "民兵连长" in text and "已任用" in text
    flat = xlsx_cells(xlsx.content)
    assert "联审通过" in flat and "民兵组织" in flat


def test_person_failing_vetting_is_not_appointed_with_the_others(demo, clock):
    case = open_appointment(demo)
    propose(case)
    to_vetting(case)
    assert vet(case, excluded=not_passed(LI, ZHANG)).json()["code"] == "vetting_all_failed"
    assert vet(case, excluded=not_passed(WANG)).json()["code"] == "invalid_field"  # not put up
    assert vet(case, excluded=not_passed(LI)).status_code == 200
    for _ in range(5):  # the women's federation, the party committee, the congress, ...
        assert advance(case).status_code == 200
    assert case.post(SEC, "appoint", {"appointed_on": "2026-11-02"}).status_code == 200
    states = dict(Appointee.objects.filter(case_id=case.id).values_list("name", "state"))
    assert states == {"李秀英": "not_appointed", "张晓红": "appointed"}


def test_failed_vetting_closes_without_appointment_and_renomination_alerts(demo, clock):
    case = open_appointment(demo)
    propose(case)
    to_vetting(case)
    r = vet(case, action="fail")
    assert r.json()["closed"] is True
    assert r.json()["state"] == "closed"
    assert not Appointee.objects.filter(state="appointed").exists()
    r = case.post(SEC, "appoint", {"appointed_on": "2026-11-02"})
    assert r.status_code == 400
    assert r.json()["code"] == "case_closed"
    again = open_appointment(demo)
    assert propose(again, nominees=people(("李秀英", LI, "妇联主席"))).status_code == 200
    alert = Alert.objects.get(case_id=again.id)
    assert "曾联审未通过" in alert.message and "330299********0023" in alert.message


def test_auxiliary_posts_decided_with_minutes_then_vetted_then_hired(demo, clock):
    case = open_appointment(demo, "05.2")
    decided = posts(("保洁员", 2, "2000", 12), ("水管员", 1, "1800.50", 6))
    r = case.post(SEC, "decide", {"posts": decided, "meeting": m(5, 4, 3, 1)})
    assert r.json()["code"] == "missing_attachment"
    assert case.post(SEC, "decide", {"posts": decided, "meeting": m(5, 2, 2)},
                     minutes()).json()["code"] == "quorum_not_met"
    nobody = case.post(SEC, "decide", {"posts": posts(("保洁员", 0, "2000", 12)),
                                       "meeting": m(5, 4, 4)}, minutes()).json()
    assert (nobody["code"], nobody["field"]) == ("out_of_range", "posts[0].count")
    assert case.post(SEC, "decide", {"posts": decided, "meeting": m(5, 4, 4)},
                     minutes()).status_code == 200
    r = case.post(DIRECTOR, "select",
                  {"staff": people(("王建国", WANG, "水管员"), ("赵大海", ZHAO, "水管员"))})
    assert r.json()["code"] == "post_count_exceeded"
    # the posts offered are those the two committees decided, and only those
    offered = next(f for a in case.actions(DIRECTOR) for f in a["fields"] if f["name"] == "staff")
    post = next(c for c in offered["columns"] if c["name"] == "post")
    assert post["type"] == "choice"
    assert {c["value"] for c in post["choices"]} == {"保洁员", "水管员"}
    r = case.post(DIRECTOR, "select", {"staff": people(("王建国", WANG, "门卫"))})
    assert (r.json()["code"], r.json()["field"]) == ("invalid_field", "staff[0].post")
    r = case.post(DIRECTOR, "select",
                  {"staff": people(("王建国", WANG, "保洁员"), ("赵大海", ZHAO, "水管员"))})
    assert r.json()["current_step"] == "vetting"
    r = case.post(DIRECTOR, "hire", {"start_on": "2026-12-01"})
    assert r.json()["code"] == "wrong_step"
    assert vet(case).json()["current_step"] == "implement"
    r = case.post(DIRECTOR, "hire", {"start_on": "2026-12-01"})
    assert r.json()["closed"] is True
    staff = {a.name: a for a in Appointee.objects.filter(case_id=case.id)}
    assert str(staff["王建国"].end_on) == "2027-11-30"
    assert str(staff["赵大海"].end_on) == "2027-05-31"
    assert str(staff["赵大海"].monthly_pay) == "1800.50"
    pdf, xlsx = export(as_user("dc_th_supervisory_member"), "auxiliary_staff_register")
    flat = xlsx_cells(xlsx.content)
    assert "水管员" in flat and "330299********0043" in flat and ZHAO not in flat
    text = pdf_text(pdf.content)
    assert "辅助性岗位人员台账" in text and "2027-11-30" in text


def test_auxiliary_failed_vetting_hires_nobody(demo, clock):
    case = open_appointment(demo, "05.2")
    case.post(SEC, "decide",
              {"posts": posts(("保洁员", 1, "2000", 12)), "meeting": m(5, 4, 4)}, minutes())
    case.post(DIRECTOR, "select", {"staff": people(("王建国", WANG, "保洁员"))})
    assert vet(case, action="fail").json()["closed"] is True
    assert Appointee.objects.get(case_id=case.id).state == "not_appointed"


def test_another_village_cannot_see_appointments(demo, clock):
    case = open_appointment(demo)
    other = as_user("dc_yl_branch_secretary")
    assert other.get(f"/api/cases/{case.id}/").status_code == 404
    assert case.post("dc_yl_branch_secretary", "propose", {}).status_code == 404
    url = f"/api/registers/reserve_cadre_register/{demo['dc_th'].pk}.pdf"
    assert other.get(url).status_code == 404


# --- a refusal of an effect's check stores nothing --------------------------------------------


def test_a_bad_nominee_list_stores_neither_the_minutes_nor_a_nominee(demo, clock):
    case = open_appointment(demo)
    files, rows = stored_files(), Attachment.objects.count()
    r = propose(case, nominees=people(("李秀英", LI, "妇联主席"), ("李秀英", LI, "妇联执委")))
    assert (r.status_code, r.json()["code"]) == (400, "invalid_field")
    assert r.json()["field"] == "nominees[1].id_number"
    assert "第2行" in r.json()["detail"]
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not Appointee.objects.exists()


def test_an_unknown_exclusion_stores_neither_the_form_nor_the_vetting(demo, clock):
    case = open_appointment(demo)
    propose(case)
    to_vetting(case)
    files, rows = stored_files(), Attachment.objects.count()
    r = vet(case, excluded=not_passed(WANG))  # not among the nominees
    assert (r.status_code, r.json()["code"], r.json()["field"]) == (400, "invalid_field",
                                                                     "excluded[0].id_number")
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not JointVetting.objects.exists()
    assert set(Appointee.objects.values_list("vetting", flat=True)) == {"pending"}


def test_a_future_vetting_date_stores_nothing(demo, clock):
    case = open_appointment(demo)
    propose(case)
    to_vetting(case)
    files, rows = stored_files(), Attachment.objects.count()
    assert vet(case, vetted_on="2026-11-03").json()["code"] == "future_date"
    assert stored_files() == files
    assert Attachment.objects.count() == rows
    assert not JointVetting.objects.exists()


def test_a_report_cannot_be_received_in_the_future(demo, clock):
    case = open_appointment(demo)
    propose(case, track="league")
    assert vet(case).status_code == 200
    for _ in range(3):  # league_review, league_party, league_election
        assert advance(case).status_code == 200
    r = case.post("dc_township_league", "receive", {"received_on": "2026-11-03"})
    assert (r.json()["code"], r.json()["field"]) == ("future_date", "received_on")

"""Data the party procedures' rules need for the generic walk (in 桃花村, from 2026-11-02).

The walk starts on Monday 2026-11-02 10:00 (Shanghai) and jumps the clock to the end of each
window and minimum period; the dates below are on or before the walk's clock at each step.
Members of the register are picked from the choices the field's schema lists (``choice``,
``other_than``, ``each_choice``): their ids differ from one database to the next.
"""

from party.choices import MemberStatus
from party.demo import NAMES, TEMPLATE
from tests.samples import choice, each_choice, other_than, table

TH = NAMES["330299101201"]
ACTIVE = [n for n, row in zip(TH, TEMPLATE, strict=True)
          if row[1] in (MemberStatus.FULL, MemberStatus.PROBATIONARY)]

WALK = {
    "01.1": {
        "application": {"id_number": "330102200203150019", "application_date": "2026-10-20"},
        "talk": {"talk_date": "2026-11-02"},
        "activist_decision": {"contact_1": choice(0), "contact_2": other_than("contact_1")},
        "target_announcement": {"announced_on": "2027-11-18", "told_on": "2027-11-18"},
        "target_filing": {"filed_on": "2027-11-18"},
        "political_review": {"introducer_1": choice(2),
                             "introducer_2": other_than("introducer_1")},
        "district_training": {"class_hours": 24},
        "conversion_approval": {"approved_on": "2028-12-05"},
    },
    "01.2": {
        "collect": {"period": "2026-10",
                    "payments": table(
                        {"member": choice(0), "category": "离退休", "income": "4000",
                         "amount": "20.00"},
                        {"member": choice(1), "category": "农民", "income": None,
                         "amount": "0.50"})},
        "remit": {"amount": "20.50", "remitted_on": "2026-11-02"},
        "receipt": {"amount": "20.50"},
        "district": {"amount": "20.50", "remitted_on": "2026-11-02"},
    },
    "01.3": {"issue_letter": {"member": choice(4), "issued_on": "2026-11-02"},
             "system_transfer": {"completed_on": "2026-11-02"}},
    "01.4": {"receive": {"id_number": "330102198801010016", "received_on": "2026-11-02",
                         "admission_date": "2010-07-01"},
             "report_in": {"reported_on": "2026-11-10"}},
    "01.5": {"register": {"member": choice(5), "left_on": "2026-10-01",
                          "branch_contact": other_than("member")},
             "certificate": {"issued_on": "2026-10-02"},
             "host_report": {"reported_on": "2026-11-02"},
             "follow_up": {"returned_on": "2026-11-02"}},
    "02.1": {"hold_general": {"absentees": []}},
    "02.2": {"appraisal": {"forms": ["onsite", "members"], "held_on": "2026-11-02"}},
    "02.3": {"theme": {"month": "2026-11"}, "publish": {"published_on": "2026-11-01"},
             "hold": {"absentees": []}},
    "02.4": {"meeting": {"absentees": [],
                         "problems": [{"problem": "学习不够深入"}, {"problem": "联系群众不够"}],
                         "all_criticised": True},
             "rectify": {"measures": table(
                 {"problem": 1, "measure": "每月集中学习一次", "owner": choice(0),
                  "due_on": "2027-03-31"},
                 {"problem": 2, "measure": "每季度走访群众", "owner": choice(1),
                  "due_on": "2027-03-31"})},
             "follow_through": {"results": [
                 {"measure": 1, "result": "已落实", "done_on": "2026-11-02"},
                 {"measure": 2, "result": "已落实", "done_on": "2026-11-02"}]}},
    "02.5": {"convene": {"absentees": []},
             "grade": {"grades": each_choice("member", grade="合格")},
             "follow_up": {"follow_ups": table(
                 {"member": choice(0), "follow_up": "肯定优点,提出希望和要求"})}},
}

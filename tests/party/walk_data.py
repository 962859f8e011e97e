"""Data the party procedures' rules need for the generic walk (in 桃花村, from 2026-11-02).

The walk starts on Monday 2026-11-02 10:00 (Shanghai) and jumps the clock to the end of each
window and minimum period; the dates below are on or before the walk's clock at each step.
"""

from party.choices import MemberStatus
from party.demo import NAMES, TEMPLATE

TH = NAMES["330299101201"]
ACTIVE = [n for n, row in zip(TH, TEMPLATE, strict=True)
          if row[1] in (MemberStatus.FULL, MemberStatus.PROBATIONARY)]

WALK = {
    "01.1": {
        "application": {"id_number": "330299200203150013", "application_date": "2026-10-20"},
        "talk": {"talk_date": "2026-11-02"},
        "activist_decision": {"meeting_date": "2026-11-10", "contact_1": TH[0],
                              "contact_2": TH[1]},
        "target_filing": {"filed_on": "2027-11-18"},
        "political_review": {"introducer_1": TH[2], "introducer_2": TH[3]},
        "district_training": {"class_hours": 24},
        "general_meeting": {"meeting_date": "2027-11-26"},
        "conversion_approval": {"approved_on": "2028-12-05"},
    },
    "01.2": {
        "collect": {"period": "2026-10",
                    "payments": f"{TH[0]},离退休,4000,20.00\n{TH[1]},农民,,0.50"},
        "remit": {"amount": "20.50", "remitted_on": "2026-11-02"},
        "receipt": {"amount": "20.50"},
        "district": {"amount": "20.50", "remitted_on": "2026-11-02"},
    },
    "01.3": {"issue_letter": {"member": TH[4], "issued_on": "2026-11-02"},
             "system_transfer": {"completed_on": "2026-11-02"}},
    "01.4": {"receive": {"id_number": "330299198801010010", "received_on": "2026-11-02",
                         "admission_date": "2010-07-01"},
             "report_in": {"reported_on": "2026-11-10"}},
    "01.5": {"register": {"member": TH[5], "left_on": "2026-10-01", "branch_contact": TH[0]},
             "certificate": {"issued_on": "2026-10-02"},
             "host_report": {"reported_on": "2026-11-02"},
             "follow_up": {"returned_on": "2026-11-02"}},
    "02.1": {"hold_general": {"held_on": "2026-11-02", "absentees": ""}},
    "02.2": {"appraisal": {"forms": ["onsite", "members"], "held_on": "2026-11-02"}},
    "02.3": {"theme": {"month": "2026-11"}, "publish": {"published_on": "2026-11-01"},
             "hold": {"held_on": "2026-11-02", "absentees": ""}},
    "02.4": {"meeting": {"held_on": "2026-11-02", "absentees": "",
                         "problems": "学习不够深入\n联系群众不够",
                         "self_criticisms": 2},
             "rectify": {"measures": "1|每月集中学习一次|王建军|2027-03-31\n"
                                     "2|每季度走访群众|李秀兰|2027-03-31"},
             "follow_through": {"results": "1|已落实|2026-11-02\n2|已落实|2026-11-02"}},
    "02.5": {"convene": {"held_on": "2026-11-02", "absentees": ""},
             "grade": {"grades": "\n".join(f"{n}:合格" for n in ACTIVE)},
             "follow_up": {"follow_ups": f"{ACTIVE[0]}:肯定优点,提出希望和要求"}},
}

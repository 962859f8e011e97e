"""Data the safety procedures' rules need for the generic walk (in 桃花村, from 2026-11-02).

Dates may not lie in the future, times of reports may not precede the incident, every
grid of the village's roster must be covered (one row for each grid the field's schema
lists), and a correction is released only at the end of its term.
"""

from tests.samples import each_choice

DAY = "2026-11-02"

WALK = {
    "07.1": {
        "register": {"received_on": DAY, "gravity": "major",
                     "parties": [{"side": "applicant", "name": "张三", "address": "一组12号"},
                                 {"side": "respondent", "name": "李四", "address": "一组14号"}]},
        "mediate": {"held_on": DAY},
        "follow_up": {"visited_on": DAY},
    },
    "07.2": {
        "register": {"received_on": DAY},
        "accept": {"told_on": DAY},
        "investigate": {"replied_on": DAY},
    },
    "07.3": {
        "pre_sentence": {"name": "赵六", "id_number": "330102199001015673"},
        "handover": {"start": "2026-11-01", "end": "2027-04-30"},
        "supervise": {"assessed_on": DAY},
        "assessment_decision": {"decided_on": DAY, "next": "release"},
        "release": {"released_on": "2027-04-30"},
    },
    "08": {"screening": {"coverage": each_choice("grid")}},
    "09": {"plan": {"topic": "宪法进村"}, "hold": {"held_on": DAY}},
    "10.1": {
        "incident": {"occurred_at": "2026-11-02T09:00:00+08:00", "location": "后山"},
        "report": {"reported_at": "2026-11-02T09:30:00+08:00"},
    },
    "10.2": {
        "inspect": {"result": "found",
                    "hazards": [{"location": "村口桥梁", "description": "护栏松动",
                                 "gravity": "ordinary", "rectify_by": "2026-11-20",
                                 "responsible": "张三"}]},
        "rectify": {"completed_on": DAY},
    },
    "10.3": {
        "adopt": {"rules": ["responsibility", "hazard", "plan", "training", "fire", "check"]},
        "train": {"held_on": DAY, "content": "消防培训"},
        "check": {"checked_on": DAY},
    },
    "10.4": {
        "fire": {"started_at": "2026-11-02T09:00:00+08:00",
                 "call_119_at": "2026-11-02T09:03:00+08:00",
                 "reported_at": "2026-11-02T09:20:00+08:00"},
    },
}

"""Data 03.1 and 03.2 need for the generic walk (in 桃花村, from 2026-11-02 10:00).

Dates that record what has happened may not lie in the future: the meeting steps use
the walk's first day, the steps after the 7-day publicity its end (2026-11-10). 03.2 files
its rules on the day they are voted, before they are posted (备案后公布).
"""

WALK = {
    "03.1": {
        "members_review": {"informed_on": "2026-11-01"},
        "implementation": {"published_on": "2026-11-10"},
    },
    "03.2": {
        "villagers_decide": {"body": "representatives"},
        "district_filing": {"filed_on": "2026-11-02"},
        "publish": {"published_on": "2026-11-10"},
    },
}

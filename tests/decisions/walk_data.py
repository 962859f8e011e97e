"""Data 03.2's rules need for the generic walk (in 桃花村, from 2026-11-02 10:00).

The walk reaches the district's filing after the 7-day publicity (on 2026-11-10).
"""

WALK = {
    "03.2": {
        "villagers_decide": {"body": "representatives", "adopted_on": "2026-11-02"},
        "district_filing": {"filed_on": "2026-11-10"},
    },
}

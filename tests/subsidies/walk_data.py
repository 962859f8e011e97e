"""Data the farmland subsidy needs for the generic walk: a roster and the matching payout.

Dates that record what has happened may not lie in the future: the township hands the
forms out on the walk's first day (2026-11-02), the district records the rest after
the 7-day publicity (2026-11-10).
"""

ROSTER = [{"name": "王建国", "id_number": "330102198001010018", "area": "3.50"},
          {"name": "李秀英", "id_number": "330102198503150029", "area": "2.25"}]
# at 100.00 元/亩 (the walk's sample decimal is 12.50, set below): 350.00 + 225.00
PAYEES = [{"name": "王建国", "id_number": "330102198001010018", "amount": "350.00"},
          {"name": "李秀英", "id_number": "330102198503150029", "amount": "225.00"}]
LATER = "2026-11-10"

WALK = {
    "06": {
        "issue_forms": {"year": 2026, "rate": "100.00", "handed_on": "2026-11-02"},
        "roster": {"roster_rows": ROSTER},
        "district_review": {"reported_on": LATER},
        "city_review": {"confirmed_on": LATER},
        "province_review": {"confirmed_on": LATER},
        "province_finance": {"confirmed_on": LATER},
        "payment_list": {"payees": PAYEES},
        "payment": {"paid_on": LATER},
    },
}

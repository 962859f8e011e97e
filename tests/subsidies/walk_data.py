"""Data the farmland subsidy needs for the generic walk: a roster and the matching payout."""

ROSTER = "王建国,330299198001010012,3.50\n李秀英,330299198503150023,2.25"
# at 100.00 元/亩 (the walk's sample decimal is 12.50, set below): 350.00 + 225.00
PAYEES = "王建国,330299198001010012,350.00\n李秀英,330299198503150023,225.00"

WALK = {
    "06": {
        "issue_forms": {"year": 2026, "rate": "100.00"},
        "roster": {"roster_rows": ROSTER},
        "payment_list": {"payees": PAYEES},
    },
}

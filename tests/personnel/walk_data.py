"""Data the appointment procedures need for the generic walk (from 2026-11-02)."""

DAY = "2026-11-02"

WALK = {
    "05.1": {
        "propose": {"track": "women",
                    "nominees": [
                        {"name": "李秀英", "id_number": "330102198503150029", "post": "妇联执委"},
                        {"name": "张晓红", "id_number": "330102199007200036",
                         "post": "妇联主席"}]},
        "women_vetting": {"vetted_on": DAY, "excluded": []},
        "women_report": {"received_on": DAY},
    },
    "05.2": {
        "deliberate": {"posts": [
            {"post": "保洁员", "count": 2, "monthly_pay": "2000", "term_months": 12},
            {"post": "水管员", "count": 1, "monthly_pay": "1800.50", "term_months": 6}]},
        "select": {"staff": [
            {"name": "王建国", "id_number": "330102198001010018", "post": "保洁员"},
            {"name": "赵大海", "id_number": "330102197511110049", "post": "水管员"}]},
        "vetting": {"vetted_on": DAY, "excluded": []},
    },
}

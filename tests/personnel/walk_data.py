"""Data the appointment procedures need for the generic walk (from 2026-11-02)."""

DAY = "2026-11-02"

WALK = {
    "05.1": {
        "propose": {"track": "women",
                    "nominees": "李秀英,330299198503150023,妇联执委\n"
                                "张晓红,330299199007200030,妇联主席"},
        "women_report": {"received_on": DAY},
        "vetting": {"vetted_on": DAY, "excluded": ""},
    },
    "05.2": {
        "deliberate": {"posts": "保洁员,2,2000,12\n水管员,1,1800.50,6"},
        "select": {"staff": "王建国,330299198001010012,保洁员\n"
                            "赵大海,330299197511110043,水管员"},
        "vetting": {"vetted_on": DAY, "excluded": ""},
    },
}

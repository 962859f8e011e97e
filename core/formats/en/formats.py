"""English date formats as a district office writes them: "5 Nov 2026, 14:00" (24-hour
clock, day before month), not Django's American "Nov. 5, 2026, 2 p.m."."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"

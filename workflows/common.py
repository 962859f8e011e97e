"""Texts that recur across the model text (measures, the archive risk)."""

from __future__ import annotations

from workflows.spec import Risk

MEASURE_EDUCATION = "加强对村(社区)干部的廉政教育"
MEASURE_PARTY_SUPERVISION = "党员、村(居)民代表加强监督"
MEASURE_UPPER_PARTY = "镇(街道)党委、纪(工)委及上级党组织加强监督指导"
MEASURE_SUPERVISORY = "村(居)务监督委员会、全体村(居)民加强监督"
MEASURE_TOWNSHIP = "镇(街道)党委、政府及纪检组织加强监督指导"

PARTY_MEASURES = (MEASURE_EDUCATION, MEASURE_PARTY_SUPERVISION, MEASURE_UPPER_PARTY)
VILLAGE_MEASURES = (MEASURE_EDUCATION, MEASURE_SUPERVISORY, MEASURE_TOWNSHIP)

ARCHIVE_RISK = Risk(
    "资料整理归档不规范",
    "每一步的会议记录、附件随办理记录自动归档并计算SHA-256;办结前须完成归档清单;"
    "监督委员会可随时导出全程纪实",
)

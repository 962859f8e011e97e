"""The safety procedures keep the seven fields of the model text, its risks word for word,
and a control for each risk."""

import pytest

from safety.choices import Gravity
from safety.procedures.common import choices_of
from workflows.registry import lint, registry

# 廉政风险点 of the model text (shared/seed), item by item
RISKS = {
    "07.1": ("矛盾纠纷化解拖延、不及时", "协调中偏袒,标准不统一", "跟踪回访不及时,资料收集不到位"),
    "07.2": ("漏登漏记,拖延登记", "不按信访条例有关规定办理", "不按规定保存已办结案件"),
    "07.3": ("审前调查不实", "监督管理不到位", "考核奖惩不公开"),
    "08": ("疏漏和覆盖不到位", "排查标准不统一", "懈怠拖延现象、不及时"),
    "09": ("宣传不到位、力度不够", "宣传不及时、效果不明显,没有针对性", "宣传开展不实、流于形式"),
    "10.1": ("漏报、瞒报、上报不及时", "发生事故后应急处置不当", "跟踪处置不到位"),
    "10.2": ("隐患排查不到位", "举报发现处理问题不及时", "记录和反馈不及时"),
    "10.3": ("制度建设不全面", "宣传普及不到位", "管理实施不严格"),
    "10.4": ("发生事故后迟报、瞒报、谎报", "应急救援不及时,救援不力",
             "教训总结不深刻,责任追究不严肃"),
}
GUIDES = {"07.1": ("区委政法委", "区信访局", "区司法局"), "07.2": ("区信访局",),
          "07.3": ("区委政法委", "区信访局"), "08": ("区委政法委",), "09": ("区司法局",),
          "10.1": ("区应急管理局",), "10.2": ("区应急管理局",), "10.3": ("区应急管理局",),
          "10.4": ("区应急管理局",)}


@pytest.mark.parametrize("code", sorted(RISKS))
def test_each_risk_of_the_model_text_maps_to_a_control(code):
    spec = registry.get(code)
    assert spec is not None
    assert lint(spec) == []
    assert tuple(r.text for r in spec.risks) == RISKS[code]
    for risk in spec.risks:
        assert len(risk.control) > 20 and risk.kind in ("enforced", "alert")
    assert spec.guiding_units == GUIDES[code]
    assert (spec.category, spec.supervisor) == ("平安建设", "村(居)务监督委员会")
    assert spec.measures[0].startswith("加强") and len(spec.measures) in (2, 3)


def test_late_or_missing_reports_are_alert_controls():
    lateness = {"07.1": 0, "07.2": 0, "07.3": 1, "08": 2, "09": 1, "10.1": 0, "10.2": 1,
                "10.4": 0}
    for code, index in lateness.items():
        spec = registry.get(code)
        assert spec is not None
        assert spec.risks[index].kind == "alert", code


def test_choice_fields_carry_the_chinese_labels():
    assert choices_of(Gravity) == (("ordinary", "一般"), ("major", "重大疑难复杂"))


def test_the_api_shows_the_judicial_office_deciding_and_the_village_relaying(demo, api):
    """/api/procedures/: 07.3's 考核奖惩 is the township 司法所's step and nothing of 07.3 is
    posted; every step of 10.1 is the village's, 传达上级指示 and 收集反馈意见 among them; each
    number says its basis."""
    body = {p["code"]: p for p in api("dc_th_branch_secretary").get("/api/procedures/").json()}
    steps = {s["code"]: s for s in body["07.3"]["steps"]}
    assert (steps["assessment_decision"]["roles"], steps["assessment_decision"]["level"]) == (
        ["township_justice"], "township")
    assert "assessment_publicity" not in steps
    emergency = [(s["code"], s["name"], s["level"]) for s in body["10.1"]["steps"]]
    assert [c for c, _n, _lv in emergency] == [
        "incident", "report", "instructions", "feedback", "response", "aftermath", "lessons"]
    assert {lv for _c, _n, lv in emergency} == {"village"}
    assert [n for c, n, _lv in emergency if c in ("instructions", "feedback")] == [
        "传达上级指示", "收集反馈意见"]
    assert "{" not in "".join(r["control"] for r in body["10.1"]["risks"])
    bases = {p["name"]: p["basis"]["kind"] for code in ("07.3", "10.1")
             for p in body[code]["params"]}
    assert bases["correction_check_in_days"] == "model_text"
    assert bases["emergency_report_hours"] == "local"

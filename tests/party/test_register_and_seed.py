"""The demo register: plausible, idempotent, ID numbers valid and masked in exports."""

from core.idcard import valid_id_number
from party.choices import MemberStatus
from party.demo import seed_register
from party.models import PartyMember
from party.models.members import mask_id
from workflows.registry import registry


def test_each_demo_village_has_a_register_of_ten_and_seeding_is_idempotent(demo):
    assert seed_register() == 0
    for slug in ("dc_th", "dc_yl", "xh_qq", "xh_sq"):
        rows = PartyMember.objects.filter(region=demo[slug])
        assert 8 <= rows.count() <= 12
        assert rows.filter(status=MemberStatus.FULL).count() >= 4
        assert all(valid_id_number(r.id_number) for r in rows)
        assert rows.first().history.count() == 1


def test_id_numbers_keep_the_first_six_and_last_four_digits():
    assert mask_id("330299200203150013") == "330299********0013"


def test_party_procedures_have_the_seven_fields_of_the_seed():
    for code in ("01.1", "01.2", "01.3", "01.4", "01.5", "02.1", "02.2", "02.3", "02.4", "02.5"):
        spec = registry.get(code)
        assert spec is not None
        assert spec.category == "党建工作"
        assert spec.guiding_units == ("区委组织部",)
        assert spec.supervisor == "上级党组织"
        assert len(spec.risks) == 3 and all(r.control for r in spec.risks)
        assert spec.measures == ("加强对村(社区)干部的廉政教育", "党员、村(居)民代表加强监督",
                                 "镇(街道)党委、纪(工)委及上级党组织加强监督指导")


def test_the_district_org_sees_every_party_register(demo, api):
    codes = {r["code"] for r in api("sfq_district_org").get("/api/registers/").json()}
    assert {"party_members", "party_dues", "party_floating", "party_meetings",
            "party_member_appraisal"} <= codes
    assert not {r["code"] for r in api("sfq_district_agriculture").get("/api/registers/").json()
                if r["code"].startswith("party_")}

"""What 03.1 and 03.2 share: the bodies that deliberate and decide, and their rules.

Both procedures follow the same four deliberations ([law] 村民委员会组织法 for the
villagers' bodies); the numbers live here once, so a tenant's setting and the
procedures' pages name the same rule.
"""

from __future__ import annotations

from dataclasses import replace

from workflows.spec import (
    Basis,
    Effect,
    MeetingRule,
    Require,
    StepSpec,
    at_least,
    law,
    local,
    model_text,
    more_than,
    ratio,
)

MINUTES = "会议记录(签到表、表决票或记录原件的扫描件)"

# The villagers' bodies ([law] 村民委员会组织法): a 村民会议 needs more than half of the adults
# or two thirds of the households, a 村民代表会议 two thirds of its members; both decide by
# more than half of those present.
VILLAGERS_LAW = law("《中华人民共和国村民委员会组织法》第二十二条:召开村民会议,应当有本村十八周岁"
                    "以上村民的过半数,或者本村三分之二以上的户的代表参加,村民会议所作决定应当经"
                    "到会人员的过半数通过")
REPRESENTATIVES_LAW = law("《中华人民共和国村民委员会组织法》第二十六条:村民代表会议有三分之二"
                          "以上的组成人员参加方可召开,所作决定应当经到会人员的过半数同意")

# 党支部会提议 is a meeting of the branch committee (支委会), judged by the same rule as every
# 支委会 of the portal (the party procedures' committee rule): more than half of the members
# due present, and a decision agreed by more than half of the members due — of the roll,
# not of those present ([law] 中国共产党支部工作条例(试行) 第十二条; the model text's 02(1)).
BRANCH_COMMITTEE_MEETING = MeetingRule(
    body="党支部委员会会议",
    quorum=more_than(ratio(
        "branch_quorum", "支委会到会比例", 1, 2,
        source=law("《中国共产党支部工作条例(试行)》第十二条:党支部委员会会议须有半数以上委员"
                   "到会方可进行")), Basis.DUE),
    pass_line=more_than(ratio(
        "branch_pass", "支委会通过比例(应到委员)", 1, 2,
        source=law("《中国共产党章程》第十条第五项:凡属重大问题都要按照少数服从多数的原则由党的"
                   "委员会集体讨论作出决定;以赞成超过应到委员半数为通过,同党建事项的支委会")),
        Basis.DUE),
    roll_label="支部委员人数",
    roll="branch_committee",
)

# 两委会商议: the majority decides ("按照少数服从多数的原则形成商议意见"); the model text names
# no quorum, the district asks for more than half of the members.
DELIBERATION_QUORUM_SOURCE = local("示范文本未规定两委会议到会人数,本区按过半数成员到会方可商议")
DELIBERATION_PASS_SOURCE = model_text("“按照少数服从多数的原则形成商议意见”")


def deliberation(body: str, *, name: str, roll: str) -> MeetingRule:
    """两委会商议 (or the branch with the collective's council): more than half of the
    members due present, more than half of those present agree."""
    return MeetingRule(
        body=body,
        quorum=more_than(ratio(f"{name}_quorum", f"{body}到会比例", 1, 2,
                               source=DELIBERATION_QUORUM_SOURCE), Basis.DUE),
        pass_line=more_than(ratio(f"{name}_pass", f"{body}通过比例", 1, 2,
                                  source=DELIBERATION_PASS_SOURCE), Basis.PRESENT),
        roll=roll,
    )


def publicity_closing(step: StepSpec, closing: Effect) -> StepSpec:
    """A notice step whose way forward (its first action) also runs ``closing``."""
    done, *side = step.actions
    return replace(step, actions=(replace(done, effects=(*done.effects, closing)), *side))

# 党员大会审议: at least 2/3 of members due attend, at least 2/3 of those present agree.
MEMBERS_MEETING = MeetingRule(
    body="党员大会",
    quorum=at_least(ratio("members_quorum", "党员大会到会比例", 2, 3, source=model_text(
        "“实到会党员须达到应到会党员人数的 2/3以上方可开会”")), Basis.DUE),
    pass_line=at_least(ratio("members_pass", "党员大会同意比例", 2, 3, source=model_text(
        "“审议事项应经实到会党员2/3以上同意方可提交村(居)民会议、村(居)民代表会议或村集体经济"
        "组织表决”")), Basis.PRESENT),
    roll_label="应到会有表决权的党员人数",
    roll="party_members",
)

# The villagers' decision: the body is chosen by the case ([law] 村民委员会组织法).
VILLAGERS_MEETING = MeetingRule(
    body="村(居)民会议",
    quorum=more_than(ratio("villagers_quorum", "村民会议到会比例(年满十八周岁村民)", 1, 2,
                           source=VILLAGERS_LAW), Basis.DUE),
    pass_line=more_than(ratio("villagers_pass", "村民会议通过比例", 1, 2, source=VILLAGERS_LAW),
                        Basis.PRESENT),
    roll_label="本村年满十八周岁的村民人数",
    roll="villagers_adults",
)
HOUSEHOLDS_MEETING = MeetingRule(
    body="村(居)民会议(户代表)",
    quorum=at_least(ratio("households_quorum", "村民会议到会户代表比例", 2, 3,
                          source=VILLAGERS_LAW), Basis.DUE),
    pass_line=more_than(ratio("households_pass", "户代表会议通过比例", 1, 2,
                              source=VILLAGERS_LAW), Basis.PRESENT),
    roll_label="本村户数",
    roll="villagers_households",
)
REPRESENTATIVES_MEETING = MeetingRule(
    body="村(居)民代表会议",
    quorum=at_least(ratio("representatives_quorum", "村民代表会议到会比例", 2, 3,
                          source=REPRESENTATIVES_LAW), Basis.DUE),
    pass_line=more_than(ratio("representatives_pass", "村民代表会议通过比例", 1, 2,
                              source=REPRESENTATIVES_LAW), Basis.PRESENT),
    roll_label="村(居)民代表人数",
    roll="representatives",
)
# the model text only says "参加会议人数必须符合法律规定"; the district follows the collective's
# model charter: two thirds of the members (representatives) present, more than half agree
COLLECTIVE_SOURCE = local("示范文本只写“参加会议人数必须符合法律规定”;本区按集体经济组织章程,"
                          "三分之二以上成员(代表)到会、到会过半数同意")
COLLECTIVE_MEETING = MeetingRule(
    body="集体经济组织成员(代表)大会",
    quorum=at_least(ratio("collective_quorum", "集体经济组织成员(代表)大会到会比例", 2, 3,
                          source=COLLECTIVE_SOURCE), Basis.DUE),
    pass_line=more_than(ratio("collective_pass", "集体经济组织成员(代表)大会通过比例", 1, 2,
                              source=COLLECTIVE_SOURCE), Basis.PRESENT),
    roll_label="成员(代表)人数",
    roll="collective_members",
)

# 审议前须把审议内容告知全体党员 (both procedures' members' meeting)
MEMBERS_INFORMED = Require("members_informed", True, "党员大会审议前须把审议内容告知全体党员。")

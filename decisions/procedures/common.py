"""What 03.1 and 03.2 share: the bodies that deliberate and decide, and their rules.

Both procedures follow the same four deliberations ([law] 村民委员会组织法 for the
villagers' bodies); the numbers live here once, so a tenant's setting and the
procedures' pages name the same rule.
"""

from __future__ import annotations

from workflows.spec import Basis, MeetingRule, Require, at_least, more_than, ratio

MINUTES = "会议记录(签到表、表决票或记录原件的扫描件)"

# 党员大会审议: at least 2/3 of members due attend, at least 2/3 of those present agree.
MEMBERS_MEETING = MeetingRule(
    body="党员大会",
    quorum=at_least(ratio("members_quorum", "党员大会到会比例", 2, 3), Basis.DUE),
    pass_line=at_least(ratio("members_pass", "党员大会同意比例", 2, 3), Basis.PRESENT),
    roll_label="应到会有表决权的党员人数",
    roll="party_members",
)

# The villagers' decision: the body is chosen by the case ([law] 村民委员会组织法).
VILLAGERS_MEETING = MeetingRule(
    body="村(居)民会议",
    quorum=more_than(ratio("villagers_quorum", "村民会议到会比例(年满十八周岁村民)", 1, 2),
                     Basis.DUE),
    pass_line=more_than(ratio("villagers_pass", "村民会议通过比例", 1, 2), Basis.PRESENT),
    roll_label="本村年满十八周岁的村民人数",
    roll="villagers_adults",
)
HOUSEHOLDS_MEETING = MeetingRule(
    body="村(居)民会议(户代表)",
    quorum=at_least(ratio("households_quorum", "村民会议到会户代表比例", 2, 3), Basis.DUE),
    pass_line=more_than(ratio("households_pass", "户代表会议通过比例", 1, 2), Basis.PRESENT),
    roll_label="本村户数",
    roll="villagers_households",
)
REPRESENTATIVES_MEETING = MeetingRule(
    body="村(居)民代表会议",
    quorum=at_least(ratio("representatives_quorum", "村民代表会议到会比例", 2, 3), Basis.DUE),
    pass_line=more_than(ratio("representatives_pass", "村民代表会议通过比例", 1, 2),
                        Basis.PRESENT),
    roll_label="村(居)民代表人数",
    roll="representatives",
)
COLLECTIVE_MEETING = MeetingRule(
    body="集体经济组织成员(代表)大会",
    quorum=at_least(ratio("collective_quorum", "集体经济组织成员(代表)大会到会比例", 2, 3),
                    Basis.DUE),
    pass_line=more_than(ratio("collective_pass", "集体经济组织成员(代表)大会通过比例", 1, 2),
                        Basis.PRESENT),
    roll_label="成员(代表)人数",
    roll="collective_members",
)

# 审议前须把审议内容告知全体党员 (both procedures' members' meeting)
MEMBERS_INFORMED = Require("members_informed", True, "党员大会审议前须把审议内容告知全体党员。")

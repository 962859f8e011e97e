from django.db import models
from django.utils.translation import gettext_lazy as _


class RulesGuidance(models.TextChoices):
    """The seed's content guidance for village rules: each one the drafter confirms."""

    CORE_VALUES = "core_values", _(
        "践行社会主义核心价值观,弘扬中华民族传统美德和时代新风,"
        "结合本村实际和热点难点问题"
    )
    CUSTOMS = "customs", _(
        "针对滥办酒席、天价彩礼、薄养厚葬、攀比炫富、铺张浪费等不良风气"
        "提出抵制和约束内容"
    )
    IDLENESS = "idleness", _("针对“等靠要”、懒汉行为提出约束内容")
    DOMESTIC_VIOLENCE = "domestic_violence", _("针对家庭暴力提出约束内容")
    ELDER_SUPPORT = "elder_support", _("针对拒绝赡养老人提出约束内容")
    CRIME_VICE = "crime_vice", _("针对涉黑涉恶、“黄赌毒”提出约束内容")
    WOMEN_RIGHTS = "women_rights", _("保护妇女特别是出嫁、离婚、丧偶女性的合法权益")
    PENALTIES = "penalties", _("针对违反的情形提出相应惩戒措施")
    HISTORY = "history", _("挖掘本村发展史和传统文化(风土人情、历史变迁)")


class RulesBody(models.TextChoices):
    """Who adopted the rules (村民委员会组织法: the villagers' meeting or, authorised, the
    representatives)."""

    VILLAGERS = "villagers", _("村(居)民会议")
    HOUSEHOLDS = "households", _("村(居)民会议(户代表)")
    REPRESENTATIVES = "representatives", _("村(居)民代表会议")

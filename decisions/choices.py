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


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class ElectedBy(models.TextChoices):
    """How a villagers' representative was chosen (村民委员会组织法 §25)."""

    HOUSEHOLDS = "households", _("按户推选")
    GROUP = "group", _("村民小组推选")


class HouseholdEnd(models.TextChoices):
    MOVED = "moved", _("整户迁出")
    MERGED = "merged", _("合户")
    SPLIT = "split", _("分户(原户注销)")
    EXTINCT = "extinct", _("户内无人(注销)")
    OTHER = "other", _("其他")


class RepresentativeEnd(models.TextChoices):
    TERM = "term", _("任期届满")
    RESIGNED = "resigned", _("辞去代表职务")
    RECALLED = "recalled", _("被罢免")
    MOVED = "moved", _("迁出本村(社区)")
    DIED = "died", _("去世")
    OTHER = "other", _("其他")


class CollectiveEnd(models.TextChoices):
    LOST = "lost", _("丧失成员资格(迁出、转为公职人员等)")
    DIED = "died", _("去世")
    WITHDREW = "withdrew", _("书面申请退出")
    OTHER = "other", _("其他")


class FigureSource(models.TextChoices):
    """Where a village's population figures come from."""

    HUKOU = "hukou", _("公安户籍登记")
    CENSUS = "census", _("人口普查")
    SURVEY = "survey", _("村(居)委会入户统计")
    ELECTION = "election", _("选民登记")

from django.db import models
from django.utils.translation import gettext_lazy as _

RESERVE = "05.1"
AUXILIARY = "05.2"


class Track(models.TextChoices):
    """Which organisation a nominee is put forward for."""

    WOMEN = "women", _("妇代会")
    MILITIA = "militia", _("民兵组织")
    LEAGUE = "league", _("共青团")
    AUXILIARY = "auxiliary", _("辅助性岗位")


class VettingResult(models.TextChoices):
    PENDING = "pending", _("待联审")
    PASSED = "passed", _("联审通过")
    FAILED = "failed", _("联审未通过")


class AppointeeState(models.TextChoices):
    PROPOSED = "proposed", _("已提名")
    APPOINTED = "appointed", _("已任用")
    NOT_APPOINTED = "not_appointed", _("未任用")


class VettingDept(models.TextChoices):
    """The departments taking part in the joint vetting (联审)."""

    DISCIPLINE = "discipline", _("纪检监察")
    ORGANISATION = "organisation", _("组织")
    POLITICAL_LEGAL = "political_legal", _("政法")
    POLICE = "police", _("公安")
    PETITIONS = "petitions", _("信访")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    JUSTICE = "justice", _("司法")
    FAMILY_PLANNING = "health", _("卫健")


class Congress(models.TextChoices):
    """The mass organisations' congresses that elect at 05.1 (their delegates' roster)."""

    WOMEN = "women", _("妇女代表大会(妇代会)")
    LEAGUE = "league", _("团员代表大会")

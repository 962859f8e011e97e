from django.db import models
from django.utils.translation import gettext_lazy as _


class SealKind(models.TextChoices):
    PARTY = "party", _("党支部印章")
    COMMITTEE = "committee", _("村(居)委会印章")
    COLLECTIVE = "collective", _("集体经济组织印章")


class Matter(models.TextChoices):
    ROUTINE = "routine", _("一般常规业务")
    MAJOR = "major", _("重大事项")


# procedure code -> seal kind
PROCEDURE_SEAL = {"04.1": SealKind.PARTY, "04.2": SealKind.COMMITTEE, "04.3": SealKind.COLLECTIVE}


class SealEnd(models.TextChoices):
    """Why a seal was taken out of use."""

    RENAMED = "renamed", _("单位更名,缴销重刻")
    WORN = "worn", _("磨损,缴销重刻")
    LOST = "lost", _("遗失(已登报声明)")
    DISSOLVED = "dissolved", _("组织撤并")
    OTHER = "other", _("其他")

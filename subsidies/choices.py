from django.db import models
from django.utils.translation import gettext_lazy as _

PROCEDURE = "06"


class RosterColumn(models.TextChoices):
    """The columns of the household roster the village uploads (XLSX header row)."""

    NAME = "name", _("户主姓名")
    ID_NUMBER = "id_number", _("身份证号")
    AREA = "area", _("面积(亩)")


class PayeeColumn(models.TextChoices):
    """The columns of the district finance bureau's payment list."""

    NAME = "name", _("户主姓名")
    ID_NUMBER = "id_number", _("身份证号")
    AMOUNT = "amount", _("发放金额(元)")

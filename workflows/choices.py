from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    OPEN = "open", _("办理中")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class TaskState(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已办")
    CANCELLED = "cancelled", _("已取消")


class DeadlineKind(models.TextChoices):
    REMINDER = "reminder", _("到期提醒")
    OVERDUE = "overdue", _("逾期提醒")
    ESCALATION = "escalation", _("逾期上报")
    HARD_LIMIT = "hard_limit", _("超过最长期限")
    WINDOW_END = "window_end", _("公示期满")
    RECURRING = "recurring", _("定期提醒")


class AlertKind(models.TextChoices):
    """Integrity-risk alerts shown to the supervisory committee and the township."""

    PUBLICITY_CUT_SHORT = "publicity_cut_short", _("试图提前结束公示")
    SEPARATION_REFUSED = "separation_refused", _("违反不相容岗位分离被拒绝")
    OVERDUE = "overdue", _("事项逾期未办")
    LATE_REPORT = "late_report", _("迟报、漏报")
    DOMAIN = "domain", _("业务规则预警")
    RECORD_ALTERED = "record_altered", _("办理记录被改动")


class EventAction(models.TextChoices):
    """Engine-level actions; procedure actions are stored by their own codes."""

    OPEN = "open", _("发起")
    RETURN = "return", _("退回")
    WITHDRAW = "withdraw", _("撤回")
    # the system moved a running notice's earliest end later (a holiday entered afterwards)
    NOTICE_EXTENDED = "notice_extended", _("公示期顺延")
    # someone who is not its holder reminded the holders of an open task (at most once a
    # day per person and task); the case stays where it is
    NUDGE = "nudge", _("催办")


class NoticeState(models.TextChoices):
    RUNNING = "running", _("公示中")
    ENDED = "ended", _("已结束")
    CANCELLED = "cancelled", _("已撤销")

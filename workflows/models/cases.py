"""Cases, their tasks, the append-only event log, and what hangs off a step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from core.models import Region
from core.places import kind_of
from workflows.audit import current_key_id
from workflows.choices import AlertKind, CaseState, DeadlineKind, NoticeState, TaskState
from workflows.messages import shown
from workflows.registry import registry
from workflows.spec import ProcedureSpec
from workflows.wording import placed


class CaseQuerySet(models.QuerySet["Case"]):
    """Chainable filters; which cases a user sees is ``workflows.visibility.visible_cases``."""

    def open(self) -> CaseQuerySet:
        return self.filter(state=CaseState.OPEN)

    def overdue(self, flag: bool = True) -> CaseQuerySet:
        late = Task.objects.filter(
            case=OuterRef("pk"), state=TaskState.OPEN, due_at__lt=timezone.now()
        )
        return self.filter(Exists(late)) if flag else self.exclude(Exists(late))


class Case(models.Model):
    procedure = models.CharField(_("事项"), max_length=16, db_index=True)
    version = models.PositiveIntegerField(_("流程版本"))
    region = models.ForeignKey(
        Region, verbose_name=_("所属村(社区)"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("标题"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=CaseState.choices,
                             default=CaseState.OPEN)
    current_step = models.CharField(_("当前步骤"), max_length=48, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=64, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"),
                                  on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("最近办理"), default=timezone.now)
    data = models.JSONField(_("办理数据"), default=dict, blank=True)
    event_count = models.PositiveIntegerField(default=0, editable=False)
    last_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("事项办理")
        verbose_name_plural = _("事项办理")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            # covering (PostgreSQL INCLUDE): counts by place, procedure and state, and the
            # case list's count, are index-only scans (issue 6, docs/performance.md)
            models.Index(fields=["region", "procedure", "state"], include=["id"],
                         name="case_region_proc_state_cov"),
            models.Index(fields=["procedure", "state", "-opened_at"], include=["region", "id"],
                         name="case_proc_state_opened_cov"),
            models.Index(fields=["state", "-opened_at"]),
            # the audit view: a village's cases, most recently worked first
            models.Index(fields=["region", "-updated_at", "-id"], name="case_region_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("workflows:case_detail", args=[self.pk])

    @property
    def closed(self) -> bool:
        return self.state != CaseState.OPEN

    @property
    def spec(self) -> ProcedureSpec | None:
        """The spec of the version this case was opened under (it follows it to its end), in
        the words of its village or community (村民会议 / 居民会议)."""
        spec = registry.get(self.procedure, self.version)
        return placed(spec, kind_of(self.region)) if spec is not None else None


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A per-case grant (django-guardian, direct foreign key): adds visibility."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("单件授权")
        verbose_name_plural = _("单件授权")


class Task(models.Model):
    """An open step of a case: who may act (roles), where (region), by when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    step = models.CharField(_("步骤"), max_length=48)
    # ",role_a,role_b," so that one LIKE finds a role on every database
    roles = models.CharField(_("办理角色"), max_length=400)
    region = models.ForeignKey(Region, verbose_name=_("办理单位"), on_delete=models.PROTECT,
                               related_name="tasks")
    # copied from the case, so that counts of open tasks are scoped without a join
    village = models.ForeignKey(Region, verbose_name=_("所属村(社区)"),
                                on_delete=models.PROTECT, related_name="+")
    procedure = models.CharField(_("事项"), max_length=16)
    state = models.CharField(max_length=16, choices=TaskState.choices, default=TaskState.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    hard_due_at = models.DateTimeField(_("最长时限"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("待办")
        verbose_name_plural = _("待办")
        indexes = [
            models.Index(fields=["region", "state", "due_at"]),
            models.Index(fields=["case", "state"]),
            # the dashboard's overdue count: open tasks past their time, a small slice
            models.Index(fields=["due_at"], include=["case", "village", "procedure"],
                         condition=Q(state="open"), name="task_open_due"),
            # a user's open tasks (the inbox, the count in the navigation on every page): by
            # the acting region, the roles read from the index; without it PostgreSQL walks
            # every open task of the district (one_open_task_per_case) for a district office
            models.Index(fields=["region", "roles"], condition=Q(state="open"),
                         name="task_open_region_roles"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(state="open"),
                                    name="one_open_task_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step}"

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    @staticmethod
    def pack_roles(roles: Any) -> str:
        return "," + ",".join(str(r) for r in roles) + ","


class CaseEvent(models.Model):
    """One entry of a case's record. Append-only; chained per case by an HMAC under the
    audit key (``workflows.audit``), which covers every field below but ``hash``."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=64, blank=True)
    role = models.CharField(max_length=32, blank=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    # the case's village, copied when the event is written: the key a partitioned or
    # distributed event table is split by (docs/scaling.md). Not in the hash (the case is);
    # verify_audit checks it against the case. Added while no deployment holds events: the
    # append-only trigger makes a later backfill a privileged operation.
    village = models.ForeignKey(Region, verbose_name=_("所属村(社区)"), on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    action = models.CharField(max_length=48)
    action_name = models.CharField(max_length=64, blank=True)
    from_step = models.CharField(max_length=48, blank=True)
    to_step = models.CharField(max_length=48, blank=True)
    data = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    # what was derived at that moment and is shown elsewhere: the publicity window this
    # event opened, the meeting's computed result, a domain's register line
    # (workflows.facts; verify_audit compares the rows that show them with these)
    facts = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()
    # the key that signed the event (its epoch): AUDIT_KEY_ID, or one of AUDIT_KEYS
    key_id = models.CharField(max_length=32, default=current_key_id)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="event_seq_unique")]
        indexes = [models.Index(fields=["region", "-at"]), models.Index(fields=["-at"])]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("case events are append-only")


def attachment_path(instance: Attachment, filename: str) -> str:
    return instance.storage_name


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachment_set")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="attachment_rows")
    field = models.CharField(_("字段"), max_length=48)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    storage_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField(_("原文件名"), max_length=200)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("workflows:attachment", args=[self.pk])


class PublicityNotice(models.Model):
    """A 公示: start, earliest end, where posted, evidence, objections."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="notices")
    # copied from the case, so that counts of running notices are scoped without a join
    procedure = models.CharField(_("事项"), max_length=16)
    step = models.CharField(max_length=48)
    title = models.CharField(_("公示标题"), max_length=200)
    content = models.TextField(_("公示内容"), blank=True)
    start = models.DateTimeField(_("公示开始"))
    earliest_end = models.DateTimeField(_("最早结束"))
    days = models.PositiveIntegerField(_("公示天数"))
    working_days = models.BooleanField(_("按工作日计算"), default=False)
    location = models.CharField(_("张贴地点"), max_length=200, blank=True)
    photo = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    state = models.CharField(max_length=16, choices=NoticeState.choices,
                             default=NoticeState.RUNNING)
    ended_at = models.DateTimeField(_("实际结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-start"]
        indexes = [
            models.Index(fields=["region", "state", "-start"]),
            # the dashboard's publicity count: the running notices, a small slice
            models.Index(fields=["case"], include=["region", "procedure"],
                         condition=Q(state="running"), name="notice_running_case"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: Any = None) -> bool:
        return (now or timezone.now()) < self.earliest_end


class Objection(models.Model):
    notice = models.ForeignKey(PublicityNotice, on_delete=models.PROTECT,
                               related_name="objections")
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    content = models.TextField(_("异议内容"))
    raised_by = models.CharField(_("异议人"), max_length=64, blank=True)
    # raised by a villager on the public board (workflows.gate.record_public_objection):
    # the phone to answer them on; never shown publicly
    phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    online = models.BooleanField(_("网上提交"), default=False)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["received_at"]

    def __str__(self) -> str:
        return self.content[:30]


class MeetingRecord(models.Model):
    """A meeting held at a step: the day it was held, its roll as computed from the rosters
    on that day (``workflows.rolls``), who attended, the votes and the computed result.

    A copy of what the event's data records (the chain covers that): pages and ledgers
    read it to list meetings; ``verify_audit`` compares the two."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meetings")
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="meeting")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(max_length=48)
    body = models.CharField(_("会议"), max_length=64)
    # the day (local midnight) or the moment it was held, as recorded in the meeting value
    held_at = models.DateTimeField(_("召开时间"))
    held_time = models.BooleanField(_("记录了召开时刻"), default=False)
    due = models.PositiveIntegerField(_("应到"))
    present = models.PositiveIntegerField(_("实到"))
    yes = models.PositiveIntegerField(_("赞成"))
    no = models.PositiveIntegerField(_("反对"))
    abstain = models.PositiveIntegerField(_("弃权"))
    quorum_met = models.BooleanField(_("达到法定人数"))
    passed = models.BooleanField(_("通过"))
    # the roll: its source, what it was computed from in words, the named voters and those
    # who attend without a vote ([{value, label}]), and who attended (values of those)
    roll_code = models.CharField(_("名册来源"), max_length=48, blank=True)
    roll_source = models.CharField(_("应到人数依据"), max_length=300, blank=True)
    roll_members = models.JSONField(_("应到人员"), default=list, blank=True)
    non_voting = models.JSONField(_("列席人员(无表决权)"), default=list, blank=True)
    attendees = models.JSONField(_("到会人员"), default=list, blank=True)

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        indexes = [
            models.Index(fields=["region", "body", "-held_at"]),
            # the township's overview: meetings held this month, village by village
            models.Index(fields=["region", "-held_at"], name="meeting_region_held"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.held_text}"

    @property
    def held_on(self) -> dt.date:
        return timezone.localtime(self.held_at).date()

    @property
    def held_text(self) -> str:
        """"2026-11-02", or "2026-11-02 09:30" when the time was recorded."""
        local = timezone.localtime(self.held_at)
        return f"{local:%Y-%m-%d %H:%M}" if self.held_time else f"{local:%Y-%m-%d}"

    def attendee_names(self) -> list[str]:
        labels = {str(m.get("value")): str(m.get("label", "")) for m in
                  [*self.roll_members, *self.non_voting] if isinstance(m, dict)}
        return [labels.get(str(v), str(v)) for v in self.attendees]


class Deadline(models.Model):
    """A time at which the sweep must do something once: remind, escalate, announce."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="deadlines")
    notice = models.ForeignKey(PublicityNotice, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="deadlines")
    kind = models.CharField(max_length=16, choices=DeadlineKind.choices)
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    # for recurring reminders: the message, and the months until the next one
    message = models.CharField(max_length=200, blank=True)
    repeat_months = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        indexes = [
            models.Index(fields=["due_at"], condition=Q(fired_at__isnull=True, cancelled=False),
                         name="deadline_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}@{self.due_at:%Y-%m-%d %H:%M}"


class Alert(models.Model):
    """An integrity-risk alert for the supervisory committee (and the township above)."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="alerts")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(_("类别"), max_length=32, choices=AlertKind.choices)
    message = models.CharField(_("内容"), max_length=400)
    # the template and parameters of ``message`` (workflows.messages), to read it in the
    # reader's language; null for an alert written as plain text
    text = models.JSONField(null=True, blank=True, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    dedupe_key = models.CharField(max_length=80, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "-created_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def shown(self) -> str:
        """The message in the reader's language."""
        return shown(self.message, self.text)


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    message = models.CharField(_("内容"), max_length=400)
    # the template and parameters of ``message`` (workflows.messages)
    text = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # (deadline id, user) or (event id, user): the same thing is never sent twice
    dedupe_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"]),
                   # the home page's latest five of a user: no sort of all their notifications
                   models.Index(fields=["user", "-created_at", "-id"],
                                name="notification_user_recent")]

    def __str__(self) -> str:
        return self.message

    @property
    def shown(self) -> str:
        """The message in the reader's language."""
        return shown(self.message, self.text)

    @property
    def read(self) -> bool:
        return self.read_at is not None


class TenantSetting(models.Model):
    """A district's or township's stricter number for a procedure's rule."""

    region = models.ForeignKey(Region, verbose_name=_("设置单位"), on_delete=models.PROTECT,
                               related_name="procedure_settings")
    procedure = models.CharField(_("事项"), max_length=16)
    param = models.CharField(_("参数"), max_length=64)
    value = models.CharField(_("取值"), max_length=16, help_text=_("整数,或比例如 3/4"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事项参数设置")
        verbose_name_plural = _("事项参数设置")
        constraints = [
            models.UniqueConstraint(fields=["region", "procedure", "param"],
                                    name="tenant_setting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.procedure} {self.param}={self.value}"

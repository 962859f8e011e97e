"""The filters of the case list: one FilterSet for the page (/cases/) and the API (/api/cases/).

The page and the API read the same query parameters through :class:`CaseFilter`; what
they do with a bad value differs: the API refuses it (400 ``{"code", "detail",
"field"}``, see ``problems()``), the page leaves that filter out and says so. The API's
query parameters in the OpenAPI schema are read from this class by drf-spectacular.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.errors import RuleError
from core.models import Region
from core.scope import access_region
from workflows.choices import CaseState, NoticeState, TaskState
from workflows.models import Case, CaseQuerySet, Notification, PublicityNotice, Task
from workflows.registry import registry
from workflows.spec import ProcedureSpec
from workflows.visibility import notifications_for, visible_cases, visible_procedures
from workflows.wording import placed

# the longest title search accepted (a title has at most 200 characters)
Q_MAX_LENGTH = 100
# region ids are BigAutoField keys: a larger number is no region, and no query is sent
REGION_ID_MAX = 2**63 - 1

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class FlagField(forms.Field):
    """A yes/no query parameter: ``true``/``1``/``yes`` or ``false``/``0``/``no``; empty is
    no filter; anything else is an error (django's NullBooleanField takes "bogus" as empty)."""

    default_error_messages = {"invalid": "只能是 true 或 false。"}

    def to_python(self, value: Any) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word == "":
            return None
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class TextField(forms.CharField):
    """Text of a query parameter; a NUL character is refused in plain words (PostgreSQL
    could not take it in a query anyway)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators = [
            ProhibitNullCharactersValidator(message="不能含有空字符(NUL)。")
            if isinstance(v, ProhibitNullCharactersValidator) else v
            for v in self.validators
        ]


class TextFilter(django_filters.CharFilter):
    field_class = TextField


@extend_schema_field(OpenApiTypes.BOOL)
class FlagFilter(django_filters.Filter):
    field_class = FlagField


MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
# the years a month filter takes: the bounds of a month are then valid times in every zone
MONTH_YEARS = (1000, 9998)


class MonthField(forms.Field):
    """A calendar month ``YYYY-MM`` (empty is no filter): the first day of it."""

    default_error_messages = {"invalid": _("应为年月,如 2026-11。")}

    def to_python(self, value: Any) -> dt.date | None:
        if value in (None, ""):
            return None
        found = MONTH_RE.fullmatch(str(value).strip())
        if (found is None or not 1 <= int(found[2]) <= 12
                or not MONTH_YEARS[0] <= int(found[1]) <= MONTH_YEARS[1]):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.date(int(found[1]), int(found[2]), 1)


def month_bounds(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start of a month and of the next, in the portal's time zone (as the tallies count
    months, ``workflows.tallies.month_of``)."""
    after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return (timezone.make_aware(dt.datetime.combine(first, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(after, dt.time.min)))


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthFilter(django_filters.Filter):
    field_class = MonthField


@extend_schema_field(OpenApiTypes.INT)
class RegionFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", REGION_ID_MAX)
        super().__init__(*args, **kwargs)


def _procedure_choices() -> list[tuple[str, str]]:
    """Every registered procedure, read when a request is checked (districts add their own)."""
    return [(spec.code, f"{spec.code} {placed(spec, None).name}") for spec in registry.all()]


def procedure_options(user: Any) -> list[ProcedureSpec]:
    """The procedures a list's filter offers this user: those whose cases the user sees (a
    bureau: the ones it guides; a township or village: all; the organisation department:
    all)."""
    return visible_procedures(user)


class ProblemsMixin:
    """The refusals of a bound FilterSet, in the order its filters are declared."""

    filters: dict[str, django_filters.Filter]
    errors: Any

    def problems(self) -> list[RuleError]:
        found = []
        for name, messages in self.errors.items():
            filt = self.filters.get(name)
            label = str(filt.label) if filt is not None and filt.label else name
            found.append(RuleError("invalid", gettext("筛选条件“%(label)s”有误:%(why)s")
                                   % {"label": label, "why": "".join(messages)}, field=name))
        return found


class CaseFilter(ProblemsMixin, django_filters.FilterSet):
    """The cases a user sees, filtered by the case list's query parameters.

    ``region`` is a region the user sees (``core.scope.access_region``: 404 otherwise)
    and keeps its whole subtree; ``from``/``to`` bound the day a case was opened (in the
    portal's time zone); ``q`` looks for words in the title.
    """

    procedure = extend_schema_field(
        {"type": "string", "maxLength": 16, "example": "04.2", "description": "事项编号"},
    )(django_filters.ChoiceFilter(choices=_procedure_choices, label="事项编号"))
    state = django_filters.ChoiceFilter(choices=CaseState.choices, label="状态")
    overdue = extend_schema_field(
        {"type": "boolean",
         "description": "true:只看逾期(办理中且有超过时限的待办);false:不含逾期"},
    )(FlagFilter(method="filter_overdue", label="逾期"))
    region = extend_schema_field(
        {"type": "integer", "minimum": 1, "maximum": REGION_ID_MAX,
         "description": "地点(区、镇或村的 id,含其下各级);须在您的范围内,否则 404"},
    )(RegionFilter(method="filter_region", label="地点"))
    publicity = extend_schema_field(
        {"type": "boolean", "description": "true:只看公示中(有正在公示的公告);false:不含"},
    )(FlagFilter(method="filter_publicity", label=_("公示中")))
    late = extend_schema_field(
        {"type": "boolean",
         "description": "true:只看有超过时限才办完的环节的事项;false:各环节均按时"},
    )(FlagFilter(method="filter_late", label=_("超时办理")))
    opened_month = MonthFilter(method="filter_opened_month", label=_("发起月份"))
    closed_month = MonthFilter(method="filter_closed_month", label=_("办结月份"))
    # `from` is a keyword of Python: declared through the class namespace
    locals()["from"] = django_filters.DateFilter(field_name="opened_at", lookup_expr="date__gte",
                                                 label="发起日期从(含)")
    to = django_filters.DateFilter(field_name="opened_at", lookup_expr="date__lte",
                                   label="发起日期至(含)")
    q = extend_schema_field(
        {"type": "string", "maxLength": Q_MAX_LENGTH, "description": "标题包含的文字"},
    )(TextFilter(field_name="title", lookup_expr="icontains", max_length=Q_MAX_LENGTH,
                 label="标题"))

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: QuerySet[Case] | None = None, *,
                 request: Any = None, prefix: str | None = None) -> None:
        if queryset is None:  # the cases this user sees, never all of them
            queryset = visible_cases(getattr(request, "user", None) or AnonymousUser())
        super().__init__(data, queryset, request=request, prefix=prefix)

    def filter_overdue(self, queryset: CaseQuerySet, name: str, value: bool) -> CaseQuerySet:
        return queryset.open().overdue() if value else queryset.overdue(False)

    def filter_publicity(self, queryset: QuerySet[Case], name: str,
                         value: bool) -> QuerySet[Case]:
        running = PublicityNotice.objects.filter(case=OuterRef("pk"), state=NoticeState.RUNNING)
        return queryset.filter(Exists(running)) if value else queryset.exclude(Exists(running))

    def filter_late(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        """Cases with a step done after its due time (the dashboard's on-time rate)."""
        late = Task.objects.filter(case=OuterRef("pk"), state=TaskState.DONE,
                                   due_at__isnull=False, closed_at__gt=F("due_at"))
        return queryset.filter(Exists(late)) if value else queryset.exclude(Exists(late))

    def filter_opened_month(self, queryset: QuerySet[Case], name: str,
                            value: dt.date) -> QuerySet[Case]:
        start, end = month_bounds(value)
        return queryset.filter(opened_at__gte=start, opened_at__lt=end)

    def filter_closed_month(self, queryset: QuerySet[Case], name: str,
                            value: dt.date) -> QuerySet[Case]:
        """Cases closed (办结, not withdrawn) in that month, as the trend counts them."""
        start, end = month_bounds(value)
        return queryset.filter(state=CaseState.CLOSED, closed_at__gte=start, closed_at__lt=end)

    def filter_region(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        user = getattr(self.request, "user", None) or AnonymousUser()
        place = access_region(user, value)  # 404 for a region the user does not see
        under = Region.objects.filter(path__startswith=place.path).values("pk")
        return queryset.filter(region_id__in=under)


class NotificationFilter(ProblemsMixin, django_filters.FilterSet):
    """The user's own notifications; ``unread=true`` keeps those not yet read."""

    unread = extend_schema_field({"type": "boolean", "description": "true:只看未读"})(
        FlagFilter(method="filter_unread", label="只看未读"))

    class Meta:
        model = Notification
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: QuerySet[Notification] | None = None, *,
                 request: Any = None, prefix: str | None = None) -> None:
        if queryset is None:  # the user's own, never everyone's
            user = getattr(request, "user", None)
            queryset = (notifications_for(user) if user is not None and user.is_authenticated
                        else Notification.objects.none())
        super().__init__(data, queryset, request=request, prefix=prefix)

    def filter_unread(self, queryset: QuerySet[Notification], name: str,
                      value: bool) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=True) if value else queryset

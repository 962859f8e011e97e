"""The one module that decides who sees what (design.md, "Visibility").

- village and township roles see the cases of their region and everything below;
- a district bureau sees, district-wide, the cases of the procedures it guides;
  the organisation department and the district's leadership see all;
- the supervisory committee sees all cases of its village, read-only;
- explicit per-case grants (django-guardian) add to this, never remove.

Out of scope is answered with 404, never 403. Every query of cases, attachments,
notices, registers, exports, notifications, counts and oversight pages starts
here: pages, the API, PDFs, Excel and the navigation ask these functions and hold
no copy of their rules. The user's place in the tree comes from ``core.scope``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.http import Http404
from guardian.shortcuts import assign_perm

from core.lookups import among
from core.models import Membership, Region
from core.places import PlaceKind, kind_of
from core.roles import Level, Role
from core.scope import Held, Scope, access_region, forget_scope, get_scope, visible_regions
from workflows.choices import CaseState, NoticeState, TaskState
from workflows.models import (
    Attachment,
    Case,
    CaseQuerySet,
    CaseUserObjectPermission,
    ExportJob,
    Notification,
    PublicityNotice,
    Task,
)
from workflows.registers import RegisterSpec
from workflows.registry import registry
from workflows.rosters import RosterSpec, all_rosters, get_roster
from workflows.spec import ProcedureSpec

# Roles that see every case of every procedure in their district.
DISTRICT_SEE_ALL = frozenset({Role.DISTRICT_ORG, Role.DISTRICT_LEADER})
# Roles whose view of their village is read-only and complete (audit).
AUDIT_ROLES = frozenset({Role.SUPERVISORY_MEMBER, Role.COLLECTIVE_SUPERVISOR})
# District roles that may open the supervisory audit view of any village below them.
DISTRICT_AUDITORS = DISTRICT_SEE_ALL
# Levels whose roles see the whole subtree of their region, every procedure.
SUBTREE_LEVELS = frozenset({Level.VILLAGE, Level.TOWNSHIP})
# Levels whose roles oversee (dashboard).
OVERSIGHT_LEVELS = frozenset({Level.TOWNSHIP, Level.DISTRICT})

# up to this many singly granted cases are written into the query as ids
GRANTS_INLINE = 500
_MEMO = "visibility"


# --- the case scope of a user ---------------------------------------------------------------


@dataclass
class CaseScope:
    """What a user's memberships let them see of cases."""

    scope: Scope
    # region paths whose whole subtree is visible (all procedures)
    subtree_paths: set[str] = field(default_factory=set)
    # district path -> procedure codes visible there (None = all)
    district_procedures: dict[str, set[str] | None] = field(default_factory=dict)
    # ids of the cases granted singly to the user, read once per request
    granted: list[int] | None = None

    @property
    def sees_every_procedure(self) -> bool:
        return bool(self.subtree_paths) or any(
            p is None for p in self.district_procedures.values())

    def procedures(self) -> set[str] | None:
        """The procedure codes seen anywhere (None: all of them)."""
        if self.sees_every_procedure:
            return None
        codes: set[str] = set()
        for procedures in self.district_procedures.values():
            codes |= procedures or set()
        return codes


def guided_procedures(role: Role) -> set[str]:
    """Procedure codes whose guiding units include this district bureau role."""
    return {spec.code for spec in registry.all() if role in spec.guiding_roles}


def case_scope(user: Any) -> CaseScope:
    scope = get_scope(user)
    cached = scope.memo.get(_MEMO)
    if cached is not None:
        return cached
    out = CaseScope(scope)
    for held in scope.held:
        if held.level in SUBTREE_LEVELS:
            out.subtree_paths.add(held.region_path)
        elif held.role in DISTRICT_SEE_ALL:
            out.district_procedures[held.region_path] = None
        else:
            current = out.district_procedures.get(held.region_path, set())
            if current is not None:
                out.district_procedures[held.region_path] = current | guided_procedures(
                    held.role)
    scope.memo[_MEMO] = out
    return out


def _granted_ids(user: Any) -> QuerySet[Any]:
    return CaseUserObjectPermission.objects.filter(
        user=user, permission__codename="view_case"
    ).values("content_object_id")


def grant_case(user: Any, case: Case) -> None:
    """Share one case with a named user (a reviewer, a delegation): adds, never removes."""
    assign_perm("workflows.view_case", user, case)
    forget_scope(user)


def case_q(user: Any, *, prefix: str = "", grants: bool = True, region: str = "region_id",
           procedure: str = "procedure") -> Q:
    """A Q over rows that carry a village (``region``) and a procedure code, seen by ``user``.

    Cases by default; ``prefix`` leads from other rows to a case; ``region`` and
    ``procedure`` name the columns of rows that copy them from their case (tasks,
    notices, tallies). ``grants=False`` leaves out single cases granted to the user
    (then the Q also fits rows keyed by village and procedure only).
    """
    cs = case_scope(user)
    q = Q(pk__in=[])
    for path in sorted(cs.subtree_paths):
        q |= among(f"{prefix}{region}", cs.scope.region_ids_under(path))
    for path, procedures in cs.district_procedures.items():
        in_district = among(f"{prefix}{region}", cs.scope.region_ids_under(path))
        if procedures is None:
            q |= in_district
        elif procedures:
            q |= in_district & Q(**{f"{prefix}{procedure}__in": sorted(procedures)})
    if grants and getattr(user, "is_authenticated", False) and user.is_active:
        if cs.granted is None:
            cs.granted = list(_granted_ids(user).values_list(
                "content_object_id", flat=True)[:GRANTS_INLINE + 1])
        if len(cs.granted) > GRANTS_INLINE:  # very many: let the database join them
            q |= Q(**{f"{prefix}pk__in": _granted_ids(user)})
        elif cs.granted:  # usually none: no OR at all, so the case indexes serve
            q |= among(f"{prefix}pk", cs.granted)
    return q


def can_see_case(user: Any, *, region: Region, procedure: str) -> bool:
    """Whether the user sees cases of ``procedure`` in village ``region`` (grants aside)."""
    cs = case_scope(user)
    if any(region.path.startswith(path) for path in cs.subtree_paths):
        return True
    for path, procedures in cs.district_procedures.items():
        if region.path.startswith(path) and (procedures is None or procedure in procedures):
            return True
    return False


def visible_cases(user: Any) -> CaseQuerySet:
    return Case.objects.filter(case_q(user))


def _pk(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_case(user: Any, case_id: int | str) -> Case:
    """The case if ``user`` sees it; 404 for missing and out-of-scope alike."""
    case = (visible_cases(user).select_related("region", "opened_by")
            .filter(pk=_pk(case_id)).first())
    if case is None:
        raise Http404
    return case


def may_see(user: Any, case: Case) -> bool:
    """For a case already loaded: the scope rule first, the grants only when it fails."""
    if can_see_case(user, region=case.region, procedure=case.procedure):
        return True
    return visible_cases(user).filter(pk=case.pk).exists()


def access_attachment(user: Any, attachment_id: int | str) -> Attachment:
    att = (Attachment.objects.filter(pk=_pk(attachment_id), case__in=visible_cases(user))
           .first())
    if att is None:
        raise Http404
    return att


def access_notice(user: Any, notice_id: int | str) -> PublicityNotice:
    notice = (PublicityNotice.objects.filter(pk=_pk(notice_id), case__in=visible_cases(user))
              .select_related("case", "region", "region__parent").first())
    if notice is None:
        raise Http404
    return notice


def visible_procedures(user: Any) -> list[ProcedureSpec]:
    """The procedures whose cases the user sees somewhere (a bureau: those it guides)."""
    codes = case_scope(user).procedures()
    specs = registry.all()
    return specs if codes is None else [s for s in specs if s.code in codes]


def audit_only_in(user: Any, region: Region) -> bool:
    """True when every role the user has over ``region`` is a read-only audit role."""
    over = get_scope(user).over(region)
    return bool(over) and all(h.role in AUDIT_ROLES for h in over)


# --- 催办: who may remind the holders of a task ----------------------------------------------

# the township bodies that supervise their villages' work and may nudge it along
NUDGING_TOWNSHIP_ROLES = frozenset({Role.TOWNSHIP_PARTY, Role.TOWNSHIP_GOVERNMENT})
# village roles that do not act for the village's work: its supervisors only read, a plain
# party member holds no post
NOT_NUDGING_VILLAGE_ROLES = AUDIT_ROLES | {Role.PARTY_MEMBER}


def holds_task(user: Any, task: Task) -> bool:
    """Whether ``user`` holds one of the task's roles where it is done."""
    roles = set(task.role_list)
    return any(h.region_id == task.region_id and h.role in roles
               for h in get_scope(user).held)


def nudging_role(user: Any, case: Case, task: Task) -> Held | None:
    """The membership through which ``user`` may nudge the holders of ``task`` (None when
    they may not): one who reads the case and acts for its village (a cadre of that
    village) or supervises it (the township party committee or government above it), but
    is not a holder of the task — nobody nudges himself."""
    if case.state != CaseState.OPEN or task.state != TaskState.OPEN or task.case_id != case.pk:
        return None
    if holds_task(user, task) or not may_see(user, case):
        return None
    held = get_scope(user).held
    for h in held:
        if (h.level == Level.VILLAGE and h.region_id == case.region_id
                and h.role not in NOT_NUDGING_VILLAGE_ROLES):
            return h
    for h in held:
        if h.role in NUDGING_TOWNSHIP_ROLES and case.region.path.startswith(h.region_path):
            return h
    return None


def may_nudge(user: Any, case: Case, task: Task) -> bool:
    return nudging_role(user, case, task) is not None


# --- the user's own work ------------------------------------------------------------------


def inbox_q(user: Any) -> Q:
    """Open tasks that ``user`` may act on: a held role listed on a task of that region."""
    q = Q(pk__in=[])
    for held in get_scope(user).held:
        q |= Q(region_id=held.region_id, roles__contains=f",{held.role},")
    return q


def urgency() -> DbCase:
    """0 for a task of an emergency procedure, 1 otherwise: order by it to list
    emergencies first wherever tasks are listed."""
    codes = [spec.code for spec in registry.all() if spec.urgent]
    return DbCase(When(procedure__in=codes, then=Value(0)), default=Value(1),
                  output_field=IntegerField())


def inbox(user: Any) -> QuerySet[Task]:
    return (
        Task.objects.filter(state=TaskState.OPEN)
        .filter(inbox_q(user))
        .select_related("case", "case__region", "region")
    )


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def latest_notifications(user: Any, n: int) -> tuple[list[Notification], int]:
    """The user's ``n`` newest notifications and how many of all theirs are unread, in one
    query (the count rides on each row; with no row there is none unread either)."""
    table = Notification._meta.db_table
    # written out: the ORM's subquery cost more to build than the database to answer
    unread = RawSQL(f'SELECT COUNT(*) FROM "{table}" u '  # noqa: S608, S611 - our table, a bound id
                    "WHERE u.user_id = %s AND u.read_at IS NULL", [user.pk])
    rows: list[Notification] = list(
        notifications_for(user).only("message", "text", "created_at", "read_at")
        .annotate(unread_total=unread).order_by("-created_at", "-pk")[:n])
    return rows, int(getattr(rows[0], "unread_total", 0)) if rows else 0


def access_export_job(user: Any, job_id: int | str) -> ExportJob:
    """The user's own export job; anyone else's (or a missing one) is 404."""
    job = ExportJob.objects.select_related("region").filter(pk=_pk(job_id), user=user).first()
    if job is None:
        raise Http404
    return job


# --- oversight: review, dashboard, audit ------------------------------------------------------


def oversees(user: Any) -> bool:
    """Holds a township or district role: the dashboard's audience."""
    return bool(get_scope(user).levels() & OVERSIGHT_LEVELS)


def require_oversight(user: Any) -> None:
    if not oversees(user):
        raise Http404


def oversight_roles(user: Any) -> list[Role]:
    """The township and district roles through which the user oversees (dashboard heading)."""
    return sorted({h.role for h in get_scope(user).held if h.level in OVERSIGHT_LEVELS})


def oversight_places(user: Any) -> list[Region]:
    """The townships and districts where the user holds an overseeing role (the scope that
    the dashboard and its export name)."""
    ids = {h.region_id for h in get_scope(user).held if h.level in OVERSIGHT_LEVELS}
    return list(Region.objects.filter(pk__in=ids).order_by("path"))


def lands_on_dashboard(user: Any) -> bool:
    """Every role the user holds is a district one (a bureau, the organisation department,
    the leadership): their home is the dashboard, not an inbox that stays empty."""
    levels = get_scope(user).levels()
    return bool(levels) and levels <= {Level.DISTRICT}


def starts_anything(user: Any) -> bool:
    """Whether some procedure may be opened through one of the user's roles: an actor of
    its first step at that step's level, or one of its openers (the 发起事项 button)."""
    held = get_scope(user).held
    for spec in registry.all():
        first = spec.first_step
        for h in held:
            if (h.role in first.roles and h.level == first.level) or h.role in spec.openers:
                return True
    return False


def reviews(user: Any) -> bool:
    """Holds a township role: the township's review queue."""
    return Level.TOWNSHIP in get_scope(user).levels()


def require_review(user: Any) -> None:
    if not reviews(user):
        raise Http404


def township_villages(user: Any) -> list[Region]:
    """The villages under the townships where the user holds a role (the review overview)."""
    paths = [h.region_path for h in get_scope(user).held if h.level == Level.TOWNSHIP]
    if not paths:
        return []
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Region.objects.filter(q, level=Level.VILLAGE).select_related("parent")
                .order_by("path"))


def _audits_through(held: Held, village: Region) -> bool:
    if held.role in AUDIT_ROLES and held.region_id == village.pk:
        return True
    if not village.path.startswith(held.region_path):
        return False
    return held.level == Level.TOWNSHIP or held.role in DISTRICT_AUDITORS


def can_audit(user: Any, village: Region) -> bool:
    """The village's supervisors, any township role above it, the organisation department
    and the district's leadership."""
    return any(_audits_through(h, village) for h in get_scope(user).held)


def audit_villages(user: Any, *, with_checks: bool = False) -> list[Region]:
    """Every village the user may audit. ``with_checks``: each with its stored chain check."""
    villages = visible_regions(user).filter(level=Level.VILLAGE).order_by("path")
    if with_checks:
        villages = villages.select_related("chain_check")
    return [v for v in villages if can_audit(user, v)]


def audit_cases(user: Any, village: Region) -> CaseQuerySet:
    """Every case of a village, for one who may audit it (404 for anyone else).

    Whoever may audit a village sees all of its cases (its supervisors, the township
    above, the district's organisation department and leadership all see them by the
    case rules too), so they are read by village, without the scope's OR of regions.
    """
    if village.level != Level.VILLAGE or not can_audit(user, village):
        raise Http404
    # with its region: a case's spec reads in the words of its village or community
    return Case.objects.filter(region=village).select_related("region")


def audits_one_village(user: Any) -> int | None:
    """The village a user audits as a supervisory member, when that is all they audit."""
    held = get_scope(user).held
    if any(h.level == Level.TOWNSHIP or h.role in DISTRICT_AUDITORS for h in held):
        return None
    villages = sorted({h.region_id for h in held if h.role in AUDIT_ROLES})
    return villages[0] if len(villages) == 1 else None


def audits_many(user: Any) -> bool:
    """Audits through a township or district role: chooses a village on the audit index."""
    return any(h.level == Level.TOWNSHIP or h.role in DISTRICT_AUDITORS
               for h in get_scope(user).held)


# --- registers ----------------------------------------------------------------------------


def may_export(user: Any, reg: RegisterSpec, region: Region) -> bool:
    """A register of a region may be exported where its procedure's cases are seen."""
    return region.level == reg.level and can_see_case(user, region=region,
                                                       procedure=reg.procedure)


def exportable_regions(user: Any, reg: RegisterSpec,
                       regions: Iterable[Region] | None = None) -> list[Region]:
    """The regions (villages, by default all the user sees) whose ledger ``user`` may export."""
    if get_scope(user).is_empty:
        return []
    if regions is None:
        regions = visible_regions(user).filter(level=reg.level).order_by("path")
    return [r for r in regions if may_export(user, reg, r)]


# --- rosters ------------------------------------------------------------------------------


def may_view_roster(user: Any, roster: RosterSpec, village: Region) -> bool:
    """Whoever sees the village's cases of one of the roster's procedures reads its roster
    (the supervisory committee, which sees every case of its village, included)."""
    return village.level == roster.level and any(
        can_see_case(user, region=village, procedure=code) for code in roster.procedures)


def may_edit_roster(user: Any, roster: RosterSpec, village: Region) -> bool:
    """The roster's editors: the village roles it names, held in that village."""
    return village.level == roster.level and bool(
        get_scope(user).roles_in(village) & set(roster.editors))


def visible_rosters(user: Any, village: Region) -> list[RosterSpec]:
    return [r for r in all_rosters() if may_view_roster(user, r, village)]


def roster_villages(user: Any) -> list[Region]:
    """The villages the user sees that have a roster the user may read, in tree order."""
    rosters = all_rosters()
    villages = visible_regions(user).filter(level=Level.VILLAGE).select_related("parent")
    return [v for v in villages.order_by("path")
            if any(may_view_roster(user, r, v) for r in rosters)]


def access_roster(user: Any, code: str, region_id: int | str) -> tuple[RosterSpec, Region]:
    """The roster ``code`` of a village the user may read it in; 404 for anything else."""
    roster = get_roster(code)
    if roster is None:
        raise Http404
    village = access_region(user, region_id)
    if not may_view_roster(user, roster, village):
        raise Http404
    return roster, village


def sees_rosters(user: Any) -> bool:
    """Whether some roster is readable somewhere (the navigation's 名册 link)."""
    if get_scope(user).is_empty:
        return False
    codes = case_scope(user).procedures()
    return any(codes is None or set(r.procedures) & codes for r in all_rosters())


# --- the navigation -----------------------------------------------------------------------


# who sets a district's or a township's stricter numbers (issue 11, point 10)
SETTING_ROLES = {Level.DISTRICT: {Role.DISTRICT_ORG},
                 Level.TOWNSHIP: {Role.TOWNSHIP_PARTY, Role.TOWNSHIP_GOVERNMENT}}


def setting_regions(user: Any) -> list[Region]:
    """The district and townships whose rule numbers ``user`` may make stricter: the
    organisation department for its district, the township party committee and government
    for their township."""
    return list(Region.objects.filter(pk__in=_setting_ids(user)).order_by("path"))


def _setting_ids(user: Any) -> set[int]:
    return {h.region_id for h in get_scope(user).held
            if h.role in SETTING_ROLES.get(h.level, set())}


def access_setting_region(user: Any, region_id: int | str) -> Region:
    """A region whose settings ``user`` may change; 404 otherwise."""
    for region in setting_regions(user):
        if str(region.pk) == str(region_id):
            return region
    raise Http404


def home_kind(user: Any) -> PlaceKind | None:
    """Whether the places where ``user`` holds a village role are all 村 or all 社区 (None
    for a user of both, of a township or district, or of none): the words the catalogue
    and the pages print for them."""
    scope = get_scope(user)
    if "home_kind" not in scope.memo:
        ids = {h.region_id for h in scope.held if h.level == Level.VILLAGE}
        kinds = ({kind_of(r) for r in Region.objects.filter(pk__in=ids).only("name", "level")}
                 if ids else set())
        scope.memo["home_kind"] = kinds.pop() if len(kinds) == 1 else None
    kind: PlaceKind | None = scope.memo["home_kind"]
    return kind


def navigation(user: Any) -> dict[str, Any]:
    """Which links of the top navigation the user is given (the same rules as the pages)."""
    scope = get_scope(user)
    villages = sorted({h.region_id for h in scope.held if h.level == Level.VILLAGE})
    return {
        "review": reviews(user),
        "dashboard": oversees(user),
        # the district's home is the dashboard: 我的待办 is then reached at /inbox/
        "dashboard_home": lands_on_dashboard(user),
        "audit_index": audits_many(user),
        "audit_village": audits_one_village(user),
        "registers": not scope.is_empty,
        "rosters": sees_rosters(user),
        "board_village": villages[0] if len(villages) == 1 else None,
        "settings": bool(_setting_ids(user)),
    }


# --- the public board (no login) ---------------------------------------------------------

# the committee whose members a board names as the contact for objections
SUPERVISORY_COMMITTEE = frozenset({Role.SUPERVISORY_MEMBER})
# the notices a board shows: running, and ended in time (a cancelled one was withdrawn)
BOARD_NOTICE_STATES = frozenset({NoticeState.RUNNING, NoticeState.ENDED})


def board_places() -> list[Region]:
    """Every township and village of the tree, in tree order: the index of the boards."""
    return list(Region.objects.filter(level__in=(Level.DISTRICT, Level.TOWNSHIP, Level.VILLAGE))
                .only("name", "level", "parent_id", "path").order_by("path"))


def board_village(region_id: int | str) -> Region:
    """The village or community of a board; 404 for any other region or an unknown id."""
    village = (Region.objects.select_related("parent")
               .filter(pk=_pk(region_id), level=Level.VILLAGE).first())
    if village is None:
        raise Http404
    return village


def public_notices(village: Region | None = None) -> QuerySet[PublicityNotice]:
    """The notices a board shows: its village's running and ended ones, never a confidential
    procedure's (社区矫正法: the identity of a person under correction is protected), even
    one written before the procedure became confidential."""
    confidential = [spec.code for spec in registry.all() if spec.confidential]
    qs = (PublicityNotice.objects.exclude(procedure__in=confidential)
          .filter(state__in=BOARD_NOTICE_STATES))
    return qs if village is None else qs.filter(region=village)


def public_notice(notice_id: int | str, village: Region | None = None) -> PublicityNotice:
    """A notice as the public may read it (its board, its PDF); 404 for any other."""
    notice = (public_notices(village).select_related("case", "region", "region__parent")
              .filter(pk=_pk(notice_id)).first())
    if notice is None:
        raise Http404
    return notice


def accepts_objections(notice: PublicityNotice, now: Any) -> bool:
    """A villager may raise an objection online while the notice's window runs: it is still
    up, its step still current, and its earliest end not reached."""
    return (notice.state == NoticeState.RUNNING and now < notice.earliest_end
            and notice.case.state == CaseState.OPEN and notice.case.current_step == notice.step)


def board_contacts(village: Region) -> list[Membership]:
    """Whom a board names for objections: the village's supervisory committee members
    holding the role today (their name and mobile; the committee's own contact)."""
    return list(Membership.objects.active()
                .filter(region=village, role__in=SUPERVISORY_COMMITTEE, user__is_active=True)
                .select_related("user").order_by("start", "user__full_name", "pk"))


__all__ = [
    "AUDIT_ROLES",
    "DISTRICT_SEE_ALL",
    "accepts_objections",
    "access_attachment",
    "access_case",
    "access_export_job",
    "access_notice",
    "access_roster",
    "access_setting_region",
    "audit_villages",
    "board_contacts",
    "board_places",
    "board_village",
    "can_audit",
    "can_see_case",
    "case_q",
    "exportable_regions",
    "grant_case",
    "holds_task",
    "home_kind",
    "inbox",
    "lands_on_dashboard",
    "may_edit_roster",
    "may_export",
    "may_nudge",
    "may_view_roster",
    "navigation",
    "notifications_for",
    "nudging_role",
    "oversees",
    "oversight_places",
    "public_notice",
    "public_notices",
    "roster_villages",
    "setting_regions",
    "starts_anything",
    "urgency",
    "visible_cases",
    "visible_procedures",
    "visible_rosters",
]

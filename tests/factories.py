"""factory_boy factories for rows a test needs many of, made without walking cases: register
lines (用印登记, 耕地地力保护补贴农户), bare cases for the visibility rules, export jobs and
notifications. The cases a test acts on come from tests.driver, through the gate; these rows
are what the registers, lists and counts read.

    SealUseFactory.create_batch(40, region=demo["dc_th"])   # 40 numbered lines, each its case
    CaseFactory(region=demo["dc_yl"], procedure="04.2")
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.models import Region, User
from seals.choices import SealKind
from seals.models import Seal, SealUse
from subsidies.effects import amount_for
from subsidies.models import SubsidyHousehold
from workflows.models import Case, ExportJob, Notification


def _village() -> Region:
    from tests.driver import place

    return place("dc_th")


def _user(username: str) -> User:
    return User.objects.get(username=username)


class CaseFactory(DjangoModelFactory):
    """A case row as the gate leaves it after opening (no event, no task): for the rules that
    read only a case's village and procedure (visibility, lists, registers' cases)."""

    class Meta:
        model = Case

    procedure = "04.2"
    version = 1
    region = factory.LazyFunction(_village)
    title = factory.LazyAttribute(lambda o: f"{o.region.name}{o.procedure}")
    current_step = "apply"
    opened_by = factory.LazyAttribute(
        lambda o: o.region.memberships.filter(role="committee_member").first().user)


class SealUseFactory(DjangoModelFactory):
    """A line of a village's seal register (委员会印章 by default), numbered in turn, with the
    closed 04.2 case it records."""

    class Meta:
        model = SealUse

    class Params:
        kind = SealKind.COMMITTEE

    region = factory.LazyFunction(_village)
    seal = factory.LazyAttribute(
        lambda o: Seal.objects.get(region=o.region, kind=o.kind, ended_on__isnull=True))
    case = factory.SubFactory(CaseFactory, region=factory.SelfAttribute("..region"),
                              procedure="04.2", current_step="", state="closed")
    number = factory.LazyAttribute(lambda o: SealUse.objects.filter(seal=o.seal).count() + 1)
    used_at = factory.LazyFunction(timezone.now)
    purpose = factory.Sequence(lambda n: f"出具证明第{n + 1}份")
    document = factory.Sequence(lambda n: f"证明{n + 1}.pdf")
    document_sha256 = "0" * 64
    copies = 1
    matter = "routine"
    applicant = "陈村委"
    approver = "张主任"
    keeper = factory.LazyAttribute(lambda o: o.seal.keeper.get_full_name())


class SubsidyHouseholdFactory(DjangoModelFactory):
    """A household of a village's farmland-subsidy roster (its amount is area × rate)."""

    class Meta:
        model = SubsidyHousehold

    region = factory.LazyFunction(_village)
    case = factory.SubFactory(CaseFactory, region=factory.SelfAttribute("..region"),
                              procedure="06", current_step="payment")
    year = 2026
    seq = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"户主{n + 1}")
    id_number = factory.Sequence(lambda n: f"33029919800101{n % 10000:04d}")
    area = Decimal("2.50")
    rate = Decimal("105.83")
    amount = factory.LazyAttribute(lambda o: amount_for(o.area, o.rate))


class ExportJobFactory(DjangoModelFactory):
    """A register export job of a user (done, with its file, when ``done=True``)."""

    class Meta:
        model = ExportJob

    class Params:
        done = factory.Trait(state="done",
                             file=factory.LazyFunction(lambda: ContentFile(b"x", name="job.xlsx")))

    user = factory.LazyFunction(lambda: _user("dc_th_committee_director"))
    register = "seal_register_committee"
    region = factory.LazyFunction(_village)
    format = "xlsx"
    state = "queued"


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.LazyFunction(lambda: _user("dc_th_committee_member"))
    message = factory.Sequence(lambda n: f"通知{n}")


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)

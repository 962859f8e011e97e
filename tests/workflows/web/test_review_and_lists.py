"""Review queue and batches, lists, notifications; query counts that do not grow with rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Level, Role
from tests.driver import GATE, drive, open_case
from tests.factories import NotificationFactory
from tests.samples import upload_pdf
from workflows.models import Case, Notification
from workflows.registry import registry
from workflows.spec import ActionSpec, FieldType, ProcedureSpec, Risk, Separation, StepSpec, field
from workflows.web.queries import batch_action


@pytest.fixture
def township_spec():
    """A small procedure with a township approval that asks for nothing, marked batchable."""
    spec = ProcedureSpec(
        code="99.1", name="测试镇级审核", category="测试", guiding_units=("区民政局",),
        guiding_roles=(Role.DISTRICT_CIVIL_AFFAIRS,), supervisor="村(居)务监督委员会",
        risks=(Risk("审核不严", "逐件记录"),), measures=("加强监督",),
        steps=(
            StepSpec("apply", "申请", roles=(Role.COMMITTEE_MEMBER,), level=Level.VILLAGE,
                     actions=(ActionSpec("submit", "提交", to="approve"),)),
            StepSpec("approve", "镇审核", roles=(Role.TOWNSHIP_GOVERNMENT,),
                     level=Level.TOWNSHIP, separation=Separation(not_actor_of=("apply",)),
                     actions=(
                         ActionSpec("approve", "同意", to=None, batch=True, fields=(
                             field("opinion", "意见", FieldType.TEXT, required=False),)),
                         ActionSpec("reject", "不同意", to=None, fields=(
                             field("opinion", "理由", FieldType.TEXT),)),
                     )),
        ),
    )
    with registry.override(spec):
        yield spec


def submitted(user, village, title, code="99.1"):
    """A case of the small procedure, opened and submitted by ``user`` (through the gate)."""
    case = open_case(code, village, user.username, title=title, via=GATE)
    case.do(user.username, "submit", samples=False)
    return case.row


def test_one_by_one_procedures_and_steps_that_ask_for_data_are_never_batched(township_spec):
    party = registry.get("01.1")
    if party is not None:
        assert all(batch_action(party, step) is None for step in party.steps)
    assert batch_action(township_spec, township_spec.step("approve")).code == "approve"
    four = registry.get("03.1")
    assert all(batch_action(four, step) is None for step in four.steps)


def test_batch_approval_reports_each_case(web, demo, user, township_spec):
    member = user("dc_th_committee_member")
    first = submitted(member, demo["dc_th"], "第一件")
    second = submitted(user("dc_yl_committee_member"), demo["dc_yl"], "第二件")
    third = submitted(member, demo["dc_th"], "第三件")
    # someone else decided the third meanwhile
    drive(third.pk, via=GATE).do("dc_township_government", "reject", samples=False,
                                 opinion="材料不全")
    client = web("dc_township_government")
    page = client.get("/review/").content.decode()
    assert "第一件" in page and "第二件" in page and "第三件" not in page
    assert f'value="{first.pk}:approve"' in page
    response = client.post("/review/batch/", {
        "pick": [f"{first.pk}:approve", f"{second.pk}:approve", f"{third.pk}:approve"],
        "comment": "同意",
    })
    page = response.content.decode()
    assert "成功 2 件,未通过 1 件" in page
    assert "第三件" in page and "已办结" in page
    assert Case.objects.get(pk=first.pk).state == "closed"
    assert Case.objects.get(pk=second.pk).outcome == "同意"


def test_batch_refuses_a_step_that_must_be_reviewed_one_by_one(web, demo, user):
    case = open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="用印",
                     via=GATE).row
    response = web("dc_township_government").post(
        "/review/batch/", {"pick": [f"{case.pk}:apply"]})
    assert "逐个审议" in response.content.decode()
    assert Case.objects.get(pk=case.pk).event_count == 1


def test_review_overview_counts_per_village(web, demo, user, township_spec):
    submitted(user("dc_th_committee_member"), demo["dc_th"], "一件")
    page = web("dc_township_party").get("/review/").content.decode()
    assert demo["dc_th"].name in page and demo["dc_yl"].name in page
    assert "月未开会" in page  # last month, ended with no 三会一课
    assert demo["xh_qq"].name not in page


def _many(demo, user, n):
    member = user("dc_th_committee_member")
    for i in range(n):
        submitted(member, demo["dc_th"], f"事项{i}")


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx)


@pytest.mark.parametrize(("username", "path"), [
    ("dc_township_government", "/"),
    ("dc_township_government", "/review/"),
    ("dc_township_government", "/cases/"),
    ("dc_township_government", "/cases/?state=open&procedure=99.1&q=事项"),
    ("dc_th_committee_member", "/notifications/"),
    ("dc_th_committee_member", "/procedures/"),
])
def test_queries_do_not_grow_with_rows(web, demo, user, township_spec, username, path,
                                       django_assert_max_num_queries):
    client = web(username)
    _many(demo, user, 2)
    NotificationFactory.create_batch(2, user=user(username))
    few = _count(client, path)
    _many(demo, user, 12)
    NotificationFactory.create_batch(12, user=user(username))
    with django_assert_max_num_queries(few):
        client.get(path)
    with django_assert_max_num_queries(20):
        client.get(path)


def test_case_page_queries_do_not_grow_with_events(web, demo, user,
                                                   django_assert_max_num_queries):
    member = "dc_th_committee_member"
    case = open_case("04.2", demo["dc_th"], member, title="用印", via=GATE)
    client = web("dc_th_committee_director")
    few = _count(client, f"/cases/{case.id}/")
    case.do(member, "apply", samples=False, purpose="证明", matter="routine", copies=1,
            document=upload_pdf())
    case.do("dc_th_committee_director", "return", samples=False, step="apply", comment="补充")
    case.do(member, "apply", samples=False, purpose="证明", matter="routine", copies=1,
            document=upload_pdf())
    with django_assert_max_num_queries(few + 2):  # separation check reads who applied
        client.get(f"/cases/{case.id}/")
    with django_assert_max_num_queries(25):
        client.get(f"/cases/{case.id}/")


def test_case_list_filters_and_paginates(web, demo, user, township_spec):
    _many(demo, user, 30)
    client = web("dc_th_committee_member")
    page = client.get("/cases/?procedure=99.1").content.decode()
    assert "共 30 件" in page and "第 1 / 2 页" in page
    page = client.get("/cases/?q=事项29").content.decode()
    assert "共 1 件" in page
    page = client.get("/cases/?state=closed").content.decode()
    assert "没有符合条件的事项" in page
    assert client.get(f"/cases/?region={demo['xh_qq'].pk}").status_code == 404


def test_notifications_are_listed_and_marked_read(web, demo, user):
    me = user("dc_th_committee_member")
    case = open_case("04.2", demo["dc_th"], me.username, title="用印", via=GATE).row
    note = Notification.objects.create(user=me, case=case, message="请办理:用印")
    Notification.objects.create(user=me, message="另一条")
    client = web("dc_th_committee_member")
    page = client.get("/").content.decode()
    assert 'data-testid="unread">2<' in page
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    client.post("/notifications/read/")
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    other = web("dc_yl_committee_member")
    assert other.get(f"/notifications/{note.pk}/").status_code == 404


def test_open_a_case_from_the_catalogue(web, demo):
    client = web("dc_th_committee_member")
    page = client.get("/procedures/").content.decode()
    assert "廉政风险点" in page and "指导单位" in page and "操作流程" in page
    response = client.post("/procedures/04.2/open/", {"region": demo["dc_th"].pk, "title": ""})
    assert response.status_code == 400
    assert 'id="open-title-error"' in response.content.decode()
    response = client.post("/procedures/04.2/open/",
                           {"region": demo["xh_qq"].pk, "title": "越权"})
    assert response.status_code == 400
    response = client.post("/procedures/04.2/open/",
                           {"region": demo["dc_th"].pk, "title": "用印"})
    assert response.status_code == 302
    assert Case.objects.get(title="用印").region_id == demo["dc_th"].pk

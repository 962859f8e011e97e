"""The case page's typed fields without a browser: what each widget posts reaches the gate
as its data, every error of a submission is shown at once, and a refused submission keeps
its file for the next one — for its own user, case and action only."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from openpyxl import load_workbook

from portal.tasks import purge_old_exports_task
from tests.samples import pdf_bytes, upload_pdf, upload_png
from tests.workflows.web import typed_spec
from tests.workflows.web.typed_spec import OTHER_ID, VALID_ID, good_post
from workflows import gate
from workflows.models import Attachment, Case, PendingUpload
from workflows.serializers import actions_json
from workflows.web.forms import read_form, widget_fields
from workflows.web.tables import TITLE_ROW, template_workbook

MEMBER, DIRECTOR = "dc_th_committee_member", "dc_th_committee_director"
START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Shanghai


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def typed(frozen):
    with typed_spec.registered():
        yield


@pytest.fixture
def case(typed, demo, user) -> Case:
    return gate.open_case(actor=user(MEMBER), procedure=typed_spec.CODE, region=demo["dc_th"],
                          title="字段测试")


def _fields(user, case) -> list[dict]:
    return next(a for a in actions_json(user, case) if a["code"] == "apply")["fields"]


def _post(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            q.setlist(key, value)
        else:
            q[key] = value
    return q


# --- read_form: what each widget posts, as the gate's data ------------------------------------


def test_table_rows_come_in_the_order_shown_with_removed_and_blank_rows_left_out(
        case, user):
    post = _post({
        # row "1" was removed (its inputs are gone), "n1" was added and moved to the top,
        # "2" was added but left blank
        "f_rows": ["n1", "0", "2"],
        "f_rows.0.name": "张三", "f_rows.0.amount": "10", "f_rows.0.member": "1",
        "f_rows.1.name": "不在表中", "f_rows.1.amount": "99",
        "f_rows.n1.name": "李四", "f_rows.n1.id_number": VALID_ID, "f_rows.n1.amount": "20.5",
        "f_rows.n1.confirmed": "1",
        "f_rows.2.name": " ", "f_rows.2.amount": "",
    })
    sent = read_form(_fields(user(MEMBER), case), post, MultiValueDict())
    assert sent.data["rows"] == [
        {"name": "李四", "id_number": VALID_ID, "amount": "20.5", "confirmed": True},
        {"name": "张三", "amount": "10", "member": "1", "confirmed": False},
    ]
    assert [r["name"] for r in sent.typed["rows"]] == ["李四", "张三"]


def test_a_table_left_empty_is_absent_and_a_row_key_sent_twice_counts_once(case, user):
    fields = _fields(user(MEMBER), case)
    empty = read_form(fields, _post({"f_rows": ["0"], "f_rows.0.name": ""}), MultiValueDict())
    assert "rows" not in empty.data
    twice = read_form(fields, _post({"f_rows": ["0", "0"], "f_rows.0.name": "张三"}),
                      MultiValueDict())
    assert len(twice.data["rows"]) == 1


def test_refs_months_and_kept_files_are_read_as_posted(case, user):
    sent = read_form(_fields(user(MEMBER), case),
                     _post({"f_person": "3", "f_month": "2026-10", "f_tags": ["grain", "seed"],
                            "f_document.pending": "  abc  "}), MultiValueDict())
    assert sent.data["person"] == "3"
    assert sent.data["month"] == "2026-10"
    assert sent.data["tags"] == ["grain", "seed"]
    assert sent.pending == {"document": "abc"} and sent.files == {}


def test_the_posted_form_is_what_the_gate_accepts(case, user):
    member = user(MEMBER)
    sent = read_form(_fields(member, case), _post(good_post()),
                     MultiValueDict({"f_document": [upload_pdf()]}))
    gate.perform_action(actor=member, case_id=case.pk, action="apply", data=sent.data,
                        files=sent.files)
    case.refresh_from_db()
    record = case.data["apply"]
    assert record["person"] == {"id": "3", "name": "王五"}
    assert record["month"] == "2026-10"
    assert record["rows"][0]["member"] == {"id": "1", "name": "张三"}
    assert record["rows"][0]["amount"] == "120.50"


# --- the page: every widget drawn from the schema --------------------------------------------


def test_each_type_gets_its_widget_with_its_bounds(case, web):
    html = web(MEMBER).get(f"/cases/{case.pk}/").content.decode()
    assert 'type="month"' in html and 'max="2026-11"' in html and 'min="2020-01"' in html
    assert 'placeholder="YYYY-MM"' in html
    assert 'data-format="id_number"' in html and 'data-format="mobile"' in html
    assert 'maxlength="20"' in html
    assert 'data-ref-picker' in html and 'data-ref-search' in html and ">王五</option>" in html
    assert 'data-table="f_rows"' in html and 'name="f_rows" value="0"' in html
    assert 'name="f_rows.0.amount"' in html and 'max="10000"' in html
    assert "<template data-row-template>" in html and 'name="f_rows.__row__.name"' in html
    assert f'/cases/{case.pk}/table/apply/rows/template.xlsx' in html
    assert 'data-required-if="how" data-required-equals="agent"' in html
    assert "当“办理方式”为“委托代办”时必填" in html
    assert "请选 1 至 2 项" in html
    assert "可上传:PDF;单个文件不超过 20 MB。" in html
    assert 'id="field-texts"' in html  # the script's words, translated by the server


# --- all errors at once ----------------------------------------------------------------------


def test_three_bad_fields_show_three_errors_at_once_and_keep_what_was_typed(case, web):
    response = web(MEMBER).post(f"/cases/{case.pk}/act/", good_post(**{
        "f_id_number": OTHER_ID, "f_month": "2026-12", "f_rows.0.amount": "20000",
        "f_document": upload_pdf("申报表.pdf"),
    }))
    assert response.status_code == 400
    html = response.content.decode()
    assert "共 3 处需要修改" in html
    assert 'href="#field-apply-id_number"' in html
    assert 'href="#field-apply-month"' in html
    assert 'href="#apply-rows-0-amount"' in html  # the table cell itself
    assert 'id="apply-id_number-error"' in html and 'id="apply-month-error"' in html
    assert 'id="apply-rows-0-amount-error" data-cell-error>' in html
    assert "不是有效的18位居民身份证号码" in html
    assert "所属月份”不能晚于本月" in html
    assert "第1行" in html and "应在0到10000之间" in html
    assert f'value="{OTHER_ID}"' in html and 'value="2026-12"' in html
    assert 'value="20000"' in html and 'value="张三"' in html
    case.refresh_from_db()
    assert case.event_count == 1


def test_a_required_if_field_is_asked_for_only_when_its_condition_holds(case, web, user):
    client = web(MEMBER)
    response = client.post(f"/cases/{case.pk}/act/", good_post(
        f_how="agent", f_document=upload_pdf()))
    assert response.status_code == 400
    assert "请填写“代办人”" in response.content.decode()
    kept = PendingUpload.objects.get(case=case)
    response = client.post(f"/cases/{case.pk}/act/", good_post(
        f_how="agent", f_agent="刘六", **{"f_document.pending": str(kept.pk)}))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.data["apply"]["agent"] == "刘六"


# --- files kept across a refused submission --------------------------------------------------


def test_a_refused_submission_keeps_its_file_and_the_next_one_sends_it(case, web):
    client = web(MEMBER)
    response = client.post(f"/cases/{case.pk}/act/", good_post(
        f_id_number=OTHER_ID, f_document=upload_pdf("申报表.pdf", "scan")))
    assert response.status_code == 400
    kept = PendingUpload.objects.get(case=case)
    assert (kept.action, kept.field, kept.original_name) == ("apply", "document", "申报表.pdf")
    html = response.content.decode()
    assert "已选择:申报表.pdf(" in html and "重新选择" in html
    assert f'name="f_document.pending" value="{kept.pk}"' in html
    assert not Attachment.objects.filter(case=case).exists()
    # shown again when the page is opened later
    assert "已选择:申报表.pdf(" in client.get(f"/cases/{case.pk}/").content.decode()

    response = client.post(f"/cases/{case.pk}/act/", good_post(
        **{"f_document.pending": str(kept.pk)}))
    assert response.status_code == 302
    att = Attachment.objects.get(case=case)
    assert att.original_name == "申报表.pdf"
    assert att.file.read() == pdf_bytes("scan")
    assert not PendingUpload.objects.filter(pk=kept.pk).exists()
    case.refresh_from_db()
    assert case.current_step == "review"


def test_a_new_file_replaces_the_kept_one(case, web):
    client = web(MEMBER)
    client.post(f"/cases/{case.pk}/act/", good_post(f_id_number=OTHER_ID,
                                                    f_document=upload_pdf("旧.pdf")))
    first = PendingUpload.objects.get(case=case)
    client.post(f"/cases/{case.pk}/act/", good_post(
        f_id_number=OTHER_ID, f_document=upload_pdf("新.pdf"),
        **{"f_document.pending": str(first.pk)}))
    assert list(PendingUpload.objects.filter(case=case).values_list("original_name",
                                                                     flat=True)) == ["新.pdf"]


def test_a_file_of_a_refused_type_is_not_kept(case, web):
    response = web(MEMBER).post(f"/cases/{case.pk}/act/", good_post(
        f_document=upload_png("照片.png")))
    assert response.status_code == 400
    assert "附件类型不允许" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_a_kept_file_never_reaches_another_user_or_case(case, web, user, demo):
    owner = web(MEMBER)
    owner.post(f"/cases/{case.pk}/act/", good_post(f_id_number=OTHER_ID,
                                                   f_document=upload_pdf("私人.pdf")))
    kept = PendingUpload.objects.get(case=case)

    # another cadre of the same step, sending the id: the gate sees no file
    other = web(DIRECTOR)
    assert "私人.pdf" not in other.get(f"/cases/{case.pk}/").content.decode()
    response = other.post(f"/cases/{case.pk}/act/", good_post(
        **{"f_document.pending": str(kept.pk)}))
    assert response.status_code == 400
    assert "请上传“申报表扫描件”" in response.content.decode()

    # the same user on another case: nothing either
    second = gate.open_case(actor=user(MEMBER), procedure=typed_spec.CODE,
                            region=demo["dc_th"], title="另一件")
    assert "私人.pdf" not in owner.get(f"/cases/{second.pk}/").content.decode()
    response = owner.post(f"/cases/{second.pk}/act/", good_post(
        **{"f_document.pending": str(kept.pk)}))
    assert response.status_code == 400
    assert not Attachment.objects.filter(case__in=[case, second]).exists()
    assert PendingUpload.objects.filter(pk=kept.pk, user=user(MEMBER), case=case).exists()


def test_kept_files_are_purged_after_a_day(case, web, frozen):
    web(MEMBER).post(f"/cases/{case.pk}/act/", good_post(f_id_number=OTHER_ID,
                                                         f_document=upload_pdf()))
    kept = PendingUpload.objects.get(case=case)
    path = kept.file.path
    frozen.shift(dt.timedelta(hours=23))
    purge_old_exports_task()
    assert PendingUpload.objects.filter(pk=kept.pk).exists()
    frozen.shift(dt.timedelta(hours=2))
    purge_old_exports_task()
    assert not PendingUpload.objects.filter(pk=kept.pk).exists()
    assert not os.path.exists(path)


# --- Excel: the template and the import ------------------------------------------------------


def _sheet(rows: list[list[object]], fields: list[dict]) -> bytes:
    table = next(f for f in fields if f["name"] == "rows")
    book = load_workbook(io.BytesIO(template_workbook(table)))
    sheet = book.worksheets[0]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            sheet.cell(3 + i, 1 + j, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_has_a_title_row_and_the_columns_as_headers(case, web):
    response = web(MEMBER).get(f"/cases/{case.pk}/table/apply/rows/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert "补贴明细" in sheet.cell(TITLE_ROW, 1).value
    assert [c.value for c in sheet[2]] == ["姓名*", "身份证号码*", "金额(元)*", "发放日期",
                                          "对应人员", "本人确认"]
    assert sheet["B3"].number_format == "@"  # an ID number stays text in Excel
    assert "填写说明" in book.sheetnames
    assert sheet.data_validations.dataValidation  # drop-down lists for the choices


def test_an_imported_sheet_comes_back_as_rows_with_each_problem_by_row_and_column(
        case, web, user):
    fields = _fields(user(MEMBER), case)
    data = _sheet([
        ["张三", VALID_ID, 100, dt.datetime(2026, 10, 8), "李四", "是"],
        [],
        ["王五", OTHER_ID, "abc", "2026/10/9", "不在名册", "否"],
    ], fields)
    response = web(MEMBER).post(f"/cases/{case.pk}/table/apply/rows/import/", {
        "file": _upload(data)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rows"] == [
        {"name": "张三", "id_number": VALID_ID, "amount": "100", "paid_on": "2026-10-08",
         "member": "2", "confirmed": True},
        {"name": "王五", "id_number": OTHER_ID, "amount": "abc", "paid_on": "2026-10-09",
         "member": "不在名册", "confirmed": False},
    ]
    problems = {(e["row"], e["column"]) for e in body["errors"]}
    assert problems == {(1, "id_number"), (1, "amount"), (1, "member")}
    assert not PendingUpload.objects.exists()
    case.refresh_from_db()
    assert case.event_count == 1  # nothing recorded until the action is submitted


def test_an_import_that_is_no_sheet_is_a_message_not_an_error(case, web):
    client = web(MEMBER)
    response = client.post(f"/cases/{case.pk}/table/apply/rows/import/",
                           {"file": upload_pdf()})
    assert response.status_code == 400
    assert response.json()["code"] == "attachment_type"
    response = client.post(f"/cases/{case.pk}/table/apply/rows/import/", {})
    assert response.status_code == 400 and response.json()["detail"]


def test_template_and_import_are_404_for_who_may_not_act(case, web):
    supervisor = web("dc_th_supervisory_member")
    assert supervisor.get(f"/cases/{case.pk}/table/apply/rows/template.xlsx").status_code \
        == 404
    outsider = web("dc_yl_committee_member")
    assert outsider.get(f"/cases/{case.pk}/table/apply/rows/template.xlsx").status_code == 404
    member = web(MEMBER)
    assert member.get(f"/cases/{case.pk}/table/apply/contact/template.xlsx").status_code == 404


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("明细.xlsx", data, content_type="application/vnd.openxmlformats-"
                              "officedocument.spreadsheetml.sheet")


def test_widget_fields_places_each_error_by_its_path(case, user):
    action = next(a for a in actions_json(user(MEMBER), case) if a["code"] == "apply")
    rows = widget_fields(action, {"rows": [{"name": "张三"}, {"name": "李四"}]}, errors={
        "rows": ["表格错误"], "rows[1].amount": ["金额错误"], "contact": ["联系人错误"]})
    by_name = {w["name"]: w for w in rows}
    assert by_name["contact"]["error"] == "联系人错误"
    assert by_name["rows"]["error"] == "表格错误"
    cells = {c["name"]: c for c in by_name["rows"]["rows"][1]["cells"]}
    assert cells["amount"]["error"] == "金额错误"
    assert cells["name"]["value"] == "李四"

"""The registers page: scoped exports; large ones run as Celery jobs kept for their owner.

The seal register's lines are made by factories (tests/factories.py), as many as a test
needs; the page and the exports read them as they read the lines the gate writes."""

import io
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from portal.pages import registers as pages_registers
from portal.tasks import purge_old_exports
from tests.exports import register_urls, xlsx_heading, xlsx_rows
from tests.factories import ExportJobFactory, SealUseFactory, days_ago
from tests.portal.pages.helpers import queries_for
from workflows.models import ExportJob


@pytest.fixture
def cases(demo):
    """Two lines of 桃花村's seal register and one of 杨柳村's."""
    SealUseFactory.create_batch(2, region=demo["dc_th"])
    SealUseFactory(region=demo["dc_yl"])


def test_page_lists_the_villages_own_registers(cases, web, demo):
    response = web("dc_th_branch_secretary").get("/registers/")
    assert response.status_code == 200
    groups = response.context["all_groups"]
    assert [g["region"].pk for g in groups] == [demo["dc_th"].pk]
    codes = {r["code"] for r in groups[0]["registers"]}
    assert {"party_members", "seal_register_committee"} <= codes
    assert f"/registers/seal_register_committee/{demo['dc_th'].pk}.xlsx" in \
        response.content.decode()


def test_bureau_lists_only_registers_of_guided_procedures(cases, web):
    groups = web("sfq_district_civil_affairs").get("/registers/").context["all_groups"]
    assert len(groups) == 4
    # the bureau guides 03.1 (its “四议两公开” ledger), 03.2 and 04.2
    assert {r["code"] for g in groups for r in g["registers"]} == {
        "major_matters", "seal_register_committee", "village_rules_versions"}


def test_small_register_is_exported_at_once(cases, web, demo):
    client = web("dc_th_committee_director")
    response = client.get(f"/registers/seal_register_committee/{demo['dc_th'].pk}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row >= 2
    pdf = client.get(f"/registers/seal_register_committee/{demo['dc_th'].pk}.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert ExportJob.objects.count() == 0


@pytest.mark.parametrize(("username", "path"), [
    ("dc_yl_branch_secretary", "seal_register_committee/{dc_th}.xlsx"),  # another village
    ("sfq_district_civil_affairs", "party_members/{dc_th}.pdf"),         # not guided
    ("dc_th_branch_secretary", "no_such_register/{dc_th}.pdf"),
    ("dc_th_branch_secretary", "party_members/{dc}.pdf"),                # not a village
    ("dc_th_branch_secretary", "party_members/{dc_th}.docx"),
])
def test_out_of_scope_exports_are_404(cases, web, demo, username, path):
    url = "/registers/" + path.format(dc_th=demo["dc_th"].pk, dc=demo["dc"].pk)
    assert web(username).get(url).status_code == 404


def test_large_register_runs_as_a_job_kept_for_its_owner(cases, web, demo, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    monkeypatch.setattr(pages_registers, "ASYNC_ROWS", 0)
    client = web("dc_th_committee_director")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/registers/seal_register_committee/{demo['dc_th'].pk}.xlsx")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registers/jobs/{job.pk}/"
    page = client.get(response["Location"])
    assert "progressbar" in page.content.decode()
    status = client.get(f"/registers/jobs/{job.pk}/status/").json()
    assert status["state"] == "done"
    assert status["progress"] == 100
    download = client.get(status["download"])
    assert download.status_code == 200
    assert load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.max_row >= 2
    assert "下载" in client.get("/registers/").content.decode()
    stranger = web("dc_th_branch_secretary")  # sees the same register, but not this job
    for url in (f"/registers/jobs/{job.pk}/", f"/registers/jobs/{job.pk}/status/",
                f"/registers/jobs/{job.pk}/download/"):
        assert stranger.get(url).status_code == 404


def test_a_queued_job_reports_its_progress(cases, web, demo, monkeypatch):
    monkeypatch.setattr(pages_registers, "ASYNC_ROWS", 0)
    client = web("dc_th_committee_director")
    client.get(f"/registers/seal_register_committee/{demo['dc_th'].pk}.pdf")  # not committed
    job = ExportJob.objects.get()
    status = client.get(f"/registers/jobs/{job.pk}/status/").json()
    assert (status["state"], status["finished"]) == ("queued", False)
    assert client.get(f"/registers/jobs/{job.pk}/download/").status_code == 404
    from portal.tasks import run_export_job

    run_export_job(job.pk)
    job.refresh_from_db()
    assert job.state == "done"
    assert job.file.read().startswith(b"%PDF")


def test_registers_page_query_count(cases, web, django_assert_max_num_queries):
    client = web("sfq_district_org")
    before = queries_for(client, "/registers/")
    assert before <= 12


def test_old_export_files_are_purged(cases, web, demo, media_tmp, settings):
    jobs = {}
    for label, age in (("old", 10), ("new", 2)):
        job = ExportJobFactory(done=True, created_at=days_ago(age))
        jobs[label] = (job.pk, job.file.name)
    assert all(default_storage.exists(name) for _, name in jobs.values())
    settings.EXPORT_KEEP_DAYS = 7
    assert purge_old_exports() == 1
    assert not ExportJob.objects.filter(pk=jobs["old"][0]).exists()
    assert not default_storage.exists(jobs["old"][1])
    assert ExportJob.objects.filter(pk=jobs["new"][0]).exists()
    assert default_storage.exists(jobs["new"][1])
    assert purge_old_exports(days=1) == 1
    assert not ExportJob.objects.exists()


def test_an_export_reads_its_lines_in_the_same_queries_however_many(demo, web):
    client = web("dc_th_committee_director")
    url = f"/registers/seal_register_committee/{demo['dc_th'].pk}.xlsx"
    SealUseFactory.create_batch(2, region=demo["dc_th"])
    few = queries_for(client, url)
    SealUseFactory.create_batch(40, region=demo["dc_th"])
    assert queries_for(client, url) == few
    header, *rows = xlsx_rows(client.get(url).content)
    assert header[:3] == ["序号", "日期", "事由"]
    assert [row[0] for row in rows] == list(range(1, 43))


# --- names of the files, and the asker's language ------------------------------------------

SEAL_NAME = "桃花村-村委会印章用印登记簿-2026-11-02.xlsx"
SEAL_FALLBACK = "seal_register_committee-{code}-2026-11-02.xlsx"


def disposition(name: str, fallback: str) -> str:
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def test_a_download_is_named_in_chinese_with_an_ascii_fallback(cases, web, api, demo, clock):
    th = demo["dc_th"]
    expected = disposition(SEAL_NAME, SEAL_FALLBACK.format(code=th.code))
    page = web("dc_th_committee_director").get(f"/registers/seal_register_committee/{th.pk}.xlsx")
    assert page["Content-Disposition"] == expected
    row = register_urls(api("dc_th_committee_director"), "seal_register_committee", th.pk)
    assert row["name"] == "村委会印章用印登记簿"  # the village's words, not 村(居)委会
    by_api = api("dc_th_committee_director").get(row["xlsx_url"])
    assert by_api["Content-Disposition"] == expected
    pdf = web("dc_th_committee_director").get(f"/registers/seal_register_committee/{th.pk}.pdf")
    assert pdf["Content-Disposition"] == disposition(
        SEAL_NAME.replace(".xlsx", ".pdf"), SEAL_FALLBACK.format(code=th.code)[:-5] + ".pdf")


def test_an_export_job_is_named_in_chinese_and_rendered_in_the_asker_s_language(
        cases, web, demo, clock, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(pages_registers, "ASYNC_ROWS", 0)
    th = demo["dc_th"]
    client = web("dc_th_committee_director")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/registers/seal_register_committee/{th.pk}.xlsx")
    job = ExportJob.objects.get()
    assert job.language == "zh-hans"
    download = client.get(f"/registers/jobs/{job.pk}/download/")
    assert download["Content-Disposition"] == disposition(
        SEAL_NAME, SEAL_FALLBACK.format(code=th.code))
    assert xlsx_rows(b"".join(download.streaming_content))[0][:3] == ["序号", "日期", "事由"]
    # the same asked in English: the worker renders it in English, whatever its own language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/registers/seal_register_committee/{th.pk}.xlsx")
    english = ExportJob.objects.exclude(pk=job.pk).get()
    assert english.language == "en"
    body = b"".join(client.get(f"/registers/jobs/{english.pk}/download/").streaming_content)
    heading, *_rows = xlsx_rows(body)
    assert heading[:3] == ["No.", "Date", "Purpose"]
    assert xlsx_heading(body)[0] == "桃花村 Seal use register of the villagers' committee"
    assert english.filename == \
        "桃花村-Seal use register of the villagers' committee-2026-11-02.xlsx"

"""A register's pages rendered apart and kept (issue 13): a page is rendered again only when
its rows change, an appended row renders only the last chunk again, every page is numbered
"第 n 页 / 共 m 页" with the real count (Chinese and English), a second export comes from the
cache and prints the same, and an export job's progress moves with the chunks.

Chunks are made small here (``CHUNK_PAGES`` 2: a register of a few pages is several
chunks), so that what holds for a long register is seen on a short one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from pypdf import PdfReader

from tests.workflows.register_samples import long_rows, row_mark
from tests.workflows.test_register_rendering import check_pages, pages_of, squeeze
from workflows import rendering
from workflows.registers import all_registers, export, get_register

WHEN = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def renders(monkeypatch):
    """The HTML of every chunk rendered (not found kept), call by call."""
    monkeypatch.setattr(rendering, "CHUNK_PAGES", 2)
    calls: list[list[str]] = []
    real = rendering.render_chunks

    def counting(htmls, done=None, **kwargs):
        if htmls:  # the furniture alone is rendered on every export
            calls.append(list(htmls))
        return real(htmls, done, **kwargs)

    monkeypatch.setattr(rendering, "render_chunks", counting)
    return calls


def seal_register():
    reg = get_register("seal_register_committee")
    assert reg is not None
    return reg


def chunks_of(reg, region, rows) -> list[str]:
    return rendering.register_pages(title=f"{region.name}{reg.title(region)}",
                                    columns=reg.headings(region), rows=rows).chunks


def keys_of(reg, region, rows) -> list[str]:
    return [rendering.chunk_key(f"{reg.code}:{region.pk}", html)
            for html in chunks_of(reg, region, rows)]


def text_cell(row) -> int:
    return next(i for i, cell in enumerate(row) if isinstance(cell, str) and "列:" in cell)


def test_a_page_changes_when_its_rows_change_and_only_that_page(demo, renders):
    reg, region = seal_register(), demo["dc_th"]
    rows = long_rows(reg.columns, 40)
    before = keys_of(reg, region, rows)
    assert len(before) >= 3, "the sample must make three chunks at least"
    first = export(reg, region, "pdf", rows=rows, when=WHEN).body
    assert [len(c) for c in renders] == [len(before)]  # a cold export renders every chunk
    # a correction in a row of the second chunk (a character for another: the row keeps its
    # height, so every row keeps its page)
    target = next(i for i, row in enumerate(rows) if row_mark(row) in chunks_of(
        reg, region, rows)[1])
    col = text_cell(rows[target])
    old = rows[target][col]
    edited = [list(row) for row in rows]
    edited[target][col] = old[:-1] + ("改" if old[-1] != "改" else "正")
    after = keys_of(reg, region, edited)
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [1]
    second = export(reg, region, "pdf", rows=edited, when=WHEN).body
    assert len(renders) == 2 and len(renders[1]) == 1  # only that chunk rendered again
    assert squeeze(edited[target][col]) in renders[1][0].replace("\n", "")
    old_pages, new_pages = pages_of(first), pages_of(second)
    assert len(old_pages) == len(new_pages)
    changed = [n for n, (a, b) in enumerate(zip(old_pages, new_pages, strict=True)) if a != b]
    assert changed, "the edited row's page must print the new text"
    assert any(squeeze(edited[target][col]) in new_pages[n] for n in changed)
    assert not any(squeeze(old) in page for page in new_pages)
    # the other pages are the kept ones: byte for byte the same text
    kept = set(range(len(new_pages))) - set(changed)
    assert kept and all(old_pages[n] == new_pages[n] for n in kept)


def test_an_appended_row_renders_only_the_last_chunk_again(demo, renders):
    reg, region = seal_register(), demo["dc_th"]
    rows = long_rows(reg.columns, 41)
    plan = rendering.column_plan(reg.headings(region), rows)
    export(reg, region, "pdf", rows=rows, when=WHEN)
    chunks = len(renders[0])
    assert chunks >= 3
    grown = [*rows, long_rows(reg.columns, 42)[-1]]
    # the plan does not move for a row no wider than those before (see plan_sample)
    assert rendering.column_plan(reg.headings(region), grown) == plan
    body = export(reg, region, "pdf", rows=grown, when=WHEN).body
    assert len(renders) == 2 and len(renders[1]) == 1
    new_mark = row_mark(grown[-1])
    assert new_mark in renders[1][0]
    assert renders[1][0] == chunks_of(reg, region, grown)[-1]
    pages = pages_of(body)
    assert new_mark in pages[-1]
    check_pages(reg, region, grown, pages)


def test_the_plan_stays_put_when_rows_are_appended_below_and_above_the_sample():
    reg = seal_register()
    for n in (40, 450):
        rows = long_rows(reg.columns, n)
        plan = rendering.column_plan(reg.columns, rows)
        assert rendering.column_plan(reg.columns, [*rows, rows[3]]) == plan
    # ... and does move when a new row holds a longer name than any before (it must print
    # whole), and when a short ledger doubles
    rows = long_rows(reg.columns, 40)
    wider = list(rows[3])
    wider[5] = "欧阳建国欧阳建国欧阳"
    assert rendering.column_plan(reg.columns, [*rows, wider]) != \
        rendering.column_plan(reg.columns, rows)
    assert rendering.column_plan(reg.columns, long_rows(reg.columns, 64)) != \
        rendering.column_plan(reg.columns, long_rows(reg.columns, 63))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_says_which_of_how_many_it_is(demo, renders, language):
    reg, region = seal_register(), demo["dc_th"]
    rows = long_rows(reg.columns, 30)
    with translation.override(language):
        body = export(reg, region, "pdf", rows=rows, when=WHEN).body
        title = squeeze(f"{region.name}{reg.title(region)}")
    pages = pages_of(body)
    total = len(PdfReader(io.BytesIO(body)).pages)
    assert total == len(pages) >= 3
    # each chunk printed the pages it was counted for: no short page amid the register
    with translation.override(language):
        assert total == sum(rendering.register_pages(
            title=f"{region.name}{reg.title(region)}", columns=reg.headings(region),
            rows=rows).pages)
    stamp = squeeze(timezone.localtime(WHEN).strftime("%Y-%m-%d %H:%M"))
    for n, page in enumerate(pages, 1):
        number = f"第{n}页/共{total}页" if language == "zh-hans" else f"Page{n}of{total}"
        assert number in page, f"page {n}: {page[-80:]}"
        others = [f"第{m}页" if language == "zh-hans" else f"Page{m}of" for m in
                  range(1, total + 1) if m != n]
        assert not any(o in page for o in others), f"page {n} holds another page's number"
        assert page.count(title) >= 2  # above the table and in the footer
        assert stamp in page
        scope = "范围:" if language == "zh-hans" else "Scope:"
        assert squeeze(scope) + squeeze(region.full_name) in page
        assert ("共30条" if language == "zh-hans" else "30") in page


@pytest.mark.parametrize("code", ["safety_fire_log", "seal_register_committee"])
def test_a_second_export_is_built_from_the_kept_pages_and_prints_the_same(
        demo, renders, code):
    reg = next(r for r in all_registers() if r.code == code)
    region = demo["dc_th"]
    rows = long_rows(reg.columns, 40)
    first = pages_of(export(reg, region, "pdf", rows=rows, when=WHEN).body)
    assert len(renders) == 1
    keys = keys_of(reg, region, rows)
    assert len(keys) >= 2
    assert all(isinstance(cache.get(key), bytes) for key in keys)
    again = pages_of(export(reg, region, "pdf", rows=rows, when=WHEN).body)
    assert len(renders) == 1  # nothing rendered: every chunk was kept
    assert again == first
    check_pages(reg, region, rows, again)
    # another village's register is kept apart, though its rows are the same
    other = demo["dc_yl"]
    assert not set(keys) & set(keys_of(reg, other, rows))


def test_an_export_jobs_progress_moves_with_the_chunks(demo, user, renders, monkeypatch,
                                                       media_tmp):
    from portal import tasks
    from workflows.models import ExportJob, ExportState

    reg = dataclasses.replace(seal_register(),
                              rows=lambda region: long_rows(seal_register().columns, 40))
    monkeypatch.setattr(tasks, "get_register", lambda code: reg)
    seen: list[int] = []
    real = tasks._set

    def recording(job, **fields):
        if "progress" in fields:
            seen.append(int(fields["progress"]))
        real(job, **fields)

    monkeypatch.setattr(tasks, "_set", recording)
    job = ExportJob.objects.create(user=user("dc_th_committee_director"), region=demo["dc_th"],
                                   register=reg.code, format="pdf", language="zh-hans")
    assert tasks.run_export_job(job.pk) == "done"
    job.refresh_from_db()
    assert job.state == ExportState.DONE and job.progress == 100
    total = len(renders[0])
    assert total >= 3
    between = [p for p in seen if 30 < p < 90]
    assert between == [30 + 60 * c // total for c in range(1, total)]
    assert seen == sorted(seen) and seen[0] == 5 and seen[-1] == 100
    # a second job finds every chunk kept: the bar goes from 30 to 90 at once
    seen.clear()
    again = ExportJob.objects.create(user=job.user, region=job.region, register=reg.code,
                                     format="pdf", language="zh-hans")
    assert tasks.run_export_job(again.pk) == "done"
    assert len(renders) == 1
    assert [p for p in seen if 30 < p < 90] == []


def test_cold_chunks_are_rendered_in_the_pool_and_without_one_here(monkeypatch, settings):
    settings.REGISTER_PDF_WORKERS = 2
    htmls = ["<p>第一块</p>", "<p>第二块</p>", "<p>第三块</p>"]
    told: list[int] = []
    bodies = rendering.render_chunks(htmls, told.append)
    assert rendering._POOL is not None  # rendered by the pool's processes
    assert sorted(told) == [0, 1, 2]
    assert [squeeze(PdfReader(io.BytesIO(b)).pages[0].extract_text()) for b in bodies] == \
        ["第一块", "第二块", "第三块"]

    def no_pool(workers):
        raise OSError("no processes here")

    monkeypatch.setattr(rendering, "_pool", no_pool)
    told.clear()
    bodies = rendering.render_chunks(htmls, told.append)
    assert sorted(told) == [0, 1, 2]  # each told once, rendered here
    assert squeeze(PdfReader(io.BytesIO(bodies[2])).pages[0].extract_text()) == "第三块"

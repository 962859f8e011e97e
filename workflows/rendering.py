"""Rendering registers (台账) as PDF (WeasyPrint) and Excel (openpyxl), to be posted and filed.

The PDF is ``templates/workflows/register_pdf.html``: A4 landscape, the title block and the
column headings in the table's ``thead`` (so they stand on every page and the title is never
left alone on one), rows never split, "第 N 页 / 共 M 页" in the page footer. Its font is named,
"Noto Sans CJK SC" (Debian fonts-noto-cjk): CJK glyphs fall back badly otherwise.

Columns are sized by a :func:`column_plan` read from the cells' text, not measured: dates,
numbers and short words (状态, 是/否, names) get the width of their longest value and never
break; free text gets the rest of the page in proportion to how much it holds, never less
than :data:`TEXT_MIN_EMS`. The plan picks the largest font size at which that fits. The table
has a fixed layout with a ``colgroup``: WeasyPrint then lays out each cell once (an automatic
layout measures every cell's text with Pango, which costs seconds on a long ledger).

The PDF is rendered in chunks of pages that are kept in the cache and stamped with the page
furniture afterwards (issue 13: a register's second export, or its export after one new row,
renders a page or two, not the ledger; see the PDF section below).

The Excel sheet (:func:`render_register_xlsx`) carries the same title, scope and date above
its header, real dates and numbers, and a print set-up (:func:`print_setup`) shared with the
dashboard's workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from workflows import pdfstamp

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FONT = "Noto Sans CJK SC"
logger = logging.getLogger(__name__)

# The page: A4 landscape less its side margins (10 mm each), and what a cell adds to its text
# (1.2 mm of padding each side, the borders and a little slack), in millimetres.
PAGE_MM = 297 - 2 * 10
CELL_MM = 3.0
MM_PER_PT = 25.4 / 72
# Font sizes tried, largest first: a ledger of few columns prints at 10 pt, a wide one smaller.
FONT_SIZES = (10.0, 9.0, 8.5, 8.0, 7.5, 7.0)
# A free-text column is never narrower than this many characters (a narrower one reads as a
# column of single characters), and is wished as wide as its text up to TEXT_MAX_EMS.
TEXT_MIN_EMS = 8.0
TEXT_SQUEEZED_EMS = 6.0  # ... unless a very wide ledger leaves no more at the smallest font
TEXT_MAX_EMS = 36.0
# A value this long or shorter is "short" (a name, a place, a state) and never breaks.
SHORT_EMS = 9.0
# A heading up to this long stands on one line; a longer one may break in two.
HEAD_WHOLE_EMS = 4.0
# What a column of unbroken values gets beyond its longest value's estimate (fonts differ).
WHOLE_SLACK_EMS = 0.4
# The rows whose text is averaged to share the page among the free-text columns (enough to
# know a column; see plan_sample for why a shorter ledger reads fewer).
PLAN_ROWS = 400


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def ems(text: str) -> float:
    """Printed width in ems: CJK characters and full-width punctuation are one em, Latin
    letters and digits about six tenths."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in text)


# --- the column plan ---------------------------------------------------------------------------

NUMBER, DATE, DATETIME, SHORT, TEXT = "number", "date", "datetime", "short", "text"


@dataclass(frozen=True)
class PlannedColumn:
    key: str
    heading: str
    kind: str        # number, date, datetime, short or text
    percent: float   # of the table's width
    whole: bool      # its values never break (white-space: nowrap)
    right: bool      # numbers stand right-aligned


@dataclass(frozen=True)
class ColumnPlan:
    font_pt: float
    columns: list[PlannedColumn]


def _kind(values: Sequence[Any], texts: Sequence[str]) -> str:
    present = [v for v in values if v not in (None, "")]
    if not present:
        return SHORT
    if all(isinstance(v, dt.datetime) for v in present):
        return DATETIME
    if all(isinstance(v, dt.date) for v in present):
        return DATE
    if all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in present):
        return NUMBER
    if max(ems(t) for t in texts) <= SHORT_EMS:
        return SHORT
    return TEXT


def _head_min(heading: str) -> float:
    width = ems(heading)
    return width if width <= HEAD_WHOLE_EMS else max(HEAD_WHOLE_EMS, math.ceil(width / 2))


def _room(size: float, n: int) -> float:
    """The table's width in ems at ``size`` pt, less what ``n`` cells add to their text."""
    return (PAGE_MM - n * CELL_MM) / (size * MM_PER_PT)


def plan_sample(n: int) -> int:
    """How many of a ledger's ``n`` first rows the plan averages: PLAN_ROWS, or for a shorter
    ledger the largest power of two not above ``n``.

    The plan must not move when a row is appended (issue 13): every page of a register is
    kept rendered under a hash of its HTML, column widths included, and a plan that moved
    with each new row would render every page again for one new row. So what the plan reads
    of all rows is only what grows by steps - a column's kind and its longest value (a new
    row changes them only when it holds a longer name or a new kind of value, and then the
    columns must change so that it prints whole) - and the averages that share out the room
    among the free-text columns, which move with every row, are read from a sample that
    stays put while the ledger grows: the first PLAN_ROWS rows, and below that the first
    1, 2, 4, ..., 256 rows, so that a short ledger's columns move at most nine times in
    its life."""
    if n >= PLAN_ROWS:
        return PLAN_ROWS
    return 1 << (n.bit_length() - 1) if n else 0


def column_plan(columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]],
                cells: Sequence[Sequence[str]] | None = None) -> ColumnPlan:
    """How wide each column prints, and at what font size (see the module's text).

    Widths are worked out in ems: each column's least width (a short column's longest value,
    a date, a free-text column's TEXT_MIN_EMS, a heading's longest unbroken part) and the
    width it would like (a date-time on one line, free text as long as its text, up to
    TEXT_MAX_EMS). The largest font at which the least widths fit is used; what is left of
    the page goes first to date-times, then to free text in proportion to how much text
    each holds, never beyond what a column would like; what is still left is shared out.
    """
    sample = rows[:plan_sample(len(rows))]
    if cells is None:  # the rows' printed text (given by who has it already)
        cells = [[_cell(v) for v in row] for row in rows]
    kinds, least, wish, weight = [], [], [], []
    for i, (_key, heading) in enumerate(columns):
        values = [row[i] for row in rows]
        texts = [row[i] for row in cells]
        kind = _kind(values, texts)
        longest = max((ems(t) for t in texts), default=0.0)
        head = _head_min(str(heading))
        if kind == DATETIME:
            date_part = max((ems(t.split(" ")[0]) for t in texts if t), default=0.0)
            low, high = max(head, date_part), max(head, longest)
        elif kind == TEXT:
            low = max(head, TEXT_MIN_EMS)
            high = max(low, min(longest, TEXT_MAX_EMS))
        else:
            low = high = max(head, longest + WHOLE_SLACK_EMS, 1.0)
        kinds.append(kind)
        least.append(low)
        wish.append(high)
        held = texts[:len(sample)]
        weight.append(sum(ems(t) for t in held) / max(1, len(held)) if kind == TEXT else 0.0)
    font = next((size for size in FONT_SIZES if sum(least) <= _room(size, len(columns))),
                FONT_SIZES[-1])
    room = _room(font, len(columns))
    text_cols = [i for i, k in enumerate(kinds) if k == TEXT]
    if sum(least) > room and text_cols:  # too wide even so: the free text gives way first
        fixed = sum(w for i, w in enumerate(least) if i not in text_cols)
        each = max(TEXT_SQUEEZED_EMS, (room - fixed) / len(text_cols))
        for i in text_cols:
            least[i] = min(least[i], max(each, _head_min(str(columns[i][1]))))
    widths = list(least)
    spare = room - sum(widths)
    if spare > 0:  # date-times on one line first, if all of them can be
        grow = [wish[i] - widths[i] if kinds[i] == DATETIME else 0.0 for i in range(len(widths))]
        if 0 < sum(grow) <= spare:
            widths = [w + g for w, g in zip(widths, grow, strict=True)]
            spare -= sum(grow)
    while spare > 1e-6:  # free text towards its wish, by how much text it holds
        open_ = [i for i, k in enumerate(kinds) if k == TEXT and wish[i] - widths[i] > 1e-6]
        if not open_:
            break
        total = sum(weight[i] for i in open_) or len(open_)
        given = 0.0
        for i in open_:
            share = spare * ((weight[i] or 1.0) / total)
            step = min(share, wish[i] - widths[i])
            widths[i] += step
            given += step
        spare -= given
        if given <= 1e-6:
            break
    if spare > 1e-6:  # the rest to the free text, or to every column when there is none
        takers = [i for i, k in enumerate(kinds) if k == TEXT] or list(range(len(widths)))
        total = sum(widths[i] for i in takers)
        for i in takers:
            widths[i] += spare * widths[i] / total
    pads = CELL_MM / (font * MM_PER_PT)
    full = sum(w + pads for w in widths)
    return ColumnPlan(font, [
        PlannedColumn(key, str(heading), kind, round(100 * (w + pads) / full, 3),
                      whole=kind in (NUMBER, DATE, SHORT), right=kind == NUMBER)
        for (key, heading), kind, w in zip(columns, kinds, widths, strict=True)
    ])


# --- PDF ---------------------------------------------------------------------------------------
#
# A register is rendered page by page (issue 13). Its rows are laid out on pages by an estimate
# of each row's height from the column plan (:func:`page_starts`); the pages are grouped in
# chunks (:func:`chunk_pages`), each chunk one small WeasyPrint document of the same table (the
# title block and the headings in its ``thead``, the one column plan of the whole register)
# without the page furniture. A chunk is kept in the cache under a hash of its HTML (its rows,
# the plan, the language, WeasyPrint's version: everything it looks like), so an export renders
# only the chunks whose rows changed - the last one, when a row was appended - and renders
# those on all the worker's cores. The furniture (the scope line under the title, "第 n 页 /
# 共 m 页", the title and the export time in the footer) is laid over the pages afterwards
# (workflows.pdfstamp): it is what changes with every export.

# The page's height less its top and bottom margins, in millimetres (the template's @page).
PAGE_H_MM = 210 - 10 - 13
LINE_HEIGHT = 1.35
ROW_PAD_MM = 2 * 0.8 + 0.6 * MM_PER_PT  # a cell's padding above and below, and a border
# The estimate errs on the tall side: a line is taken to hold half an em less than the column
# gives it (a line ends early when its next character is a comma or a closing bracket, which
# may not begin a line), so that a chunk's rows fit the pages they were counted for ...
LINE_SLACK_EMS = 0.5
# ... and each page is filled to this many millimetres short of its foot (half a row): what
# the estimate misses on one page (a line pushed down by a comma that may not begin one) is
# made up by the next ones, and a chunk ends on its last page.
PAGE_RESERVE_MM = 3.0
# A chunk holds up to this many pages; the last pages are chunked by halves (4, 2, 1) so that
# a row appended to a long register renders a page or two again, seldom eight.
CHUNK_PAGES = 8
_TOKENS = re.compile(r"[\u2e80-\U0010ffff]|[^\s\u2e80-\U0010ffff]+|\s+")


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` ems wide: CJK breaks after any
    character, Latin at spaces (a word longer than the line overflows it)."""
    lines, used = 1, 0.0
    for token in _TOKENS.findall(text):
        size = ems(token)
        if token.isspace():
            used += size if used else 0.0
        elif used and used + size > width:
            lines, used = lines + 1, size
        else:
            used += size
    return lines


def _line_mm(font_pt: float) -> float:
    return font_pt * LINE_HEIGHT * MM_PER_PT


def _text_ems(plan: ColumnPlan, col: PlannedColumn) -> float:
    """The ems a line of ``col`` holds (its width less the cell's padding and border)."""
    text_mm = col.percent / 100 * PAGE_MM - CELL_MM + 0.6
    return max(1.0, text_mm / (plan.font_pt * MM_PER_PT) - LINE_SLACK_EMS)


def row_mm(plan: ColumnPlan, texts: Sequence[str]) -> float:
    """The estimated height of a row of ``texts``."""
    lines = max((1 if col.whole else _lines(text, _text_ems(plan, col))
                 for col, text in zip(plan.columns, texts, strict=True)), default=1)
    return lines * _line_mm(plan.font_pt) + ROW_PAD_MM


def head_mm(plan: ColumnPlan, title: str) -> float:
    """The estimated height of the ``thead``: the title (15 pt), the scope line (9 pt, one
    line), the headings (bold, a little wider than their ems)."""
    title_lines = _lines(title, PAGE_MM / (15 * MM_PER_PT) - LINE_SLACK_EMS)
    heads = max((_lines(col.heading, (_text_ems(plan, col) + LINE_SLACK_EMS) / 1.05)
                 for col in plan.columns),
                default=1)
    return (title_lines * _line_mm(15) + 1 + _line_mm(9) + 2.5
            + heads * _line_mm(plan.font_pt) + ROW_PAD_MM)


def page_starts(plan: ColumnPlan, title: str, body: Sequence[Sequence[str]]) -> list[int]:
    """The first row of each page, by the estimated heights: a page takes rows while they fit
    under the ``thead``; a row taller than a page has one of its own. A row's page depends
    only on the rows before it, so appending rows changes only the last pages."""
    room = PAGE_H_MM - head_mm(plan, title) - PAGE_RESERVE_MM
    starts, used = [0], 0.0
    for i, texts in enumerate(body):
        height = row_mm(plan, texts)
        if used and used + height > room:
            starts.append(i)
            used = 0.0
        used += height
    return starts


def chunk_pages(pages: int) -> list[tuple[int, int]]:
    """The pages ``[first, end)`` of each chunk: CHUNK_PAGES at a time, then the rest by halves
    (45 pages: five of 8, then 4 and 1). A chunk's pages depend only on the pages before it,
    so a new page changes only the last chunks (the 1-page chunk becomes a 2-page one)."""
    spans, first = [], 0
    while pages - first >= CHUNK_PAGES:
        spans.append((first, first + CHUNK_PAGES))
        first += CHUNK_PAGES
    size = CHUNK_PAGES // 2
    while first < pages:
        if pages - first >= size:
            spans.append((first, first + size))
            first += size
        size //= 2
    return spans


def _css_string(text: str) -> str:
    """``text`` as a CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '\\"<>&' or ord(ch) < 0x20 else ch
                      for ch in text)
    return f'"{escaped}"'


def page_counter() -> str:
    """CSS ``content`` that prints "第 N 页 / 共 M 页" in the active language."""
    words = _("第 {page} 页 / 共 {pages} 页")
    out = []
    for part in words.replace("{pages}", "\0pages\0").replace("{page}", "\0page\0").split("\0"):
        if part in ("page", "pages"):
            out.append(f"counter({part})")
        elif part:
            out.append(_css_string(part))
    return " ".join(out)


def _export_stamp(generated_at: dt.datetime) -> str:
    return _("导出时间 %(time)s") % {
        "time": timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M")}


def _rows_html(rows: Sequence[Sequence[tuple[str, str]]]) -> str:
    """The ``tr`` of ``rows`` (text, class), escaped: built here, not by the template's loop,
    which takes half a second over a thousand rows and runs on every export (the chunks'
    HTML is what their keys are the hash of)."""
    return "".join(
        "<tr>" + "".join(f'<td class="{cls}">{escape(text)}</td>' if cls
                         else f"<td>{escape(text)}</td>" for text, cls in row) + "</tr>\n"
        for row in rows)


def _template(part: str, plan: ColumnPlan, title: str, *,
              rows: Sequence[Sequence[tuple[str, str]]] = (), **context: Any) -> str:
    return render_to_string("workflows/register_pdf.html", {
        "part": part, "lang": translation.get_language() or "zh-hans", "font": FONT,
        "font_pt": plan.font_pt, "plan": plan.columns, "span": len(plan.columns),
        "title": title, "tbody": _rows_html(rows), "subtitle": "", **context,
    })


def _body(plan: ColumnPlan, cells: Sequence[Sequence[str]]) -> list[list[tuple[str, str]]]:
    classes = [" ".join(c for c, on in (("w", col.whole), ("r", col.right)) if on)
               for col in plan.columns]
    return [list(zip(row, classes, strict=True)) for row in cells]


def register_html(*, title: str, subtitle: str, columns: Sequence[tuple[str, str]],
                  rows: Sequence[Sequence[Any]], generated_at: dt.datetime) -> str:
    """The whole register as one document, furniture and all: the look the pages of
    :func:`render_register_pdf` reproduce (one WeasyPrint layout of every row: slow)."""
    cells = [[_cell(v) for v in row] for row in rows]
    plan = column_plan(columns, rows, cells)
    return _template("whole", plan, title, subtitle=subtitle, rows=_body(plan, cells),
                     counter=page_counter(), title_css=_css_string(title),
                     stamp_css=_css_string(_export_stamp(generated_at)))


@dataclass(frozen=True)
class RegisterPages:
    """A register cut in chunks: the HTML of each chunk (its rows under the title block and
    the headings, no furniture) and the estimated pages each holds."""

    plan: ColumnPlan
    chunks: list[str]
    pages: list[int]


def register_pages(*, title: str, columns: Sequence[tuple[str, str]],
                   rows: Sequence[Sequence[Any]]) -> RegisterPages:
    cells = [[_cell(v) for v in row] for row in rows]
    plan = column_plan(columns, rows, cells)
    body = _body(plan, cells)
    starts = page_starts(plan, title, cells)
    ends = [*starts[1:], len(body)]
    chunks, pages = [], []
    for first, end in chunk_pages(len(starts)):
        chunks.append(_template("pages", plan, title, rows=body[starts[first]:ends[end - 1]]))
        pages.append(end - first)
    return RegisterPages(plan, chunks, pages)


Progress = Callable[[int, int], None]


def _workers() -> int:
    """The processes a cold export renders its chunks in: settings.REGISTER_PDF_WORKERS, or
    every core this process may run on."""
    configured = getattr(settings, "REGISTER_PDF_WORKERS", None)
    if configured:
        return max(1, int(configured))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_POOL: ProcessPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool(workers: int) -> ProcessPoolExecutor:
    """The worker's pool of renderers, started once and kept (a fresh process pays a second
    for WeasyPrint and the fonts). Its processes come from a fork server: they hold nothing
    of Django's (no database connection, no settings) and are given HTML strings only."""
    global _POOL
    with _POOL_LOCK:  # two threads of a web worker exporting at once start one pool
        if _POOL is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["workflows.rendering"])
            _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return _POOL


def _drop_pool() -> None:
    global _POOL
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
            _POOL = None


def warm_pool() -> None:
    """Start the renderers and have each lay out a line (its fonts loaded), and load this
    process's fonts: what a worker pays once, e.g. when it starts, not on an export."""
    html = f"<p style=\"font-family: '{FONT}'\">台账 <b>1</b></p>"
    render_chunk(html)
    workers = _workers()
    if workers > 1:
        # each task waits a moment, so that the pool starts a process for each
        list(_pool(workers).map(_warm, [html] * workers))


def _warm(html: str) -> int:
    render_chunk(html)
    time.sleep(0.5)
    return os.getpid()


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_chunk(html: str) -> bytes:
    """The PDF of one chunk (or of the furniture), with the fonts this process has loaded
    before: a fresh FontConfiguration costs most of a second a document (the fonts found
    again, Pango's shaping caches cold), more than a page's layout."""
    from weasyprint import HTML

    return bytes(HTML(string=html).render(font_config=_font_config()).write_pdf())


def render_chunks(htmls: Sequence[str], done: Callable[[int], None] | None = None, *,
                  also: Sequence[str] = ()) -> list[bytes]:
    """The PDFs of ``htmls`` and then of ``also`` (the furniture, rendered alongside): in the
    pool of renderers when there are several and several cores, else here; ``done(i)`` is
    told once as the i-th of ``htmls`` is ready (in the order they finish). Should the pool
    fail (a process killed, no pool allowed here), what it has not rendered is rendered
    here."""
    jobs = [*htmls, *also]
    out: list[bytes | None] = [None] * len(jobs)

    def ready(i: int, body: bytes) -> None:
        out[i] = body
        if done and i < len(htmls):
            done(i)

    # the pool is started for two chunks or more (a web worker's small export, one chunk and
    # its furniture, is rendered here and starts no processes), and used once started
    if min(len(jobs), _workers()) > 1 and (len(htmls) > 1 or _POOL is not None):
        try:
            futures = {_pool(_workers()).submit(render_chunk, html): i
                       for i, html in enumerate(jobs)}
            for future in as_completed(futures):
                ready(futures[future], future.result())
        except (BrokenProcessPool, OSError, AssertionError):  # no pool here (a daemon, say)
            logger.warning("register pages: no pool of renderers, rendering in the worker",
                           exc_info=True)
            _drop_pool()
    for i, html in enumerate(jobs):
        if out[i] is None:
            ready(i, render_chunk(html))
    return [body for body in out if body is not None]


def chunk_key(scope: str, html: str) -> str:
    """A chunk's cache key: the register and village it belongs to and the hash of its HTML
    (with WeasyPrint's version, pdfstamp.body_key)."""
    return f"register-page:{scope}:{pdfstamp.body_key(html).rsplit(':', 1)[1]}"


def _numbers_html(pages: int) -> str:
    """"第 n 页 / 共 m 页" over ``pages`` blank pages: the HTML holds only the language's words
    and the count, so every register of that many pages shares its PDF (kept)."""
    return render_to_string("workflows/register_pdf.html", {
        "part": "numbers", "lang": translation.get_language() or "zh-hans", "font": FONT,
        "font_pt": 10, "counter": page_counter(), "blanks": range(pages)})


def render_register_pdf(*, title: str, subtitle: str, columns: Sequence[tuple[str, str]],
                        rows: Iterable[Sequence[Any]], generated_at: dt.datetime | None = None,
                        scope: str = "", progress: Progress | None = None) -> bytes:
    """The register's PDF: its chunks from the cache or rendered (in parallel, and with them
    the furniture), one after another, the furniture laid over every page. ``scope`` names
    the register and village in the chunks' keys; ``progress(done, total)`` is told as
    chunks are ready."""
    rows = list(rows)
    generated_at = generated_at or timezone.now()
    pages = register_pages(title=title, columns=columns, rows=rows)
    keys = [chunk_key(scope, html) for html in pages.chunks]
    kept = cache.get_many(keys)
    bodies: list[bytes | None] = [kept.get(key) for key in keys]
    missing = [i for i, body in enumerate(bodies) if not isinstance(body, bytes)]
    total, count = len(keys), len(keys) - len(missing)
    if progress:
        progress(count, total)

    def done(j: int) -> None:
        nonlocal count
        count += 1
        if progress:
            progress(count, total)

    furniture_html = _template(
        "furniture", pages.plan, title, subtitle=subtitle, title_css=_css_string(title),
        stamp_css=_css_string(_export_stamp(generated_at)))
    # the page numbers by the estimated count (the real one but for a chunk that ran over)
    numbers_html = _numbers_html(sum(pages.pages))
    numbers_key = pdfstamp.body_key(numbers_html)
    numbers = cache.get(numbers_key)
    also = [furniture_html] if isinstance(numbers, bytes) else [furniture_html, numbers_html]
    rendered = render_chunks([pages.chunks[i] for i in missing], done, also=also)
    for i, body in zip(missing, rendered, strict=False):
        bodies[i] = body
    furniture = rendered[len(missing)]
    if len(also) > 1:
        numbers = rendered[-1]
        cache.set(numbers_key, numbers, pdfstamp.KEEP_SECONDS)
    cache.set_many({keys[i]: bodies[i] for i in missing}, pdfstamp.KEEP_SECONDS)
    ready = [body for body in bodies if body is not None]
    count_pages = pdfstamp.page_count(ready)
    if count_pages != sum(pages.pages):
        numbers = pdfstamp.cached_pdf(_numbers_html(count_pages))[0]
    assert isinstance(numbers, bytes)
    return pdfstamp.overlaid(ready, [furniture, numbers], title=title)


# --- Excel -------------------------------------------------------------------------------------

# A cell that starts with one of these is read by Excel as a formula (CSV/formula
# injection): a ledger cell such as "=HYPERLINK(...)" typed by a villager must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def excel_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def excel_width(value: Any) -> float:
    """A value's width in Excel's units (a digit of the default font): CJK counts two."""
    text = _cell(value) if not isinstance(value, str) else value
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text) + 2


def print_setup(sheet: Worksheet, *, head_row: int, repeat_from: int = 1) -> None:
    """A4 landscape, fitted to the page's width, rows ``repeat_from``..``head_row`` printed on
    every page, the panes frozen under the header."""
    sheet.freeze_panes = sheet.cell(row=head_row + 1, column=1)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{repeat_from}:{head_row}"
    sheet.print_options.horizontalCentered = True


def sheet_heading(sheet: Worksheet, *, title: str, lines: Sequence[str], width: int) -> int:
    """The title (merged over ``width`` columns) and the lines under it; returns the row the
    header goes in."""
    from openpyxl.styles import Alignment, Font

    sheet.append([title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 24
    for line in lines:
        sheet.append([line])
    for row_no in range(1, len(lines) + 2):
        if width > 1:
            sheet.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=width)
        if row_no > 1:
            sheet.cell(row=row_no, column=1).alignment = Alignment(horizontal="left")
    return len(lines) + 2


def render_register_xlsx(*, title: str, columns: Sequence[tuple[str, str]],
                         rows: Iterable[Sequence[Any]], lines: Sequence[str] = ()) -> bytes:
    """The ledger as a sheet to print: title, ``lines`` (scope and date), header, rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    rows = list(rows)
    plan = column_plan(columns, rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    head_row = sheet_heading(sheet, title=title, lines=lines, width=len(columns))
    sheet.append([label for _, label in columns])
    thin = Side(style="thin", color="8C959F")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[head_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EAEEF2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    widths = [excel_width(str(label)) for _, label in columns]
    for row in rows:
        # 是/否 in the reader's language; dates, times and numbers as Excel's own
        sheet.append([_cell(v) if isinstance(v, bool) else excel_safe(v) for v in row])
        for i, (value, col) in enumerate(zip(row, plan.columns, strict=True)):
            cell = sheet.cell(row=sheet.max_row, column=i + 1)
            cell.border = border
            cell.alignment = wrap if col.kind == TEXT else top
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if value is not None:
                widths[i] = max(widths[i], excel_width(value))
    for i, (width, col) in enumerate(zip(widths, plan.columns, strict=True), 1):
        cap = 50 if col.kind == TEXT else 30
        sheet.column_dimensions[get_column_letter(i)].width = min(cap, max(6.0, width))
    print_setup(sheet, head_row=head_row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""A long, growing PDF (the 全程纪实 of a case) rendered in parts, each part once.

The record is a head (the case's particulars, its state and current step, the chain's
verdict: these change while the case is open), a summary on the head's page (the
procedure's seven elements: they do not change with the case), a run of items (the case's
events: an append-only chain, so an item's HTML never changes once written) and a trail
(files, notices, meetings, the closing verdict: these change with some events). Rendering
the whole document again after every event costs seconds at a hundred events (issue 13);
here only what changed is rendered.

**Parts.** The items are cut into *sealed parts*: runs of items that fill whole pages.
The *live document* is the head and the items after the last sealed part, rendered by
WeasyPrint on the first download after any change; its head ends with a page break, so its
item pages start at the top of a page exactly like a sealed part's. The summary and the
trail are parts of their own, each kept under the hash of its HTML. The PDF is the head's
page with the summary's first page drawn below the head (the summary is rendered below a
blank as tall as the head, in whole millimetres: a head that grows a line, a rare change,
renders the summary again), the summary's other pages, the sealed parts' pages, the live
item pages, then the trail's pages: joined with pypdf.

**Where parts end, and the look.** A sealed part ends at a page break the layout chose
itself: after the live document is rendered, the item pages before the page on which the
newest item starts are sealed when the item that opens that page starts at its top (the
previous item ended on an earlier page; items are never split, ``page-break-inside:
avoid``). Those pages are cut out of the rendered live document as they are (nothing is
rendered again) and kept under the hash of their own HTML. So no sealed part ends on a
half-empty page other than the one the layout would have left anyway before an item too
tall for the rest of it: the events read exactly as if rendered in one go, and the live
document keeps the head, the page of the newest item and the items after it — a page or
two, whatever the length of the case. The one page break the parts add is before the
trail: "三、附件清单" starts a page, like "二、办理记录" after the head — a section starting
on a new page, as a filed record reads. The boundaries (the first item of each sealed
part) are kept per record (``plan_key``), only as a hint: a part is always looked up by
the hash of its HTML and, if not found (evicted, a new template), rendered alone from that
HTML, so what is shown never depends on the hint.

**Furniture.** Page numbers ("第 n 页 / 共 m 页") cannot be rendered into parts that move;
the joined pages get theirs from a kept sheet of m pages holding only the numbers, drawn
where the body's footer had them (one sheet a page count and language, shared by every
record of that length: rendered once). The joined, numbered body is kept under the hash of
the whole record's HTML, so repeat downloads only stamp it with who exported it and when
(``workflows.pdfstamp.stamped``).

Overlays (the summary under the head, the numbers, the stamp) are drawn as form XObjects:
a page's own content is never parsed (pypdf's ``merge_page`` parses both pages' content,
which cost more than the rendering of the live document on a long record).

The cost: each part carries its own subset of the fonts, so the file is larger than one
rendered in one go (at thirty events about 1.4 MB instead of 0.5 MB; at 130 events 1.5 MB
instead of 0.6 MB).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from itertools import pairwise
from typing import Any

import weasyprint
from django.core.cache import cache
from pypdf import PdfReader, PdfWriter

from workflows import pdfstamp

# a part is sealed only when it fills at least this many pages (fewer, larger parts: each
# carries its own subset of the fonts)
SEAL_MIN_PAGES = 1
PX_PER_MM = 96 / 25.4
PLAN_SECONDS = pdfstamp.KEEP_SECONDS


@dataclass
class Pieces:
    """A document cut where it may be cut: ``prefix`` opens it (doctype, style, the running
    head), ``head`` changes, ``summary`` (below the head on its page) and ``trail`` (after
    the items, from a page of its own) change seldom, ``items`` never change once written
    (each with a stable ``ids`` entry), ``suffix`` closes it."""

    prefix: str
    head: str
    items: Sequence[str]
    ids: Sequence[str]
    trail: str
    suffix: str
    summary: str = ""  # what follows the head on its page and does not change with the case


@dataclass
class Outcome:
    """What a parted rendering did (for tests and the bench): which documents WeasyPrint
    rendered and how the record was cut."""

    body: bytes
    pages: int
    kept: bool  # the whole body came from the cache
    rendered: list[str] = field(default_factory=list)  # "live", "part:<first id>", "sheet:<n>"
    parts: int = 0  # sealed parts used
    stamped: bytes = b""  # the body with the download stamp, when one was asked for


def _digest(text: str) -> str:
    return hashlib.sha256(f"{weasyprint.__version__}\n{text}".encode()).hexdigest()


def _items_html(pieces: Pieces, start: int, stop: int, *, after_head: bool) -> str:
    # each item in a box of its own, unbroken like the item (so the box starts where the
    # item does), with an empty marker at its end: where items start and end, by page
    style = ' style="break-before: page"' if after_head else ""
    inner = "".join(f'<div id="pp-{i}" style="break-inside: avoid">{pieces.items[i]}'
                    f'<div id="pq-{i}"></div></div>' for i in range(start, stop))
    return f'<div class="pp-items"{style}>{inner}</div>'


def part_html(pieces: Pieces, start: int, stop: int) -> str:
    """The HTML of the sealed part of items ``start`` to ``stop`` (exclusive), alone."""
    return pieces.prefix + _items_html(pieces, start, stop, after_head=False) + pieces.suffix


def live_html(pieces: Pieces, start: int) -> str:
    """The head (its top and its end marked) and the items from ``start`` on, from the top
    of a page."""
    return (pieces.prefix + '<div id="pp-top"></div><div style="display: flow-root">'
            + pieces.head + '</div><div id="pp-head"></div>'
            + _items_html(pieces, start, len(pieces.items), after_head=True) + pieces.suffix)


# the summary's first page is drawn under the head's: its running heads once, by the head's
_BARE_FIRST = ("<style>@page :first { @top-left { content: none } @top-center { content: none }"
               " @top-right { content: none } @bottom-left { content: none }"
               " @bottom-center { content: none } @bottom-right { content: none } }</style>")


def summary_html(pieces: Pieces, space: float) -> str:
    """The summary alone, below ``space`` CSS pixels left blank for the head (0: from the
    top of a page of its own, after a head too long to share one)."""
    summary = f'<div class="pp-summary">{pieces.summary}</div>'
    if not space:
        return pieces.prefix + summary + pieces.suffix
    # whole millimetres, rounded up: a head a hair taller or shorter (another step's name)
    # leaves the kept summary as it is
    return (pieces.prefix + _BARE_FIRST
            + f'<div style="height: {math.ceil(space / PX_PER_MM - 0.01)}mm"></div>'
            + summary + pieces.suffix)


def trail_html(pieces: Pieces) -> str:
    """The trail, from the top of a page."""
    return pieces.prefix + f'<div class="pp-trail">{pieces.trail}</div>' + pieces.suffix


def _plan(plan_key: str, pieces: Pieces) -> list[int]:
    """The indexes at which sealed parts start (0 first), from the kept boundaries: ids that
    are no longer where they were (or not there at all) end the plan there."""
    kept = cache.get(plan_key)
    index = {ident: i for i, ident in enumerate(pieces.ids)}
    starts: list[int] = []
    if isinstance(kept, list):
        for ident in kept:
            i = index.get(ident)
            if i is None or (starts and i <= starts[-1]) or (not starts and i != 0):
                break
            starts.append(i)
    return starts


def render_document(html: str) -> Any:
    """The laid-out document (its pages know where each ``id`` is: ``Page.anchors``)."""
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint.HTML(string=html).render(font_config=FontConfiguration())


def _anchors(document: Any) -> dict[str, tuple[int, float]]:
    """Each marker's page and height on it (CSS pixels from the top of the page)."""
    return {name: (n, float(at[1])) for n, page in enumerate(document.pages)
            for name, at in page.anchors.items()}


def _seal(pages: dict[str, int], first: int, count: int) -> tuple[int, int, int] | None:
    """Where the live document's items can be cut: (the index of the item that starts the
    rest, the first item page, the page that item starts on), at the latest page break
    before the newest item's page that falls between two items; None if none does."""
    if count - first < 2:
        return None
    top = pages.get(f"pp-{first}")
    last = pages.get(f"pp-{count - 1}")
    if top is None or last is None:
        return None
    for j in range(count - 1, first, -1):
        start, ended = pages.get(f"pp-{j}"), pages.get(f"pq-{j - 1}")
        if start is None or ended is None or start - top < SEAL_MIN_PAGES:
            return None
        if ended < start:  # item j opens its page: the pages before it hold items alone
            return j, top, start
    return None


def _kept(html: str, what: str, rendered: list[str]) -> list[Any]:
    """The pages of ``html``, rendered once and kept under its hash."""
    body, kept = pdfstamp.cached_pdf(html)
    if not kept:
        rendered.append(what)
    return list(PdfReader(BytesIO(body)).pages)


def _part(pieces: Pieces, start: int, stop: int, rendered: list[str]) -> list[Any]:
    return _kept(part_html(pieces, start, stop), f"part:{pieces.ids[start]}", rendered)


def _write(pages: Sequence[Any]) -> bytes:
    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def number_sheet(pages: int, html_of: Any, rendered: list[str]) -> list[Any]:
    """``pages`` pages, each carrying only its page number ("第 n 页 / 共 m 页"): ``html_of(m)``
    is the sheet's HTML, kept under its hash (one sheet a page count and language, whatever
    the record: a district's records share them)."""
    return _kept(html_of(pages), f"sheet:{pages}", rendered)


def parted_pdf(pieces: Pieces, plan_key: str, sheet_html: Any,
               stamp_html: str | None = None) -> Outcome:
    """The numbered body of the document ``pieces`` make: kept whole under the hash of its
    HTML, else joined from kept sealed parts and a fresh rendering of the live document;
    and, with ``stamp_html``, that body stamped (on the pages just joined, when it was
    joined now: not read back)."""
    whole = _digest("\x00".join([pieces.prefix, pieces.head, pieces.summary, *pieces.items,
                                 pieces.trail, pieces.suffix, sheet_html(1)]))
    body_key = f"pdf-parted:{whole}"
    kept = cache.get(body_key)
    if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], bytes):
        return Outcome(body=kept[0], pages=int(kept[1]), kept=True,
                       stamped=pdfstamp.stamped(kept[0], stamp_html) if stamp_html else b"")

    rendered: list[str] = []
    plan_key = f"pdf-plan:{plan_key}:{_digest(pieces.prefix)}"
    starts = _plan(plan_key, pieces)
    count = len(pieces.items)
    live_from = starts.pop() if starts else 0  # the last kept boundary opens the live items
    if live_from >= count:
        live_from, starts = 0, []
    bounds = [*starts, live_from]
    sealed = [_part(pieces, a, b, rendered) for a, b in pairwise(bounds)]

    rendered.append("live")
    document = render_document(live_html(pieces, live_from))
    live = PdfReader(BytesIO(document.write_pdf()))
    at = _anchors(document)
    pages = {name: n for name, (n, _y) in at.items()}
    head_pages = pages.get(f"pp-{live_from}", 0) if count else len(live.pages)
    cut = _seal(pages, live_from, count)
    if cut is not None:  # the item pages before the newest item's page: a new sealed part
        stop, top, start_page = cut
        cut_out = _write(live.pages[top:start_page])
        cache.set(pdfstamp.body_key(part_html(pieces, live_from, stop)), cut_out,
                  pdfstamp.KEEP_SECONDS)
        cache.set(plan_key, [pieces.ids[i] for i in [*starts, live_from, stop]], PLAN_SECONDS)
    elif count:
        cache.set(plan_key, [pieces.ids[i] for i in [*starts, live_from]], PLAN_SECONDS)

    writer = PdfWriter()
    head = list(live.pages[:head_pages])
    over = None  # the summary's first page, drawn below the head on the head's page
    if pieces.summary:
        top_page, top_y = at.get("pp-top", (0, 0.0))
        end_page, end_y = at.get("pp-head", (0, 0.0))
        if head_pages == 1 and top_page == end_page == 0:  # the head shares its page
            summary = _kept(summary_html(pieces, end_y - top_y), "summary", rendered)
            over, head = summary[0], head + summary[1:]
        else:
            head += _kept(summary_html(pieces, 0), "summary", rendered)
    for page in head:
        writer.add_page(page)
    if over is not None:  # after the head's own content: it reads (and is extracted) first
        pdfstamp.draw_over(writer, writer.pages[0],
                           [("/PPSummary", pdfstamp.as_form(writer, over))])
    for part_pages in sealed:
        for page in part_pages:
            writer.add_page(page)
    for page in live.pages[head_pages:]:
        writer.add_page(page)
    if pieces.trail:
        for page in _kept(trail_html(pieces), "trail", rendered):
            writer.add_page(page)
    total = len(writer.pages)
    numbers = number_sheet(total, sheet_html, rendered)
    for n, (page, number) in enumerate(zip(writer.pages, numbers, strict=True), start=1):
        # a name a page: pages of one rendering share their resources
        pdfstamp.draw_over(writer, page, [(f"/PPNumber{n}", pdfstamp.as_form(writer, number))])
    out = BytesIO()
    writer.write(out)
    body = out.getvalue()
    cache.set(body_key, (body, total), pdfstamp.KEEP_SECONDS)
    return Outcome(body=body, pages=total, kept=False, rendered=rendered, parts=len(sealed),
                   stamped=pdfstamp.stamp_writer(writer, stamp_html) if stamp_html else b"")

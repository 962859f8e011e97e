"""PDFs rendered once for what they say and stamped for whoever downloads them.

A record's PDF (the 全程纪实 of a case) depends on what the record holds, which changes
only when something happens, and on who exports it and when, which changes with every
download. The body is rendered by WeasyPrint (the slow part: layout and font subsetting)
and kept in the cache under the hash of its HTML, so any change of content is a new key
and nothing is ever invalidated by hand; the per-download line is a one-page stamp
drawn over every page with pypdf, as a form (issue 13: the 全程纪实 PDF well under a second).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from io import BytesIO
from typing import cast

import weasyprint
from django.core.cache import cache
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
)

# a kept body outlives any one case's next change; the key names the content, not the case
KEEP_SECONDS = 7 * 24 * 3600


def render_pdf(html: str) -> bytes:
    from weasyprint.text.fonts import FontConfiguration

    return bytes(weasyprint.HTML(string=html).render(font_config=FontConfiguration())
                 .write_pdf())


def body_key(html: str) -> str:
    digest = hashlib.sha256(f"{weasyprint.__version__}\n{html}".encode()).hexdigest()
    return f"pdf-body:{digest}"


def cached_pdf(html: str) -> tuple[bytes, bool]:
    """The PDF of ``html``, from the cache when the same HTML was rendered before; and
    whether it came from there."""
    key = body_key(html)
    body = cache.get(key)
    if isinstance(body, bytes):
        return body, True
    body = render_pdf(html)
    cache.set(key, body, KEEP_SECONDS)
    return body, False


def stamped(body: bytes, stamp_html: str) -> bytes:
    """``body`` with the one page of ``stamp_html`` drawn over each of its pages (the stamp
    draws only in the page margin, so nothing of the body is covered)."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(body)))
    return stamp_writer(writer, stamp_html)


def stamp_writer(writer: PdfWriter, stamp_html: str) -> bytes:
    """The pages of ``writer`` with the one page of ``stamp_html`` drawn over each, as one
    form that every page shares, written out (``writer`` is left stamped)."""
    form = as_form(writer, PdfReader(BytesIO(render_pdf(stamp_html))).pages[0])
    for page in writer.pages:
        draw_over(writer, page, [("/PortalStamp", form)])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def css_string(text: str) -> str:
    """``text`` as the inside of a CSS string (a page margin box's ``content``): what could
    end the string or the style element is escaped the CSS way."""
    out = []
    for ch in text:
        if ch in '\\"<>&\n\r' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):X} ")
        else:
            out.append(ch)
    return "".join(out)


# --- pages of several bodies, a stamp of their own over each (issue 13: the registers) ---------


def page_count(bodies: Sequence[bytes]) -> int:
    """How many pages the PDFs ``bodies`` hold together."""
    return sum(len(PdfReader(BytesIO(body)).pages) for body in bodies)


def as_form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """``page`` of another PDF as a form XObject of ``writer`` (drawn where it was drawn,
    with one operator, without parsing that page's content as pypdf's ``merge_page``
    does: most of the joining time on a long record)."""
    contents = page.get_contents()
    plain = DecodedStreamObject()
    plain.set_data(contents.get_data() if contents is not None else b"")
    form = plain.flate_encode()
    resources = page.get("/Resources")
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in page.mediabox]),
        NameObject("/Resources"): (resources.get_object().clone(writer)
                                   if resources is not None else DictionaryObject()),
    })
    return writer._add_object(form)


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def overlaid(bodies: Sequence[bytes], stamps: Sequence[bytes], *, title: str = "") -> bytes:
    """The pages of ``bodies`` one after another, and over each of them each of ``stamps``:
    a one-page stamp over every page, a stamp of several pages page by page (its n-th page
    over the n-th page). Unlike :func:`stamped`, the bodies' content is not read again: a
    stamp is a form XObject that each page draws after its own content, which is wrapped
    in ``q``/``Q`` so that what it leaves of the graphics state cannot move the stamp."""
    writer = PdfWriter()
    for body in bodies:
        for page in PdfReader(BytesIO(body)).pages:
            writer.add_page(page)
    layers = []
    for stamp in stamps:
        pages = PdfReader(BytesIO(stamp)).pages
        layers.append([as_form(writer, page) for page in pages])
    for n, page in enumerate(writer.pages):
        draw_over(writer, page, [
            (f"/PortalStamp{k}p{n}", layer[0] if len(layer) == 1 else layer[n])
            for k, layer in enumerate(layers) if len(layer) == 1 or n < len(layer)])
    if title:
        writer.add_metadata({"/Title": title})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def draw_over(writer: PdfWriter, page: PageObject,
              forms: Sequence[tuple[str, IndirectObject]]) -> None:
    """Draw ``forms`` (named, from :func:`as_form`) over ``page`` of ``writer``, in order:
    the page's own content is left as it is, wrapped in ``q``/``Q`` so that what it leaves
    of the graphics state cannot move a form."""
    if page.get("/Resources") is None:
        page[NameObject("/Resources")] = DictionaryObject()
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    xobjects = cast(DictionaryObject, resources["/XObject"].get_object())
    for name, form in forms:
        xobjects[NameObject(name)] = form
    draws = b"".join(f"q {name} Do Q\n".encode() for name, _form in forms)
    contents = page.get("/Contents")
    own = [] if contents is None else (
        list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject)
        else [contents])
    page[NameObject("/Contents")] = ArrayObject(
        [_stream(writer, b"q\n"), *own, _stream(writer, b"\nQ\n" + draws)])

"""PDFs rendered once for what they say and stamped for whoever downloads them.

A record's PDF (the 全程纪实 of a case) depends on what the record holds, which changes
only when something happens, and on who exports it and when, which changes with every
download. The body is rendered by WeasyPrint (the slow part: layout and font subsetting)
and kept in the cache under the hash of its HTML, so any change of content is a new key
and nothing is ever invalidated by hand; the per-download line is a one-page stamp
merged onto every page with pypdf (issue 13: the 全程纪实 PDF well under a second).
"""

from __future__ import annotations

import hashlib
from io import BytesIO

import weasyprint
from django.core.cache import cache
from pypdf import PdfReader, PdfWriter

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
    """``body`` with the one page of ``stamp_html`` laid over each of its pages (the stamp
    draws only in the page margin, so nothing of the body is covered)."""
    stamp = PdfReader(BytesIO(render_pdf(stamp_html))).pages[0]
    writer = PdfWriter(clone_from=PdfReader(BytesIO(body)))
    for page in writer.pages:
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves the page's content uncompressed
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

"""The publicity notice as an A4 PDF with a QR code to the village's public board."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.idcard import mask_personal
from core.places import words_of
from workflows.models import PublicityNotice
from workflows.visibility import board_contacts
from workflows.wording import signer

FONT = "Noto Sans CJK SC"


def board_url(region_id: int) -> str:
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return f"{base}{reverse('board', args=[region_id])}"


QR_SCALE = 8  # pixels per module of the embedded PNG
QR_BORDER = 4  # the quiet zone, in modules


def qr_png(url: str) -> str:
    """The QR code of ``url`` as a PNG data URI (embedded in the PDF as an image)."""
    import segno

    return str(segno.make(url, error="m").png_data_uri(scale=QR_SCALE, border=QR_BORDER))


def notice_pdf(notice: PublicityNotice, *, public: bool = False) -> bytes:
    """The notice as it is posted: its text, window, the issuing body's 落款 (发布单位, the
    responsible person's signature line, the date and the square for its seal), whom to tell
    of an objection (监督联系人 and 监督电话, when the village has them), and the QR code of
    the board. ``public``: the copy the board
    serves to anyone, with ID and mobile numbers masked as the board shows them."""
    from weasyprint import HTML

    url = board_url(notice.region_id)
    case = notice.case
    shown = mask_personal if public else str
    # whom to tell of an objection: the supervisory committee's members with their mobiles,
    # as the public board names them (so unmasked in the public copy too)
    contacts = [{"name": m.user.get_full_name(), "mobile": m.user.mobile}
                for m in board_contacts(notice.region)]
    html = render_to_string("workflows/notice_pdf.html", {
        "notice": notice, "case": case, "village": notice.region, "board_url": url,
        "qr": qr_png(url), "font": FONT, "words": words_of(notice.region),
        "title": shown(notice.title), "content": shown(notice.content or case.title),
        "signer": signer(case.spec, notice.step, notice.region),
        "contacts": contacts,
    })
    return bytes(HTML(string=html).write_pdf())

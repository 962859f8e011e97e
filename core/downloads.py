"""How every download is named: in Chinese for the reader, with an ASCII name for old clients.

``Content-Disposition: attachment; filename="seal_register_committee-330299101201-2026-12-02.xlsx";
filename*=UTF-8''%E6%A1%83%E8%8A%B1%E6%9D%91-…xlsx`` (RFC 6266 and RFC 8187): a browser saves
``桃花村-村委会印章用印登记簿-2026-12-02.xlsx``; a client that reads only ``filename`` gets the
ASCII one. Used by the register, roster, table and dashboard downloads.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponseBase
from django.utils import timezone

# Characters no file system takes in a name (Windows' list), and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def local_date(when: dt.datetime | None = None) -> str:
    """The local date a download is stamped with: 2026-12-02."""
    return timezone.localtime(when or timezone.now()).strftime("%Y-%m-%d")


def file_name(*parts: str, ext: str) -> str:
    """``parts`` joined by hyphens into a name any file system takes: 桃花村-…-2026-12-02.xlsx."""
    cleaned = [_UNSAFE.sub("_", unicodedata.normalize("NFC", str(p))).strip(" ._") for p in parts]
    return "-".join(p for p in cleaned if p) + f".{ext}"


def ascii_name(name: str) -> str:
    """``name`` with anything but ASCII letters, digits, dots, hyphens and underscores
    replaced: the ``filename`` a client without RFC 6266 support reads."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = _NOT_ASCII_NAME.sub("_", stem).strip("_-.") or "download"
    ext = _NOT_ASCII_NAME.sub("", ext)
    return f"{stem}.{ext}" if ext else stem


def content_disposition(name: str, fallback: str, *, inline: bool = False) -> str:
    how = "inline" if inline else "attachment"
    plain = ascii_name(fallback)
    if name == plain:
        return f'{how}; filename="{plain}"'
    return f"{how}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def name_download(response: HttpResponseBase, name: str, fallback: str, *,
                  inline: bool = False) -> HttpResponseBase:
    """Set ``response``'s Content-Disposition to ``name`` (any language) with ``fallback``
    (made ASCII) for old clients; returns the response."""
    response["Content-Disposition"] = content_disposition(name, fallback, inline=inline)
    return response

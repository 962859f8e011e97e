"""Download names: Chinese for the reader, ASCII for old clients, safe on any file system."""

from django.http import HttpResponse

from core.downloads import ascii_name, content_disposition, file_name, name_download


def test_a_name_joins_its_parts_and_drops_what_no_file_system_takes():
    assert file_name("桃花村", "村委会印章用印登记簿", "2026-12-02", ext="xlsx") == \
        "桃花村-村委会印章用印登记簿-2026-12-02.xlsx"
    assert file_name("a/b", 'c:"d"', "", ext="pdf") == "a_b-c_d.pdf"


def test_the_fallback_is_plain_ascii_and_a_plain_name_needs_no_filename_star():
    assert ascii_name("桃花村-登记簿.xlsx") == "download.xlsx"
    assert ascii_name('x"; evil=1.pdf') == "x_evil_1.pdf"
    assert content_disposition("seal-1.xlsx", "seal-1.xlsx") == 'attachment; filename="seal-1.xlsx"'


def test_the_header_carries_both_names():
    response = name_download(HttpResponse(b""), "桃花村-登记簿.xlsx", "seal-330299101201.xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="seal-330299101201.xlsx"; '
        "filename*=UTF-8''%E6%A1%83%E8%8A%B1%E6%9D%91-%E7%99%BB%E8%AE%B0%E7%B0%BF.xlsx")

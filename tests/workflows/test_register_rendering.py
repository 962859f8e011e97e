"""Register rendering: Chinese text, repeated header, page numbers, named font; safe Excel."""

import datetime as dt
import io
import subprocess

import openpyxl

from workflows.rendering import render_register_pdf, render_register_xlsx

COLUMNS = (("no", "序号"), ("date", "日期"), ("purpose", "事由"), ("who", "经办人"))


def text_of(pdf: bytes, tmp_path, page: int | None = None) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-layout"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_holds_the_chinese_rows_on_numbered_pages_with_repeated_header(tmp_path):
    rows = [(i, dt.date(2026, 11, 1), f"第{i}次出具证明", "陶学军") for i in range(1, 121)]
    pdf = render_register_pdf(title="桃花村用印登记簿", subtitle="示范区东城镇桃花村",
                              columns=COLUMNS, rows=rows)
    whole = "".join(text_of(pdf, tmp_path).split())
    assert "桃花村用印登记簿" in whole
    assert "第120次出具证明" in whole
    assert "第1页/共" in whole
    second = "".join(text_of(pdf, tmp_path, page=2).split())
    assert "事由" in second  # the header repeats on page 2
    fonts = subprocess.run(["pdffonts", str(tmp_path / "r.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts


def test_pdf_escapes_markup(tmp_path):
    pdf = render_register_pdf(title="t", subtitle="s", columns=COLUMNS,
                              rows=[(1, None, "<b>粗体</b>", "&")])
    assert "<b>粗体</b>" in text_of(pdf, tmp_path)


def test_xlsx_escapes_formulas_and_keeps_dates():
    body = render_register_xlsx(title="登记簿", columns=COLUMNS, rows=[
        (1, dt.date(2026, 11, 3), "=HYPERLINK(\"http://x\")", "+1"),
    ])
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert [c.value for c in sheet[1]] == ["序号", "日期", "事由", "经办人"]
    assert sheet["C2"].value == "'=HYPERLINK(\"http://x\")"
    assert sheet["C2"].data_type == "s"
    assert sheet["D2"].value == "'+1"
    assert sheet["B2"].value.date() == dt.date(2026, 11, 3)


def test_short_values_do_not_break_inside_a_narrow_column_beside_long_ones(tmp_path):
    columns = (("no", "序号"), ("place", "地点"), ("found", "发现的隐患"),
               ("measure", "整改措施"), ("result", "复查结果"), ("date", "日期"),
               ("who", "责任人"), ("note", "备注"))
    long_text = "仓库内堆放大量易燃杂物且消防通道被占用,灭火器过期未更换," * 2
    rows = [(i, "村仓库", long_text, long_text, "已整改到位", dt.date(2026, 11, 3),
             "陶学军", long_text) for i in range(1, 6)]
    pdf = render_register_pdf(title="隐患排查台账", subtitle="桃花村", columns=columns,
                              rows=rows)
    lines = text_of(pdf, tmp_path).splitlines()
    # each short value stands whole on one line of the layout text, five times
    assert sum(line.count("村仓库") for line in lines) == 5
    assert sum(line.count("2026-11-03") for line in lines) == 5
    assert sum(line.count("已整改到位") for line in lines) == 5

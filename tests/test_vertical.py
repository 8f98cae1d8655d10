"""Vertical headlines and kickers (竖题): cells, vertical forms, reading order, spec errors."""
import shutil
import subprocess

import pytest
from pytest import approx

from layout.build import build, compose
from layout.text.vertical import set_vertical

from .audit import audit
from .conftest import ROOT, FixedMetrics, edit

PAGE = ROOT / "tests" / "fixtures" / "pages" / "vertical" / "page.yaml"
EM = 20.0


def cells(text, height=1000.0):
    columns, missing = set_vertical(text, "hei", EM, FixedMetrics(), height)
    assert not missing
    return columns


def test_marks_take_their_vertical_forms_and_latin_follows_clreq_3_3():
    col = cells("聚合力，“共建”12件2024年")[0]
    by_text = {c.text: c for c in col.cells}
    assert by_text["聚"].rotate == 0 and by_text["聚"].dx == approx(-EM / 2)      # Han upright, centred
    assert by_text["，"].rotate == 0 and by_text["，"].dx == approx(0)            # ，to the upper right
    assert by_text["，"].dy == approx((0.88 - 0.5) * EM)
    assert by_text["“"].rotate == 90 and by_text["”"].rotate == 90               # quotes turned
    assert by_text["12"].rotate == 0 and by_text["12"].height == approx(EM)      # 纵中横: two digits upright
    assert by_text["2024"].rotate == 90 and by_text["2024"].height == approx(2 * EM)   # longer runs turned
    assert col.height == approx(sum(c.height for c in col.cells))


def test_columns_keep_the_line_start_and_end_rules():
    columns = cells("四圈共建聚合力，惠民生", height=7 * EM)
    assert [c.text for c in columns[1].cells][0] != "，"
    assert [c.text for c in columns[0].cells][-1] == "合"           # 力 went down with its comma (后推出)
    columns = cells("共建聚合力民生“四圈”", height=6 * EM)
    assert columns[0].cells[-1].text != "“"


@pytest.fixture(scope="module")
def vertical_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("vertical") / "vertical.pdf"
    build(PAGE, out)
    return out


def test_the_vertical_page_passes_the_audit(vertical_pdf):
    assert audit(vertical_pdf, PAGE) == []


def test_the_vertical_heading_extracts_in_reading_order(vertical_pdf):
    text = subprocess.run(["pdftotext", "-raw", str(vertical_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "".join(text.split()).startswith("基层治理·2024“四圈共建”聚合力，12件实事惠民生本报讯")


def test_the_heading_sits_in_the_rightmost_column_and_the_body_beside_it():
    page = compose(PAGE)
    heads = [it for it in page.layout.items if getattr(it, "role", "") in ("kicker", "headline")]
    body = [it for it in page.layout.items if getattr(it, "role", "") == "body"]
    assert heads and body
    assert min(it.x for it in heads) > max(it.x for it in body)
    assert any(it.rotate == 90 for it in heads)


def test_a_vertical_headline_needs_two_columns(tmp_path):
    dest = tmp_path / "vertical"
    shutil.copytree(PAGE.parent, dest)
    edit(dest / "page.yaml", "size: [4, 17]", "size: [1, 17]")
    with pytest.raises(Exception) as err:
        compose(dest / "page.yaml")
    assert "headline_direction" in str(err.value) or "2 columns" in str(err.value)

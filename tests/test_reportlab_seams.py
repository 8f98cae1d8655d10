"""Where layout/render/ reaches into ReportLab's internals (layout/render/seams.py): every seam still holds with
the installed ReportLab, a change in what a seam relies on is reported naming that seam, ReportLab is imported
nowhere else in the package, and pyproject.toml's bound admits the installed release."""
from __future__ import annotations

import re
import tomllib

import pytest
import reportlab
from packaging.requirements import Requirement

from layout.fonts import load_catalog
from layout.render import seams

from .conftest import ROOT

ICC = ROOT / "layout" / "profiles" / "ISOcoated_v2_300_bas.icc"


@pytest.fixture(scope="module")
def resources():
    return seams.default_resources(load_catalog().face("DejaVu Sans").embeddable_path(), ICC)


@pytest.mark.parametrize("seam", seams.SEAMS, ids=[s.name for s in seams.SEAMS])
def test_seam_holds(seam, resources):
    problems = seam.check(resources)
    assert not problems, (f"ReportLab {reportlab.Version} broke the patch '{seam.name}' ({seam.where}; it relies "
                          f"on: {seam.relies_on}):\n  " + "\n  ".join(problems))


def _break_addobjects(monkeypatch):
    from reportlab.pdfbase import ttfonts

    def addObjects(self, doc):          # a ReportLab that builds the map another way
        return None
    monkeypatch.setattr(ttfonts.TTFont, "addObjects", addObjects)


def _break_flate(monkeypatch):
    from reportlab.pdfbase import pdfdoc
    monkeypatch.setattr(pdfdoc, "PDFZCompress", pdfdoc.PDFStreamFilterZCompress())


def _break_ttfont_init(monkeypatch):
    from reportlab.pdfbase import ttfonts
    init = ttfonts.TTFont.__init__

    def __init__(self, *args, **kwargs):    # a ReportLab whose constructor sets one more attribute
        init(self, *args, **kwargs)
        self.newAttribute = 1
    monkeypatch.setattr(ttfonts.TTFont, "__init__", __init__)


def _break_a85(monkeypatch):
    from reportlab import rl_config
    monkeypatch.delattr(rl_config, "useA85")


def _break_jpeg(monkeypatch):
    from layout.render import pdf
    monkeypatch.delattr(pdf._JpegReader, "jpeg_fh")     # as if drawImage() stopped asking the reader for it


def _break_state(monkeypatch):
    from reportlab.pdfbase import ttfonts
    split = ttfonts.TTFont.splitString

    def splitString(self, text, doc, encoding="utf-8"):   # a ReportLab whose State keeps one more thing
        got = split(self, text, doc, encoding)
        self.state[doc].used = text
        return got
    monkeypatch.setattr(ttfonts.TTFont, "splitString", splitString)


def _break_text_object(monkeypatch):
    from reportlab.pdfgen.textobject import PDFTextObject
    origin = PDFTextObject.setTextOrigin

    def setTextOrigin(self, x, y):        # a ReportLab whose text object writes what it counted before
        self.placed = getattr(self, "placed", 0) + 1
        self._code.append(f"% {self.placed}")
        origin(self, x, y)
    monkeypatch.setattr(PDFTextObject, "setTextOrigin", setTextOrigin)


@pytest.mark.parametrize("change, name", [
    (_break_addobjects, "subset widths as bytes"),
    (_break_state, "codes learnt for the page"),
    (_break_text_object, "recorded segments"),
    (_break_addobjects, "astral ToUnicode patch"),
    (_break_flate, "memoised Flate filter"),
    (_break_ttfont_init, "parsed-face cache"),
    (_break_a85, "binary streams (process-wide rl_config.useA85 = 0)"),
    (_break_jpeg, "JPEG passthrough reader"),
])
def test_a_changed_reportlab_is_reported_naming_the_patch(change, name, resources, monkeypatch):
    change(monkeypatch)
    found = seams.broken(resources)
    assert name in {seam for seam, _ in found}, found


def test_reportlab_is_imported_only_under_layout_render():
    pattern = re.compile(r"^\s*(from|import)\s+reportlab\b", re.M)
    outside = [str(p.relative_to(ROOT)) for p in (ROOT / "layout").rglob("*.py")
               if "render" not in p.relative_to(ROOT / "layout").parts[:1] and pattern.search(p.read_text("utf-8"))]
    assert outside == []


def test_pyproject_bounds_reportlab_to_the_tested_releases():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    requirement = next(Requirement(d) for d in deps if Requirement(d).name == "reportlab")
    assert any(s.operator == "<" for s in requirement.specifier), "no upper bound on reportlab"
    assert requirement.specifier.contains(reportlab.Version), (
        f"ReportLab {reportlab.Version} is installed but pyproject.toml admits {requirement.specifier}")

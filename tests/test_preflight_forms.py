"""`layout preflight` reads a page as a PDF consumer draws it (layout/preflight_content.py): colour inside forms,
nested forms, patterns, shadings, inline images and annotation appearances is found and named by where it is;
the graphics state (q/Q, colour spaces, overprint, text render mode) decides what is painted; cycles and depth
are guarded."""
from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from layout.preflight import preflight
from layout.plant import MIN_PPI
from layout.preflight_content import MAX_DEPTH

RED_BOX = b"1 0 0 rg 10 10 50 50 re f"
CMYK_BOX = b"0 0.5 0.5 0 k 10 10 50 50 re f"


def _page(pdf: pikepdf.Pdf, content: bytes, resources: Dictionary | None = None) -> pikepdf.Page:
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[-1]
    page.obj.TrimBox = Array([0, 0, 200, 200])
    page.obj.Resources = resources if resources is not None else Dictionary()
    page.obj.Contents = pdf.make_stream(content)
    return page


def _form(pdf: pikepdf.Pdf, content: bytes, resources: Dictionary | None = None) -> pikepdf.Stream:
    form = pdf.make_stream(content, Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 200, 200]))
    if resources is not None:
        form.Resources = resources
    return form


def _colour_findings(pdf: pikepdf.Pdf, tmp_path, flavour_x4: bool = False) -> list:
    """The findings about what is painted (the document-level ones of these bare files left out)."""
    if flavour_x4:
        pdf.docinfo[Name.GTS_PDFXVersion] = "PDF/X-4"
    path = tmp_path / "t.pdf"
    pdf.save(path)
    prefix = f"{path}: "
    return [str(f).replace(prefix, "") for f in preflight(path)
            if "page " in str(f) and "TrimBox" not in str(f) and "BleedBox" not in str(f)]


def test_rgb_in_a_form(tmp_path):
    pdf = pikepdf.new()
    form = _form(pdf, RED_BOX)
    _page(pdf, b"q /Fm0 Do Q", Dictionary(XObject=Dictionary(Fm0=form)))
    assert _colour_findings(pdf, tmp_path) == ["error: page 1, form /Fm0: RGB colour (/DeviceRGB) in a fill; use CMYK"]


def test_rgb_in_a_nested_form_whose_resources_fall_back_to_the_page(tmp_path):
    """The inner form has no /Resources: names resolve in the form that draws it (here the page's /CS0)."""
    pdf = pikepdf.new()
    inner = _form(pdf, b"/CS0 cs 0 1 0 sc 0 0 5 5 re f")
    outer = _form(pdf, b"/Inner Do", Dictionary(XObject=Dictionary(Inner=inner),
                                                ColorSpace=Dictionary(CS0=Name.DeviceRGB)))
    _page(pdf, b"/Outer Do", Dictionary(XObject=Dictionary(Outer=outer)))
    assert _colour_findings(pdf, tmp_path) == [
        "error: page 1, form /Outer › form /Inner: RGB colour (/DeviceRGB) in a fill; use CMYK"]


def test_coloured_tiling_pattern_uncoloured_pattern_and_shading_pattern(tmp_path):
    pdf = pikepdf.new()
    tile = pdf.make_stream(RED_BOX, Type=Name.Pattern, PatternType=1, PaintType=1, TilingType=1,
                           BBox=Array([0, 0, 10, 10]), XStep=10, YStep=10, Resources=Dictionary())
    stencil = pdf.make_stream(b"0 0 5 5 re f", Type=Name.Pattern, PatternType=1, PaintType=2, TilingType=1,
                              BBox=Array([0, 0, 10, 10]), XStep=10, YStep=10, Resources=Dictionary())
    ramp = Dictionary(ShadingType=2, ColorSpace=Name.DeviceRGB, Coords=Array([0, 0, 100, 0]),
                      Function=Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([1, 0, 0]),
                                          C1=Array([0, 0, 1]), N=1))
    shaded = Dictionary(Type=Name.Pattern, PatternType=2, Shading=ramp)
    resources = Dictionary(Pattern=Dictionary(P0=tile, P1=stencil, P2=shaded),
                           ColorSpace=Dictionary(UP=Array([Name.Pattern, Name.DeviceRGB])))
    _page(pdf, b"/Pattern cs /P0 scn 0 0 50 50 re f  /UP cs 1 0 0 /P1 scn 0 0 50 50 re f "
               b"/Pattern CS /P2 SCN 2 w 0 0 m 50 50 l S", resources)
    assert _colour_findings(pdf, tmp_path) == [
        "error: page 1, pattern /P0: RGB colour (/DeviceRGB) in a fill; use CMYK",
        "error: page 1: RGB colour (/DeviceRGB) in a fill (pattern /P1); use CMYK",
        "error: page 1, pattern /P2: RGB colour (/DeviceRGB) in a line; use CMYK"]


def test_sh_and_rgb_images_inline_indexed_and_as_a_mask_colour(tmp_path):
    pdf = pikepdf.new()
    ramp = Dictionary(ShadingType=2, ColorSpace=Array([Name.ICCBased, pdf.make_stream(b"", N=3)]),
                      Coords=Array([0, 0, 100, 0]),
                      Function=Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([1, 0, 0]),
                                          C1=Array([0, 0, 1]), N=1))
    indexed = pdf.make_stream(b"\x00\x01", Type=Name.XObject, Subtype=Name.Image, Width=2, Height=1,
                              BitsPerComponent=8,
                              ColorSpace=Array([Name.Indexed, Name.DeviceRGB, 1, pikepdf.String(b"\xff\0\0\0\xff\0")]))
    mask = pdf.make_stream(b"\x80", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
                           BitsPerComponent=1, ImageMask=True)
    resources = Dictionary(Shading=Dictionary(Sh0=ramp), XObject=Dictionary(Im0=indexed, Mask=mask))
    _page(pdf, b"/Sh0 sh  q 300 0 0 300 0 0 cm /Im0 Do Q "
               b"q 300 0 0 300 0 0 cm BI /W 2 /H 1 /CS /RGB /BPC 8 ID \x01\x02\x03\x04\x05\x06 EI Q "
               b"q 0 0 1 rg 300 0 0 300 0 0 cm /Mask Do Q", resources)
    assert _colour_findings(pdf, tmp_path) == [
        "error: page 1: RGB colour (/ICCBased) in a shading; use CMYK",
        "error: page 1: an RGB image; convert it to CMYK",
        f"error: page 1: an image at 0 ppi, under {MIN_PPI}",
        "error: page 1: an RGB image; convert it to CMYK",
        f"error: page 1: an image at 0 ppi, under {MIN_PPI}",
        "error: page 1: RGB colour (/DeviceRGB) in an image mask; use CMYK"]


def test_rgb_in_an_annotation_appearance(tmp_path):
    pdf = pikepdf.new()
    page = _page(pdf, CMYK_BOX)
    appearance = _form(pdf, b"0 0 1 RG 2 w 0 0 m 20 20 l S")
    page.obj.Annots = pdf.make_indirect(Array([
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 10, 10])),     # no appearance
        Dictionary(Type=Name.Annot, Subtype=Name.Square, Rect=Array([0, 0, 20, 20]), F=4,
                   AP=Dictionary(N=appearance))]))
    assert _colour_findings(pdf, tmp_path) == [
        "error: page 1, annotation 2 (/Square): RGB colour (/DeviceRGB) in a line; use CMYK"]


def test_a_form_that_draws_itself_is_reported_not_followed(tmp_path):
    pdf = pikepdf.new()
    loop = pdf.make_indirect(_form(pdf, RED_BOX + b" /Me Do"))
    loop.Resources = Dictionary(XObject=Dictionary(Me=loop))
    _page(pdf, b"/Fm0 Do", Dictionary(XObject=Dictionary(Fm0=loop)))
    assert _colour_findings(pdf, tmp_path) == [
        "error: page 1, form /Fm0: RGB colour (/DeviceRGB) in a fill; use CMYK",
        "error: page 1, form /Fm0: form /Me draws itself (a cycle); a RIP may loop or fail on it"]


def test_forms_nested_too_deep_are_reported(tmp_path):
    pdf = pikepdf.new()
    form = _form(pdf, RED_BOX)
    for level in range(MAX_DEPTH + 2):
        form = _form(pdf, b"/X Do", Dictionary(XObject=Dictionary(X=form)))
    _page(pdf, b"/X Do", Dictionary(XObject=Dictionary(X=form)))
    found = _colour_findings(pdf, tmp_path)
    assert len(found) == 1 and found[0].endswith(f"form /X is nested deeper than {MAX_DEPTH} levels; not followed")
    assert found[0].count("form /X") == MAX_DEPTH + 1


def test_graphics_state_decides_what_is_painted(tmp_path):
    """Colour set inside q … Q is gone after Q; colour set but never painted, and invisible text, are not
    findings; text painted by its outline (Tr 1) uses the stroke colour; ExtGState overprint follows q/Q."""
    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    resources = Dictionary(Font=Dictionary(F1=font),
                           ExtGState=Dictionary(OP=Dictionary(OP=True, op=True, OPM=1)))
    _page(pdf, b"q 1 0 0 rg Q 10 10 50 50 re f  1 0 0 rg 0 0 0 1 k 10 10 5 5 re f "
               b"q BT /F1 12 Tf 3 Tr 1 0 0 rg 20 20 Td (hidden) Tj ET Q "
               b"q /OP gs BT /F1 12 Tf 0 0 0 1 k 20 40 Td (black) Tj ET Q "
               b"BT /F1 12 Tf 0 0 0 1 k 20 60 Td (knockout) Tj ET "
               b"BT /F1 14 Tf 1 Tr 0 1 0 RG 20 80 Td (outline) Tj ET", resources)
    assert _colour_findings(pdf, tmp_path) == [
        "error: page 1: font /Helvetica is not embedded",
        "error: page 1: 100 K text does not overprint (needs op true, OPM 1)",
        "error: page 1: RGB colour (/DeviceRGB) in text; use CMYK"]


def test_device_independent_colour_is_an_error_in_pdfx1a_only(tmp_path):
    pdf = pikepdf.new()
    _page(pdf, b"/L cs 50 0 0 sc 0 0 9 9 re f",
          Dictionary(ColorSpace=Dictionary(L=Array([Name.Lab, Dictionary(WhitePoint=Array([0.95, 1, 1.09]))]))))
    x1a = _colour_findings(pdf, tmp_path)
    assert x1a == ["error: page 1: device-independent colour (/Lab) in a fill; PDF/X-1a allows DeviceCMYK, "
                   "DeviceGray and spot colours"]
    assert _colour_findings(pdf, tmp_path, flavour_x4=True) == []


@pytest.mark.parametrize("content", [b"/Nowhere Do", b"/Missing gs", b"1 0 rg 0 0 9 9 re f"])
def test_missing_resources_and_malformed_operations_are_named(content, tmp_path):
    pdf = pikepdf.new()
    _page(pdf, content)
    found = _colour_findings(pdf, tmp_path)
    assert len(found) == 1 and found[0].startswith("error: page 1: ")
    assert ("not in the resources" in found[0]) != ("malformed `rg`" in found[0])


def test_transparency_inside_a_form_is_named_with_the_form(tmp_path):
    """PDF/X-1a: a form that is a transparency group, and a translucent ExtGState in its own resources."""
    pdf = pikepdf.new()
    form = _form(pdf, b"/Half gs " + CMYK_BOX, Dictionary(ExtGState=Dictionary(Half=Dictionary(ca=0.5))))
    form.Group = Dictionary(S=Name.Transparency)
    _page(pdf, b"/Fm0 Do", Dictionary(XObject=Dictionary(Fm0=form)))
    assert _colour_findings(pdf, tmp_path) == [
        "error: page 1, form /Fm0: transparency in ExtGState /Half; PDF/X-1a forbids it",
        "error: page 1, form /Fm0: a transparency group; PDF/X-1a forbids it"]
    assert _colour_findings(pdf, tmp_path, flavour_x4=True) == []


# --------------------------------------------------------------------------- a form's BBox clips what it paints


def _bboxed(pdf: pikepdf.Pdf, content: bytes, bbox, **extra) -> pikepdf.Stream:
    return pdf.make_stream(content, Type=Name.XObject, Subtype=Name.Form, BBox=Array(bbox), **extra)


def test_paint_outside_a_forms_bbox_is_invisible_and_not_reported(tmp_path):
    """A form paints only inside its BBox: an RGB fill, line and text wholly outside it are never seen; the
    same marks straddling the edge are (a consumer draws the part inside)."""
    pdf = pikepdf.new()
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    outside = _bboxed(pdf, b"1 0 0 rg 100 100 50 50 re f  0 1 0 RG 2 w 120 10 m 150 40 l S "
                           b"BT /F1 12 Tf 1 0 0 rg 0 1 0 RG 1 Tr 110 20 Td (out) Tj ET", [0, 0, 50, 50],
                      Resources=Dictionary(Font=Dictionary(F1=font)))
    straddling = _bboxed(pdf, b"1 0 0 rg 40 40 50 50 re f", [0, 0, 50, 50])
    _page(pdf, b"/Out Do /Edge Do", Dictionary(XObject=Dictionary(Out=outside, Edge=straddling)))
    assert _colour_findings(pdf, tmp_path) == [
        "error: page 1, form /Out: font /Helvetica is not embedded",
        "error: page 1, form /Edge: RGB colour (/DeviceRGB) in a fill; use CMYK"]


def test_a_forms_bbox_is_placed_by_its_matrix_and_the_ctm(tmp_path):
    """The BBox is in form space: moved by /Matrix and `cm` it clips where the form is drawn; a form drawn
    wholly off the page paints nothing that prints (drawn again on the page, it is read there); nested
    forms clip within their parent's BBox."""
    pdf = pikepdf.new()
    moved = _bboxed(pdf, b"1 0 0 rg 0 0 10 10 re f", [0, 0, 20, 20], Matrix=Array([1, 0, 0, 1, 100, 100]))
    twice = _bboxed(pdf, b"1 0 0 rg 0 0 10 10 re f", [0, 0, 20, 20])
    inner = _bboxed(pdf, b"1 0 0 rg 30 30 10 10 re f", [0, 0, 100, 100])     # its own BBox holds the fill…
    outer = _bboxed(pdf, b"/In Do", [0, 0, 20, 20], Resources=Dictionary(XObject=Dictionary(In=inner)))
    _page(pdf, b"/Moved Do  q 1 0 0 1 500 500 cm /Twice Do Q  /Outer Do  q 1 0 0 1 50 0 cm /Twice Do Q",
          Dictionary(XObject=Dictionary(Moved=moved, Twice=twice, Outer=outer)))     # … its parent's does not
    assert _colour_findings(pdf, tmp_path) == ["error: page 1, form /Moved: RGB colour (/DeviceRGB) in a fill; use CMYK",
                                               "error: page 1, form /Twice: RGB colour (/DeviceRGB) in a fill; use CMYK"]


def test_a_clipping_path_hides_what_lies_outside_it(tmp_path):
    """`W n` clips as a form's BBox does, until Q; paint outside the page's bleed (here its trim) is not
    reported either. Three fills over the ink limit, each its own total: only the visible one is found."""
    pdf = pikepdf.new()
    _page(pdf, b"q 0 0 50 50 re W n 1 1 1 0.5 k 100 100 20 20 re f Q  1 1 1 0.6 k 300 300 20 20 re f "
               b"1 1 1 0.7 k 100 100 20 20 re f")
    assert _colour_findings(pdf, tmp_path) == ["error: page 1: a fill uses 370 % ink, over the 240 % limit"]


# --------------------------------------------------------------------------- spot colours' alternate spaces


def _tint(n_out: int) -> Dictionary:
    return Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0] * n_out), C1=Array([1] * n_out), N=1)


def test_a_spot_colour_with_an_rgb_alternate_is_an_error(tmp_path):
    """A press without the spot's plate prints it through its alternate: an RGB alternate is RGB on the
    page (PDF/X-1a allows DeviceCMYK/DeviceGray alternates; the newspaper X-4 variants forbid RGB)."""
    pdf = pikepdf.new()
    rgb_spot = Array([Name.Separation, Name("/PANTONE 185 C"), Name.DeviceRGB, _tint(3)])
    cmyk_spot = Array([Name.Separation, Name("/PANTONE 300 C"), Name.DeviceCMYK, _tint(4)])
    duo = Array([Name.DeviceN, Array([Name("/Gold"), Name("/Silver")]),
                 Array([Name.ICCBased, pdf.make_stream(b"", N=3)]),
                 Dictionary(FunctionType=2, Domain=Array([0, 1, 0, 1]), C0=Array([0, 0, 0]), C1=Array([1, 1, 1]), N=1)])
    _page(pdf, b"/Red cs 1 sc 0 0 9 9 re f  /Blue cs 1 sc 0 0 9 9 re f  /Duo CS 1 1 SC 0 0 m 9 9 l S",
          Dictionary(ColorSpace=Dictionary(Red=rgb_spot, Blue=cmyk_spot, Duo=duo)))
    expected = [
        "error: page 1: spot colour /Separation /PANTONE 185 C has an RGB alternate (/DeviceRGB) in a fill; "
        "give it a CMYK alternate",
        "error: page 1: spot colour /DeviceN /Gold /Silver has an RGB alternate (/ICCBased) in a line; "
        "give it a CMYK alternate"]
    assert _colour_findings(pdf, tmp_path) == expected
    assert _colour_findings(pdf, tmp_path, flavour_x4=True) == expected


def test_a_spot_colours_lab_alternate_is_allowed_in_x4_only(tmp_path):
    pdf = pikepdf.new()
    lab = Array([Name.Lab, Dictionary(WhitePoint=Array([0.95, 1, 1.09]))])
    spot = Array([Name.Separation, Name("/Gold"), lab, _tint(3)])
    image = pdf.make_stream(b"\xff", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1, BitsPerComponent=8,
                            ColorSpace=spot)
    _page(pdf, b"q 200 0 0 200 0 0 cm /Im0 Do Q", Dictionary(XObject=Dictionary(Im0=image)))
    assert [f for f in _colour_findings(pdf, tmp_path) if "ppi" not in f] == [
        "error: page 1: spot colour /Separation /Gold has a device-independent alternate (/Lab) in an image; "
        "PDF/X-1a allows a DeviceCMYK or DeviceGray alternate"]
    assert [f for f in _colour_findings(pdf, tmp_path, flavour_x4=True) if "ppi" not in f] == []

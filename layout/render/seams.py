"""Every place the renderer reaches into ReportLab's internals, what each relies on, and a check that it still holds.

ReportLab's public API cannot give what the renderer needs (fast rebuilds, correct ToUnicode maps beyond
U+FFFF, PDF/X keys written by ReportLab itself), so layout/render/ patches a function, replaces a module
global, builds objects without their constructors and sets a process-wide option. Each such seam is listed
in SEAMS with what it relies on; tests/test_reportlab_seams.py runs every check and fails naming the seam
when a ReportLab release changes what it relies on. pyproject.toml bounds ReportLab to the versions the
suite passed with; raise the bound only after this check and the suite pass with the new release.
"""
from __future__ import annotations

import inspect
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from . import parts as _parts
from . import pdf as _pdf
from . import pdfx as _pdfx
from . import rl_fonts


@dataclass(frozen=True)
class Seam:
    """One reach into ReportLab: its name, where it lives, what it relies on, and its check."""
    name: str
    where: str
    relies_on: str
    check: Callable[[dict], list]      # (resources: {"ttf": Path, "jpeg": bytes, "icc": Path}) -> problems


def _names(function) -> set:
    """The global and attribute names a function's code looks up."""
    return set(getattr(function, "__code__", None).co_names) if hasattr(function, "__code__") else set()


def _module_names(module) -> set:
    """Every name looked up by the functions and methods defined in a module."""
    found = set()
    for value in vars(module).values():
        members = vars(value).values() if inspect.isclass(value) else (value,)
        for member in members:
            if inspect.isfunction(member) and member.__module__ == module.__name__:
                found |= _names(member)
    return found


def _astral_to_unicode(_resources) -> list:
    problems = []
    patched = ttfonts.makeToUnicodeCMap
    if not rl_fonts.to_unicode_is_patched():
        return ["ttfonts.makeToUnicodeCMap is not the wrapped function (the patch was not applied)"]
    original = patched.__wrapped__
    if list(inspect.signature(original).parameters) != ["fontname", "subset"]:
        problems.append(f"makeToUnicodeCMap{inspect.signature(original)} no longer takes (fontname, subset)")
    if "makeToUnicodeCMap" not in _names(ttfonts.TTFont.addObjects):
        problems.append("TTFont.addObjects no longer looks makeToUnicodeCMap up as a module global: the "
                        "patched function is never called")
    try:
        plain = original("X", [0, 0x4E2D, 0x20BB7])
    except Exception as e:  # noqa: BLE001 - any failure is a broken seam, reported by name
        return problems + [f"makeToUnicodeCMap('X', [...]) raises {e!r}"]
    if "<01> <4E2D>" not in plain:
        problems.append("makeToUnicodeCMap no longer writes entries as '<%02X> <%04X>' (the lines the patch rewrites)")
    if "<02> <20BB7>" not in plain and "<02> <D842DFB7>" not in plain:
        problems.append("makeToUnicodeCMap writes U+20BB7 neither as before (<20BB7>) nor as UTF-16 (<D842DFB7>)")
    if "<02> <D842DFB7>" not in patched("X", [0, 0x4E2D, 0x20BB7]):
        problems.append("the patched map does not hold U+20BB7 as the surrogate pair <D842DFB7>")
    return problems


def _face_cache(resources) -> list:
    problems = []
    ttf = str(resources["ttf"])
    reference = ttfonts.TTFont("SeamCheck", ttf)
    ours = rl_fonts._ttfont_around("SeamCheck", reference.face)
    theirs_attrs, our_attrs = set(vars(reference)), set(vars(ours))
    if theirs_attrs != our_attrs:
        problems.append(f"TTFont.__init__ now sets {sorted(theirs_attrs - our_attrs)} and no longer sets "
                        f"{sorted(our_attrs - theirs_attrs)}: _ttfont_around() must do what it does")
    for name in theirs_attrs & our_attrs - {"face", "state", "encoding"}:
        if getattr(reference, name) != getattr(ours, name):
            problems.append(f"TTFont.{name} is {getattr(reference, name)!r}; _ttfont_around() sets "
                            f"{getattr(ours, name)!r}")
    face = reference.face
    missing = [n for n in rl_fonts._NOT_STORED if n not in vars(face)]
    if missing:
        problems.append(f"a parsed TTFontFace no longer holds {missing} (what the cache leaves out and rebuilds)")
    for method in ("get_table", "get_table_pos", "get_ushort", "makeSubset", "extractInfo"):
        if not callable(getattr(ttfonts.TTFontFace, method, None)):
            problems.append(f"TTFontFace.{method} is gone")
    if not {"hmetrics", "glyphPos", "get_table_pos"} <= _names(ttfonts.TTFontFile.makeSubset):
        problems.append("TTFontFile.makeSubset no longer reads hmetrics/glyphPos/get_table_pos (what the cached "
                        "face serves from the mapped file)")
    if list(inspect.signature(pdfmetrics.TypeFace.__init__).parameters) != ["self", "name"]:
        problems.append("pdfmetrics.TypeFace.__init__ no longer takes (self, name) (_CachedFace calls it)")
    for option in ("ttfAsciiReadable", "unShapedFontGlob"):
        if not hasattr(rl_config, option):
            problems.append(f"rl_config.{option} is gone (_ttfont_around reads it)")
    return problems


def _memo_flate(_resources) -> list:
    problems = []
    if not isinstance(pdfdoc.PDFZCompress, _pdf._MemoFlate):
        problems.append("pdfdoc.PDFZCompress is not the memoising filter (the replacement was not applied)")
    if "PDFZCompress" not in _module_names(pdfdoc):
        problems.append("pdfdoc no longer looks PDFZCompress up as a module global when it writes streams")
    if "PDFZCompress" not in _module_names(ttfonts):
        problems.append("ttfonts no longer takes pdfdoc.PDFZCompress for font subsets and ToUnicode maps")
    sample = b"layout " * 200
    if _pdf._MemoFlate().encode(sample) != pdfdoc.PDFStreamFilterZCompress().encode(sample):
        problems.append("the memoised filter no longer writes the bytes ReportLab's Flate filter writes")
    if getattr(pdfdoc.PDFStreamFilterZCompress, "pdfname", None) != "FlateDecode":
        problems.append("PDFStreamFilterZCompress.pdfname is no longer FlateDecode")
    return problems


def _jpeg_passthrough(resources) -> list:
    import pikepdf
    jpeg = resources["jpeg"]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(100, 100), invariant=1)
    try:
        canvas.drawImage(_pdf._JpegReader(jpeg), 10, 10, 50, 50)
        canvas.showPage()
        canvas.save()
    except Exception as e:  # noqa: BLE001 - any failure is a broken seam, reported by name
        return [f"drawImage() of a reader built without ImageReader.__init__ raises {e!r}"]
    with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
        images = [xo for xo in (pdf.pages[0].Resources.get("/XObject") or {}).values()
                  if xo.get("/Subtype") == "/Image"]
        if len(images) != 1:
            return [f"the page holds {len(images)} image XObjects, not 1"]
        image = images[0]
        filters = image.get("/Filter")
        filters = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
        if filters != ["/DCTDecode"] or image.read_raw_bytes() != jpeg:
            return [f"the JPEG is not embedded as it is (filters {filters}): ReportLab no longer takes "
                    "jpeg_fh() for a JPEG passthrough"]
    return []


def _pdfx_keys(resources) -> list:
    import pikepdf
    problems = []
    for flavour, version in (("x1a", "1.3"), ("x4", "1.6")):
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(100, 100), invariant=1)
        canvas.setTitle("seam")
        canvas.showPage()
        icc = resources["icc"] if flavour == "x4" else None
        try:
            _pdfx.apply(canvas, _pdfx.pdfx_keys(flavour, icc, "seam"), icc, b"seam")
            canvas.save()
        except Exception as e:  # noqa: BLE001 - any failure is a broken seam, reported by name
            problems.append(f"{flavour}: writing the keys into canvas._doc raises {e!r}")
            continue
        with pikepdf.open(io.BytesIO(out.getvalue())) as pdf:
            info = {str(k): str(v) for k, v in pdf.docinfo.items()}
            if pdf.pdf_version != version:
                problems.append(f"{flavour}: the file is PDF {pdf.pdf_version}, not {version} (doc._pdfVersion)")
            if not info.get("/GTS_PDFXVersion") or info.get("/Trapped") != "/False" or info.get("/Title") != "seam":
                problems.append(f"{flavour}: the Info dictionary lacks the PDF/X keys ({sorted(info)}): "
                                "doc.info / PDFInfo.format changed")
            intents = pdf.Root.get("/OutputIntents")
            if not intents or (flavour == "x4" and "/DestOutputProfile" not in intents[0]):
                problems.append(f"{flavour}: no OutputIntent written (doc.Catalog / PDFCatalog.__NoDefault__)")
            if "/ID" not in pdf.trailer:
                problems.append(f"{flavour}: no trailer /ID (doc.updateSignature)")
            if flavour == "x4" and "/Metadata" not in pdf.Root:
                problems.append("x4: no XMP metadata in the catalog")
    return problems


def _parts_writer(resources) -> list:
    problems = []
    if pdfdoc.PDFFile is not _parts.PartsFile:
        problems.append("pdfdoc.PDFFile is not the parts collector (the replacement was not applied)")
    if "PDFFile" not in _names(pdfdoc.PDFDocument.format):
        problems.append("PDFDocument.format no longer looks PDFFile up as a module global")

    def draw():
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(100, 100), invariant=1)
        canvas.drawImage(_pdf._JpegReader(resources["jpeg"]), 10, 10, 50, 50)
        canvas.drawString(10, 80, "parts")
        canvas.showPage()
        return canvas, out

    try:
        canvas, out = draw()
        canvas.save()
        whole = out.getvalue()
        got = _parts.parts_of(draw()[0])
    except Exception as e:  # noqa: BLE001 - any failure is a broken seam, reported by name
        return problems + [f"writing a document as parts raises {e!r}"]
    if not any(p is resources["jpeg"] for p in got):
        problems.append("the JPEG is not one of the parts as it is: PDFImageXObject.streamContent or "
                        "PDFStream/PDFIndirectObject.format changed how they concatenate a stream")
    if b"".join(got) != whole:
        problems.append("the parts joined are not the file canvas.save() writes")
    return problems


def _width_bytes(resources) -> list:
    problems = []
    if "getCharWidth" not in _names(ttfonts.TTFont.addObjects):
        problems.append("TTFont.addObjects no longer takes a subset's widths from face.getCharWidth")
    doc = pdfdoc.PDFDocument()
    if pdfdoc.PDFArray([b"500", b"1000"]).format(doc) != pdfdoc.PDFArray([500, 1000.0]).format(doc):
        problems.append("a PDFArray no longer formats bytes as themselves and numbers with fp_str: the widths "
                        "the cached face gives as bytes would not read as ReportLab's")
    return problems


def _learnt_codes(resources) -> list:
    """A font's codes for a fresh document restored from the memo equal the ones splitString assigns."""
    problems = []
    try:
        font = ttfonts.TTFont("SeamCodes", str(resources["ttf"]))
        chars = "".join(dict.fromkeys("layout ReportLab \u00a0 seams 0123456789 ÄÖÜ " * 3))
        first, second = (Canvas(io.BytesIO(), invariant=1)._doc for _ in range(2))
        _pdf._LEARNT.pop((font, chars), None)
        _pdf._Codes(font, first, chars)                # splitString assigns, the memo keeps it
        _pdf._Codes(font, second, chars)               # the memo answers: a State made and filled
        a, b = font.state[first], font.state[second]
    except Exception as e:  # noqa: BLE001 - any failure is a broken seam, reported by name
        return [f"learning a font's codes raises {e!r} (TTFont.State, TTFont.state[doc], splitString)"]
    for name in sorted(set(vars(a)) | set(vars(b))):
        if getattr(a, name, None) != getattr(b, name, None):
            problems.append(f"a restored TTFont.State differs in {name}: State holds more than assignments, "
                            "nextCode and subsets, or builds them otherwise")
    return problems


def _recorded_segments(resources) -> list:
    """A page whose first block is written from its recording and whose second is drawn is the page drawn
    from scratch: the state a recording leaves is all the state drawing depends on."""
    from ..display import PageLayout, Rule, TextRun
    name = "SeamSegments"
    try:
        if name not in pdfmetrics._fonts:
            pdfmetrics.registerFont(ttfonts.TTFont(name, str(resources["ttf"])))

        def runs(block, words, top):
            return tuple(TextRun(10, top + 12 * i, f"{w} {i} ÄÖÜ", name, 9 + i % 2,
                                 (0, 0, 0, 1) if i % 3 else (0, 1, 1, 0), "body", block) for i, w in enumerate(words))
        first = runs("a", ("seam", "layout", "draws", "blocks"), 20)
        rule = (Rule(0, 70, 100, 70, 0.5, (0, 0, 0, 1)),)
        page = PageLayout(201, 199, 3, first + runs("b", ("one", "two", "three"), 80) + rule)
        edited = PageLayout(201, 199, 3, first + runs("b", ("uno", "dos", "tres"), 80) + rule)

        def write(layout):
            out = io.BytesIO()
            canvas = Canvas(out, pagesize=_pdf._media(layout), invariant=1, pageCompression=1,
                            initialFontName=name, initialFontSize=9)
            _pdf._page(canvas, layout, {name: name}, {})
            canvas.showPage()
            canvas.save()
            return out.getvalue(), list(_pdf.SEGMENT_STATS["reused"])

        def forget():
            for memo in (_pdf._SEGMENTS, _pdf._EQUAL):
                for key in [k for k in memo if k[:2] == (3.0, 199)]:
                    del memo[key]
        forget()
        write(page)
        mixed, reused = write(edited)
        forget()
        fresh, _ = write(edited)
        forget()
    except Exception as e:  # noqa: BLE001 - any failure is a broken seam, reported by name
        return [f"drawing a page from recorded segments raises {e!r} (PDFTextObject._code, _curSubset, "
                "canvas._extgstate, doc.delayedFonts, getSubsetInternalName)"]
    problems = []
    if "a" not in reused:
        problems.append("the unchanged block was not written from its recording")
    if mixed != fresh:
        problems.append("a page drawn partly from recordings is not the page drawn from scratch: the text object, "
                        "the extended graphics state or font naming keep state a recording does not restore")
    return problems


def _binary_streams(_resources) -> list:
    problems = []
    if not hasattr(rl_config, "useA85"):
        problems.append("rl_config.useA85 is gone")
    elif "useA85" not in _module_names(pdfdoc):
        problems.append("pdfdoc no longer reads rl_config.useA85 when it chooses stream filters")
    return problems


SEAMS = (
    Seam("astral ToUnicode patch", "rl_fonts._astral_safe over ttfonts.makeToUnicodeCMap",
         "makeToUnicodeCMap(fontname, subset) looked up as a global by TTFont.addObjects, lines '<%02X> <%04X>'",
         _astral_to_unicode),
    Seam("parsed-face cache", "rl_fonts._ttfont_around (TTFont without its constructor), rl_fonts._CachedFace",
         "the attributes TTFont.__init__ sets, what TTFontFace.extractInfo leaves, what makeSubset reads",
         _face_cache),
    Seam("memoised Flate filter", "render.pdf._MemoFlate replacing pdfdoc.PDFZCompress",
         "pdfdoc and ttfonts fetch the module global PDFZCompress when they write; encode() is zlib.compress",
         _memo_flate),
    Seam("JPEG passthrough reader", "render.pdf._JpegReader (ImageReader without its constructor)",
         "drawImage() embeds a reader's jpeg_fh() as DCTDecode and names it after getRGBData()",
         _jpeg_passthrough),
    Seam("PDF/X keys in ReportLab's document", "render.pdfx.apply, render.pdfx._Info",
         "canvas._doc: _pdfVersion, info (PDFInfo.format), Catalog.__NoDefault__, Reference, updateSignature",
         _pdfx_keys),
    Seam("PDF written as parts", "render.parts.PartsFile replacing pdfdoc.PDFFile, render.parts.SharedBytes",
         "PDFDocument.format fetches the module global PDFFile; a stream's content is formatted with format() and "
         "concatenated with + (bytes + Spliced), endswith() and len(); the JPEG is PDFImageXObject.streamContent",
         _parts_writer),
    Seam("subset widths as bytes", "rl_fonts._CachedFace.getCharWidth",
         "TTFont.addObjects reads widths with face.getCharWidth only for the Widths PDFArray, which formats bytes "
         "as themselves", _width_bytes),
    Seam("codes learnt for the page", "render.pdf._Codes (TTFont.State made and filled from a memo)",
         "TTFont.State(asciiReadable, font) holds assignments, nextCode, subsets, internalName, frozen; "
         "splitString assigns codes in the order of use, whatever the calls", _learnt_codes),
    Seam("recorded segments", "render.pdf._Painter (operators recorded and written again)",
         "PDFTextObject keeps its operators in _code and its state in attributes (_curSubset, _fontsize …); "
         "canvas._extgstate._d/_c name the graphics states; a font's first getSubsetInternalName names it",
         _recorded_segments),
    Seam("binary streams (process-wide rl_config.useA85 = 0)", "render.pdf.render_pdf",
         "pdfdoc reads rl_config.useA85 when it writes a stream", _binary_streams),
)


def broken(resources: dict) -> list:
    """(seam name, problem) for every seam whose check finds ReportLab changed what it relies on."""
    found = []
    for seam in SEAMS:
        try:
            problems = seam.check(resources)
        except Exception as e:  # noqa: BLE001 - a check that cannot run is a broken seam, named
            problems = [f"the check itself fails: {e!r}"]
        found += [(seam.name, p) for p in problems]
    return found


def default_resources(ttf: Path, icc: Path) -> dict:
    """What the checks need: a TrueType file, a small CMYK JPEG, a CMYK output profile."""
    from PIL import Image
    data = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 128, 128, 0)).save(data, "JPEG")
    return {"ttf": Path(ttf), "jpeg": data.getvalue(), "icc": Path(icc)}

"""`layout preflight`: the project's own check of a PDF against the plant's rules (shared/design/PRINT.md)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .plant import MIN_LINE, MIN_MULTI_INK_TEXT, MIN_PPI, MIN_TEXT, RICH_BLACK_K, WARN_PPI

@dataclass(frozen=True)
class Finding:
    """One line of the preflight report."""
    level: str          # error | warning
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"


def preflight(path: Path | str, ink_limit: float = 240.0) -> list:
    """Every violation of PRINT.md found in the file, errors first."""
    import pikepdf
    path = Path(path)
    out: list = []

    def err(msg):
        out.append(Finding("error", f"{path}: {msg}"))

    def warn(msg):
        out.append(Finding("warning", f"{path}: {msg}"))

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return [Finding("error", f"{path}: encrypted; PDF/X forbids encryption")]
    except (pikepdf.PdfError, OSError) as e:
        return [Finding("error", f"{path}: not a readable PDF ({e})")]
    with pdf:
        if pdf.is_encrypted:
            err("encrypted; PDF/X forbids encryption")
        flavour = _document(pdf, err)
        for number, page in enumerate(pdf.pages, 1):
            _page(pdf, page, number, flavour, ink_limit, err, warn)
    return sorted(out, key=lambda f: f.level != "error")


def info_findings(info: dict, flavour: str, pdf_version: str, err) -> None:
    """The PDF/X rules on the Info dictionary (keys without their slash) and the file's version; both
    preflights (the file read back, and the build's display list) call this one."""
    if not info.get("GTS_PDFXVersion", ""):
        err("no GTS_PDFXVersion in Info: not a PDF/X file")
    if flavour == "x1a":
        if info.get("GTS_PDFXConformance", "") != "PDF/X-1a:2001":
            err("GTS_PDFXConformance is not PDF/X-1a:2001")
        if pdf_version > "1.3":
            err(f"PDF version {pdf_version}; PDF/X-1a:2001 requires 1.3")
    elif pdf_version > "1.6":
        err(f"PDF version {pdf_version}; PDF/X-4 allows at most 1.6")
    for key in ("Title", "CreationDate", "ModDate"):
        if key not in info:
            err(f"Info lacks {key}")
    if info.get("Trapped") not in ("/True", "/False"):
        err("Info /Trapped must be /True or /False")


def _document(pdf, err) -> str:
    info = {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}
    flavour = "x4" if info.get("GTS_PDFXVersion", "").startswith("PDF/X-4") else "x1a"
    info_findings(info, flavour, pdf.pdf_version, err)
    if "/ID" not in pdf.trailer:
        err("trailer has no /ID")
    intents = pdf.Root.get("/OutputIntents")
    ok = [i for i in (intents or []) if i.get("/S") == "/GTS_PDFX"]
    if len(ok) != 1:
        err(f"needs exactly one GTS_PDFX OutputIntent, found {len(ok)}")
    else:
        intent = ok[0]
        if "/OutputConditionIdentifier" not in intent:
            err("OutputIntent lacks OutputConditionIdentifier")
        if flavour == "x4" and "/DestOutputProfile" not in intent:
            err("PDF/X-4 OutputIntent lacks DestOutputProfile")
    for key in ("/AcroForm", "/JavaScript"):
        if key in pdf.Root or (key == "/JavaScript" and "/Names" in pdf.Root and key in pdf.Root.Names):
            err(f"document has {key[1:]}; PDF/X forbids forms and JavaScript")
    return flavour


def _box(page, name):
    value = page.obj.get(name)
    return [float(v) for v in value] if value is not None else None


def _inside(inner, outer, tol=0.01) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol and inner[2] <= outer[2] + tol
            and inner[3] <= outer[3] + tol)


def _page(pdf, page, number, flavour, ink_limit, err, warn) -> None:
    where = f"page {number}"
    media = _box(page, "/MediaBox")
    trim, art, bleed = _box(page, "/TrimBox"), _box(page, "/ArtBox"), _box(page, "/BleedBox")
    if (trim is None) == (art is None):
        err(f"{where}: needs a TrimBox (or an ArtBox, not both)")
    if trim and not _inside(trim, media):
        err(f"{where}: TrimBox lies outside the MediaBox")
    if bleed and (not _inside(bleed, media) or (trim and not _inside(trim, bleed))):
        err(f"{where}: BleedBox must lie inside the MediaBox and contain the TrimBox")
    area = bleed or trim or media
    _fonts(page, where, err)
    _content(pdf, page, where, flavour, ink_limit, area, err, warn)


def _fonts(page, where, err) -> None:
    _fonts_in(page.Resources, where, err)


def _fonts_in(resources, where, err) -> None:
    for name, font in (resources.get("/Font") or {}).items():
        desc = font.get("/FontDescriptor")
        if desc is None and "/DescendantFonts" in font:
            desc = font.DescendantFonts[0].get("/FontDescriptor")
        if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            err(f"{where}: font {font.get('/BaseFont')} is not embedded")


class _State:
    __slots__ = ("fill", "stroke", "op", "opm", "lw", "ctm")

    def __init__(self):
        self.fill, self.stroke, self.op, self.opm, self.lw = (0, 0, 0, 1), (0, 0, 0, 1), False, 0, 1.0
        self.ctm = (1, 0, 0, 1, 0, 0)

    def copy(self):
        s = _State()
        s.fill, s.stroke, s.op, s.opm, s.lw, s.ctm = self.fill, self.stroke, self.op, self.opm, self.lw, self.ctm
        return s


def _mul(a, b):
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _content(pdf, page, where, flavour, ink_limit, area, err, warn) -> None:
    import pikepdf
    res = page.Resources
    xobjects = res.get("/XObject") or {}
    overprint = _gstates(res, where, flavour, err)
    state, stack = _State(), []
    size, pos = 0.0, (0.0, 0.0)
    seen, texts = set(), set()       # texts: text states already checked (the checks depend on nothing else)
    try:
        operations = pikepdf.parse_content_stream(page)
    except pikepdf.PdfError as e:
        err(f"{where}: the page content cannot be parsed ({e})")
        return
    for operands, op in operations:
        op = str(op)
        try:
            state, size, pos = _operation(op, operands, state, stack, size, pos, overprint, seen, texts, where,
                                          flavour, ink_limit, area, xobjects, err, warn)
        except (TypeError, ValueError, IndexError, AttributeError):
            _once(seen, ("malformed", op), lambda: err(f"{where}: malformed `{op}` operation in the content"))


def _gstates(res, where, flavour, err) -> dict:
    """Transparency in the graphics states of a resource dictionary (PDF/X-1a forbids it); their overprint
    settings by name."""
    import pikepdf
    gstates = res.get("/ExtGState") or {}
    for name, gs in gstates.items():
        if flavour == "x1a" and (float(gs.get("/CA", 1)) < 1 or float(gs.get("/ca", 1)) < 1
                                 or gs.get("/SMask", pikepdf.Name.None_) != pikepdf.Name.None_
                                 or str(gs.get("/BM", "/Normal")) not in ("/Normal", "/Compatible")):
            err(f"{where}: transparency in ExtGState {name}; PDF/X-1a forbids it")
    return {str(name): (gs.get("/op", gs.get("/OP")), gs.get("/OPM")) for name, gs in gstates.items()}


def _form(xo, state, where, flavour, ink_limit, area, seen, err, warn) -> None:
    """A form XObject (a delivered PDF ad placed on the page): its fonts, transparency, colours, ink and
    images checked as the page's own content, once per form."""
    import pikepdf
    key = ("form", xo.objgen)
    if key in seen:
        return
    seen.add(key)
    where = f"{where} (placed PDF)"
    res = xo.get("/Resources") or pikepdf.Dictionary()
    _fonts_in(res, where, err)
    overprint = _gstates(res, where, flavour, err)
    xobjects = res.get("/XObject") or {}
    inner = state.copy()
    matrix = xo.get("/Matrix")
    if matrix is not None:
        inner.ctm = _mul(tuple(float(v) for v in matrix), state.ctm)
    stack, size, pos, texts = [], 0.0, (0.0, 0.0), set()
    try:
        operations = pikepdf.parse_content_stream(xo)
    except pikepdf.PdfError as e:
        err(f"{where}: the content cannot be parsed ({e})")
        return
    for operands, op in operations:
        op = str(op)
        try:
            inner, size, pos = _operation(op, operands, inner, stack, size, pos, overprint, seen, texts, where,
                                          flavour, ink_limit, (-1e9, -1e9, 1e9, 1e9), xobjects, err, warn)
        except (TypeError, ValueError, IndexError, AttributeError):
            _once(seen, ("malformed", op), lambda: err(f"{where}: malformed `{op}` operation in the content"))


def check_artwork(data: bytes, where, flavour, ink_limit, seen, err, warn) -> None:
    """A delivered PDF (an ad) as the page will hold it: its first page checked like a placed form
    (the build's display-list preflight calls this; the file preflight meets the form itself)."""
    import pikepdf
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            _form(pdf.pages[0].obj, _State(), where, flavour, ink_limit, None, seen, err, warn)
    except (pikepdf.PdfError, IndexError) as e:
        err(f"{where} (placed PDF): not a readable PDF page ({e})")


def _operation(op, operands, state, stack, size, pos, overprint, seen, texts, where, flavour, ink_limit, area,
               xobjects, err, warn):
    """One content-stream operation: update the graphics state, check what it paints."""
    if op == "q":
        stack.append(state.copy())
    elif op == "Q" and stack:
        state = stack.pop()
    elif op == "cm":
        state.ctm = _mul(tuple(float(v) for v in operands), state.ctm)
    elif op == "gs":
        op_flag, opm = overprint.get(str(operands[0]), (None, None))
        state.op = state.op if op_flag is None else bool(op_flag)
        state.opm = state.opm if opm is None else int(opm)
    elif op in ("rg", "RG", "sc", "scn", "SC", "SCN", "cs", "CS") and _is_rgb(op, operands):
        _once(seen, "rgb", lambda: err(f"{where}: RGB colour in the page content; use CMYK"))
    elif op == "k":
        state.fill = tuple(float(v) for v in operands)
    elif op == "K":
        state.stroke = tuple(float(v) for v in operands)
    elif op == "g":
        state.fill = (0, 0, 0, 1 - float(operands[0]))
    elif op == "G":
        state.stroke = (0, 0, 0, 1 - float(operands[0]))
    elif op == "w":
        state.lw = float(operands[0])
    elif op == "Tf":
        size = float(operands[1])
    elif op in ("Tm",):
        pos = (float(operands[4]), float(operands[5]))
    elif op in ("Tj", "TJ", "'", '"'):
        key = (state.fill, size, state.op, state.opm)
        if key not in texts and _within(pos, area):
            texts.add(key)
            _text(state, size, where, ink_limit, seen, err, warn)
    elif op == "m":
        pos_path = (float(operands[0]), float(operands[1]))
        pos = pos_path
    elif op in ("S", "s") and _within(pos, area):
        ink = sum(state.stroke) * 100
        if ink > ink_limit + 0.5:
            _once(seen, ("stroke-ink", round(ink)), lambda: err(
                f"{where}: a line uses {ink:.0f} % ink, over the {ink_limit:g} % limit"))
        if state.lw < MIN_LINE:
            _once(seen, "thin", lambda: warn(f"{where}: a line of {state.lw:g} pt is under {MIN_LINE} pt"))
    elif op in ("f", "F", "f*", "B", "b") and sum(state.fill) * 100 > ink_limit + 0.5:
        ink = sum(state.fill) * 100
        _once(seen, ("fill-ink", round(ink)), lambda: err(
            f"{where}: a fill uses {ink:.0f} % ink, over the {ink_limit:g} % limit"))
    elif op == "Do":
        xo = xobjects.get(str(operands[0]))
        if xo is not None and xo.get("/Subtype") == "/Image":
            _image(xo, state.ctm, where, flavour, ink_limit, err, warn)
        elif xo is not None and xo.get("/Subtype") == "/Form":
            _form(xo, state, where, flavour, ink_limit, area, seen, err, warn)
    return state, size, pos


def _once(seen, key, report) -> None:
    if key not in seen:
        seen.add(key)
        report()


def _within(pos, area) -> bool:
    return area[0] <= pos[0] <= area[2] and area[1] <= pos[1] <= area[3]


def _is_rgb(op, operands) -> bool:
    if op in ("rg", "RG"):
        return True
    if op in ("cs", "CS"):
        return str(operands[0]) in ("/DeviceRGB", "/CalRGB")
    return False


def _text(state, size, where, ink_limit, seen, err, warn) -> None:
    c, m, y, k = state.fill
    inks = sum(1 for v in (c, m, y, k) if v > 0.001)
    if size < MIN_TEXT:
        _once(seen, "small", lambda: warn(f"{where}: text of {size:g} pt is under {MIN_TEXT:g} pt"))
    if k >= RICH_BLACK_K and (c > 0.001 or m > 0.001 or y > 0.001):
        _once(seen, ("rich", size), lambda: err(
            f"{where}: {size:g} pt text in rich black ({c:.0%}/{m:.0%}/{y:.0%}/{k:.0%}); set text in 100 K"))
    elif inks > 1 and size < MIN_MULTI_INK_TEXT:
        _once(seen, ("multi", size), lambda: err(
            f"{where}: {size:g} pt text in {inks} inks; colour text under {MIN_MULTI_INK_TEXT:g} pt must be one ink"))
    if (c, m, y) == (0, 0, 0) and k >= 0.999 and not (state.op and state.opm == 1):
        _once(seen, "knockout", lambda: err(f"{where}: 100 K text does not overprint (needs op true, OPM 1)"))
    if (c + m + y + k) * 100 > ink_limit + 0.5:
        _once(seen, "text-ink", lambda: err(f"{where}: text uses more than {ink_limit:g} % ink"))


def _image(xo, ctm, where, flavour, ink_limit, err, warn) -> None:
    import pikepdf
    cs = xo.get("/ColorSpace")
    cs_name = str(cs[0] if isinstance(cs, pikepdf.Array) else cs)
    if cs_name in ("/DeviceRGB", "/CalRGB") or (cs_name == "/ICCBased" and int(cs[1].get("/N", 0)) == 3):
        err(f"{where}: an RGB image; convert it to CMYK")
    if flavour == "x1a" and "/SMask" in xo:
        err(f"{where}: an image with a soft mask (transparency); PDF/X-1a forbids it")
    width_in = (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5 / 72
    if width_in > 0:
        ppi = int(xo.Width) / width_in
        if ppi < MIN_PPI:
            err(f"{where}: an image at {ppi:.0f} ppi, under {MIN_PPI}")
        elif ppi < WARN_PPI:
            warn(f"{where}: an image at {ppi:.0f} ppi, under {WARN_PPI}")
    if cs_name == "/DeviceCMYK":
        ink = _image_ink(xo)
        if ink is not None and ink > ink_limit + 0.5:
            err(f"{where}: an image reaches {ink:.0f} % total ink, over the {ink_limit:g} % limit")


def _image_ink(xo):
    """Highest C+M+Y+K of any pixel of a CMYK image, percent (None when it cannot be decoded)."""
    try:
        import pikepdf
        filters = xo.get("/Filter")            # ReportLab writes /Filter [/DCTDecode], an array
        filters = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)]
        if filters == ["/DCTDecode"]:
            from .images import known_max_ink
            raw = xo.read_raw_bytes()
            known = known_max_ink(raw)          # this very JPEG was measured when it was prepared
            if known is not None:
                return known
            # Pillow undoes the Adobe inversion of CMYK JPEGs that /Decode [1 0 …] undoes in a PDF reader
            import numpy as np
            from PIL import Image
            im = Image.open(io.BytesIO(raw))
            a = np.asarray(im.convert("CMYK"), dtype=np.uint16)
        else:
            import numpy as np
            data = np.frombuffer(xo.read_bytes(), dtype=np.uint8)
            a = data[: int(xo.Width) * int(xo.Height) * 4].reshape(-1, 4).astype(np.uint16)
        return float(a.sum(axis=-1).max()) / 2.55
    except Exception:  # noqa: BLE001 - an undecodable image is reported by the caller as unknown ink
        return None

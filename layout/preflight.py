"""`layout preflight`: the project's own check of a PDF against the plant's rules (shared/design/PRINT.md)."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .preflight_content import Context, GState, Scope, annotations, font_findings, gstate_findings, interpret

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
    ctx = Context(flavour, ink_limit, err, warn)
    scope = Scope(where, page.Resources)
    font_findings(ctx, where, scope.resources)
    gstate_findings(ctx, where, scope.resources)
    interpret(ctx, scope, page, GState(clip=tuple(bleed or trim or media)))    # what is cut off is not seen
    annotations(ctx, scope, page.obj)


def check_artwork(ctx: Context, where: str, layout, item, index: int, data: bytes) -> None:
    """A delivered PDF (an ad) as the page will hold it: placed as the renderer places it (artwork.place, as
    form form_name(index)) on an empty page, and that page interpreted; the build's display-list preflight
    calls this, the file preflight meets the same form on the page itself."""
    import pikepdf

    from .artwork import form_name, frame, place
    edge = layout.bleed + layout.slug
    try:
        with pikepdf.open(io.BytesIO(data)) as ad, pikepdf.new() as pdf:
            pdf.add_blank_page(page_size=(layout.width + 2 * edge, layout.height + 2 * edge))
            page = pdf.pages[0]
            place(page, ad.pages[0], frame(layout, item), index)
            interpret(ctx, Scope(where, page.Resources), page)
    except (pikepdf.PdfError, IndexError) as e:
        ctx.err(f"{where}, form {form_name(index)}: not a readable PDF page ({e})")

"""PDF/X written while ReportLab writes the file: OutputIntent, Info keys, version, ID, XMP (no re-parse)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString

from ..outputintent import IFRA26, profile_name

FIXED_DATE = "D:20000101000000+00'00'"      # like ReportLab's invariant mode


@dataclass(frozen=True)
class PdfxKeys:
    """What the finishing step writes into the document: the build's preflight checks these
    instead of reading them back from the file."""
    flavour: str              # x1a | x4
    version: str              # PDF header version
    info: tuple               # ((key, value), ...) of the Info dictionary, names without the slash
    intents: tuple            # one ((key, value), ...) per OutputIntent; a profile as ("DestOutputProfile", n)
    has_id: bool = True
    xmp: bool = False


def pdfx_keys(flavour: str = "x1a", icc: Path | None = None, title: str = "") -> PdfxKeys:
    """The keys a PDF/X-1a:2001 (default) or PDF/X-4 file of this title gets."""
    info = {"Title": title, "CreationDate": FIXED_DATE, "ModDate": FIXED_DATE, "Trapped": "/False"}
    if flavour == "x4":
        name = profile_name(icc)
        info["GTS_PDFXVersion"] = "PDF/X-4"
        intent = (("S", "/GTS_PDFX"), ("OutputConditionIdentifier", name), ("Info", name),
                  ("DestOutputProfile", 4))
        return PdfxKeys("x4", "1.6", tuple(sorted(info.items())), (intent,), xmp=True)
    info["GTS_PDFXVersion"] = "PDF/X-1:2001"
    info["GTS_PDFXConformance"] = "PDF/X-1a:2001"
    intent = (("S", "/GTS_PDFX"),) + tuple(IFRA26.items())
    return PdfxKeys("x1a", "1.3", tuple(sorted(info.items())), (intent,))


class _Info(pdfdoc.PDFInfo):
    """ReportLab's Info dictionary with the PDF/X keys added."""

    def __init__(self, extra: dict):
        super().__init__()
        self.extra = extra

    def format(self, document):
        d = {"Title": PDFString(self.title), "Author": PDFString(self.author),
             "CreationDate": PDFString(FIXED_DATE), "ModDate": PDFString(FIXED_DATE),
             "Producer": PDFString(self.producer), "Creator": PDFString(self.creator),
             "Subject": PDFString(self.subject), "Keywords": PDFString(self.keywords),
             "Trapped": PDFName("False")}
        d.update({k: PDFString(v) for k, v in self.extra.items()})
        return PDFDictionary(d).format(document)


def apply(canvas, keys: PdfxKeys, icc: Path | None, fingerprint: bytes) -> None:
    """Put the PDF/X keys into the canvas's document before it is saved.

    fingerprint: bytes that identify the content (the trailer /ID is derived from them, as
    a deterministic ID must differ between documents that differ)."""
    doc = canvas._doc
    doc._pdfVersion = tuple(int(v) for v in keys.version.split("."))
    old = doc.info
    info = _Info({k: v for k, v in keys.info if k.startswith("GTS_")})
    for attr in ("title", "author", "subject", "keywords", "creator", "producer"):
        setattr(info, attr, getattr(old, attr))
    doc.info = info
    intents = []
    for intent in keys.intents:
        d = {}
        for k, v in intent:
            if k == "DestOutputProfile":
                profile = PDFStream(PDFDictionary({"N": v}), Path(icc).read_bytes(), filters=[pdfdoc.PDFZCompress])
                d[k] = doc.Reference(profile)
            elif k == "S":
                d[k] = PDFName(v[1:])
            else:
                d[k] = PDFString(v)
        d["Type"] = PDFName("OutputIntent")
        intents.append(PDFDictionary(d))
    cat = doc.Catalog
    cat.__NoDefault__ = list(pdfdoc.PDFCatalog.__NoDefault__) + ["OutputIntents"]
    cat.OutputIntents = PDFArray(intents)
    digest = hashlib.sha256(fingerprint).hexdigest()
    if keys.xmp:
        meta = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                         _xmp(old.title, digest).encode("utf-8"), filters=[])
        cat.Metadata = meta
    doc.updateSignature(digest)


def _xmp(title: str, digest: str) -> str:
    """XMP for PDF/X-4: version id, document and version ids, rendition class, trapping."""
    from xml.sax.saxutils import escape
    uuid = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/">
   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
   <xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdf:Trapped>False</pdf:Trapped>
   <pdf:Producer>layout (ReportLab)</pdf:Producer>
   <xmp:CreateDate>2000-01-01T00:00:00+00:00</xmp:CreateDate>
   <xmp:ModifyDate>2000-01-01T00:00:00+00:00</xmp:ModifyDate>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

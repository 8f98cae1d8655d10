"""PDF/X finishing with pikepdf: output intent, PDF/X keys, XMP, version; deterministic save."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pikepdf

from .outputintent import IFRA26, profile_name


def finish(raw: bytes, out: Path, flavour: str = "x1a", icc: Path | None = None, title: str = "") -> None:
    """Make ReportLab's PDF a PDF/X-1a:2001 (default) or PDF/X-4 file at `out`."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX)
        if flavour == "x4":
            data = Path(icc).read_bytes()
            profile = pdf.make_stream(data)
            profile.N = 4
            intent.DestOutputProfile = profile
            name = profile_name(icc)
            intent.OutputConditionIdentifier = pikepdf.String(name)
            intent.Info = pikepdf.String(name)
        else:
            for key, value in IFRA26.items():
                intent[pikepdf.Name("/" + key)] = pikepdf.String(value)
        pdf.Root.OutputIntents = pikepdf.Array([intent])
        info = pdf.docinfo
        info.Title = pikepdf.String(title)
        for key in ("/CreationDate", "/ModDate"):      # fixed, like ReportLab's invariant mode
            if key not in info:
                info[key] = pikepdf.String("D:20000101000000+00'00'")
        info.Trapped = pikepdf.Name("/False")
        if flavour == "x4":
            info.GTS_PDFXVersion = pikepdf.String("PDF/X-4")
            _xmp(pdf, title, raw)
            version = "1.6"
        else:
            info.GTS_PDFXVersion = pikepdf.String("PDF/X-1:2001")
            info.GTS_PDFXConformance = pikepdf.String("PDF/X-1a:2001")
            version = "1.3"
        pdf.save(out, deterministic_id=True, force_version=version, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)


def _xmp(pdf: pikepdf.Pdf, title: str, raw: bytes) -> None:
    """XMP for PDF/X-4: version id, document and version ids, rendition class, trapping."""
    digest = hashlib.sha256(raw).hexdigest()
    uuid = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        meta["xmpMM:DocumentID"] = uuid
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"
        meta["pdf:Trapped"] = "False"
        meta["dc:title"] = title
        meta["xmp:CreateDate"] = "2000-01-01T00:00:00+00:00"
        meta["xmp:ModifyDate"] = "2000-01-01T00:00:00+00:00"

"""The PDF as a list of byte strings, written one after the other: a photo's JPEG goes to the file as the
very bytes object the photo cache holds, never copied into the objects around it (ReportLab would
concatenate it five or six times: its stream, its indirect object, the whole file, a buffer, a copy)."""
from __future__ import annotations

from reportlab.pdfbase import pdfdoc


class Spliced:
    """Bytes kept as parts and concatenated only when written: what `+` on bytes gives, without the copy.
    ReportLab builds an indirect object as `head + content + b'endobj'`; with a Spliced content the result
    stays one (bytes + Spliced calls __radd__)."""

    __slots__ = ("parts", "size")

    def __init__(self, parts):
        self.parts = [p for p in parts if p]
        self.size = sum(len(p) for p in self.parts)

    def __len__(self) -> int:
        return self.size

    def __add__(self, other):
        return Spliced(self.parts + (other.parts if isinstance(other, Spliced) else [bytes(other)]))

    def __radd__(self, other):
        return Spliced([bytes(other)] + self.parts)

    def endswith(self, suffix) -> bool:
        need, tail = len(suffix), []
        for part in reversed(self.parts):        # only the last bytes are looked at, never copied whole
            if need <= 0:
                break
            piece = part[-need:]
            tail.insert(0, piece)
            need -= len(piece)
        return b"".join(tail).endswith(suffix)

    def __bytes__(self) -> bytes:
        return b"".join(self.parts)


class SharedBytes(pdfdoc.PDFObject):
    """A stream's content that formats as itself without a copy (the JPEG of a photo)."""

    def __init__(self, data: bytes):
        self.data = data

    def __len__(self) -> int:
        return len(self.data)

    def format(self, document):
        return Spliced([self.data])


class PartsFile(pdfdoc.PDFFile):
    """ReportLab's output collector; format() gives the parts (a list) when the document asks for them
    (`document.layout_parts`), the joined bytes otherwise, as ReportLab's own does."""

    def format(self, document):
        parts = []
        for s in self.strings:
            if isinstance(s, Spliced):
                parts.extend(s.parts)
            else:
                parts.append(s)
        if getattr(document, "layout_parts", False):
            return parts
        return b"".join(parts)


if pdfdoc.PDFFile is not PartsFile:
    pdfdoc.PDFFile = PartsFile          # PDFDocument.format() looks the collector up in pdfdoc when it writes


def share_images(doc) -> None:
    """Make every image XObject of the document format its stream content without copying it."""
    for obj in list(doc.idToObject.values()):
        if isinstance(obj, pdfdoc.PDFImageXObject) and isinstance(getattr(obj, "streamContent", None), bytes) \
                and not getattr(obj, "mask", None) and not getattr(obj, "smask", None):
            obj.streamContent = SharedBytes(obj.streamContent)


def parts_of(canvas) -> list:
    """The finished document of `canvas` as a list of byte strings (what canvas.save() would write)."""
    doc = canvas._doc
    if not isinstance(doc.encrypt, pdfdoc.NoEncryption):
        return [canvas.getpdfdata()]
    share_images(doc)
    doc.layout_parts = True
    try:
        got = canvas.getpdfdata()
    finally:
        doc.layout_parts = False
    return got if isinstance(got, list) else [got]

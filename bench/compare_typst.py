#!/usr/bin/env python3
"""Side by side at 200 dpi: one dense paragraph of the flagship as Typst sets it and as layout sets it.

    pip install typst==0.15.2            # into the interpreter that runs this script
    python bench/compare_typst.py [--start 事情要从去年 --end 上不来！”……] [-o output/compare-typst.png]

Builds the Typst peer (../shared/bench/typst-peer/gen_typst.py) and our flagship page, finds the
paragraph in both PDFs by its first and last words, and writes one PNG with both crops to look at."""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "bench" / "typst-peer" / "gen_typst.py"


def crop(pdf: Path, start: str, end: str, dpi: int = 200, pad: float = 6) -> Image.Image:
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    tp = page.get_textpage()
    text = tp.get_text_range()
    i = text.find(start)
    j = text.find(end, i)
    if i < 0 or j < 0:
        raise SystemExit(f"{pdf}: paragraph {start}…{end} not found")
    boxes = [tp.get_charbox(k) for k in range(i, j + len(end))]
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
    scale, height = dpi / 72, page.get_height()
    image = page.render(scale=scale).to_pil()
    return image.crop((int((left - pad) * scale), int((height - top - pad) * scale),
                       int((right + pad) * scale), int((height - bottom + pad) * scale)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="事情要从去年")
    parser.add_argument("--end", default="上不来！”……")
    parser.add_argument("-o", "--output", default=str(ROOT / "output" / "compare-typst.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        peer_pdf, ours = Path(tmp) / "typst.pdf", Path(tmp) / "layout.pdf"
        subprocess.run([sys.executable, str(PEER), str(peer_pdf)], check=True, cwd=PEER.parent)
        from layout.build import build
        build(ROOT / "content" / "dangqi-linghang" / "page.yaml", ours)
        a, b = crop(peer_pdf, args.start, args.end), crop(ours, args.start, args.end)
    sheet = Image.new("RGB", (a.width + b.width + 30, max(a.height, b.height) + 30), "white")
    sheet.paste(a, (0, 30))
    sheet.paste(b, (a.width + 30, 30))
    draw = ImageDraw.Draw(sheet)
    draw.text((5, 5), "Typst 0.15", fill="red")
    draw.text((a.width + 35, 5), "layout", fill="red")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.output)
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`layout new`: a page folder that builds at once — commented page.yaml, a lead story, a photo, a short story."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import FRONT
from .schema import modeline
from .yamlsrc import SourceError


@dataclass(frozen=True)
class PaperFormat:
    """A newspaper format: trim, margins and the usual number of columns."""
    name: str
    trim: tuple          # (width, height) in mm
    margins: tuple       # (top, bottom, inner, outer) in mm
    columns: int


FORMATS = {
    "broadsheet": PaperFormat("对开 broadsheet", (390, 545), (20, 18, 18, 18), 8),
    "berliner": PaperFormat("Berliner", (315, 470), (18, 16, 15, 15), 6),
    "tabloid": PaperFormat("四开 tabloid", (272, 390), (15, 13, 12, 12), 5),
}
MAX_COLUMNS = 12

PAGE_YAML = """{modeline}
# A new page made by `layout new` ({format_name}, {columns} columns). Build it with
#   layout build {folder}        (PDF in output/)      layout check {folder}   (what fits)
# Lengths take units pt, mm, cm, in, q (1/4 mm) or em (of the body size).
page:                         # what the header and footer show
  paper: 示例日报              # the paper's name
  section: 新版面              # 版名: the section name, large in the header band
  folio: 1                    # 版次: the page number
  date: 2024年1月1日 星期一      # the issue date
  credits: 编辑：某某 美编：某某   # the editors' line under the page
format:
  trim: [{trim_w}mm, {trim_h}mm]    # width and height of the trimmed page
  bleed: 3mm                  # how far pictures run past the trim
  margins: {{top: {top}mm, bottom: {bottom}mm, inner: {inner}mm, outer: {outer}mm}}   # around the type area
  pdfx: x1a                   # PDF/X-1a:2001 (or x4 with `icc: the plant's profile.icc`)
  ink_limit: 240              # total ink of photos in percent (newsprint)
grid:
  columns: {columns}                  # grid columns across the type area
  gutter: 1em                 # space between columns
  body: {{font: song, size: 9pt, leading: 13.5pt}}   # body text: its leading is the baseline grid
  header_lines: 6             # body lines of the header band above line 1
  footer_lines: 2             # body lines below the last one, for the editors' line
fonts:                        # font roles -> families of fonts/fonts.yaml (or a fonts.yaml in this folder)
  song: Noto Serif CJK SC
  hei: Noto Sans CJK SC Bold
  kai: LXGW WenKai
styles:                       # each style overrides what it names (font role, size, leading, color CMYK %)
  headline: {{font: hei, size: 26pt}}
  kicker: {{font: kai, size: 14pt}}
  subhead: {{font: kai, size: 14pt}}
  rubric: {{font: hei, size: 12pt, color: [0, 100, 100, 10]}}
  section: {{font: hei, size: 40pt, color: [0, 100, 100, 10]}}
blocks:                       # at: [column, line] of the top left cell; size: [columns, lines], both from 1
  - id: lead                  # 头条: the lead story
    article: lead             # articles/lead.md
    at: [1, 1]                # column 1, line 1: the top left cell of the grid
    size: [{lead_cols}, auto]          # auto: the lines its heading and text need (or a number of lines)
    headline_size: [22pt, 34pt]   # the largest size that keeps the headline in the fewest lines
  - id: photo
    photo: images/photo.jpg   # JPEG or PNG in the page folder; cropped to fill the frame
    caption: photo            # articles/photo.md: the caption, and `credit:` the photographer
    at: [{side_col}, 1]
    size: [{side_cols}, {photo_lines}]
  - id: sample                # a short story; its file shows every front-matter field
    article: sample
    at: [{side_col}, {sample_line}]           # a blank grid line above it carries a rule
    size: [{side_cols}, auto]
"""

LEAD = """---
rubric: 新版面
kicker: 从一个命令开始
headline: 一个版面文件夹即刻成版
subhead: 版式文件、稿件和图片各就其位
byline: 本报讯（记者 某某）
---

这是“layout new”生成的示例版面。版面文件page.yaml规定开本、边距、栏数和正文网格，并列出版面上的每一个区块；每个区块用“at”给出左上角所在的栏和行，用“size”给出所占的栏数和行数。

稿件放在articles文件夹里，一篇稿件一个文件。文件开头两条短横线之间是前言部分，写栏目、引题、主题、副题和署名；其后是正文，段与段之间空一行。段内换行会被合并，中文字符之间不加空格。

图片放在images文件夹里，按区块的大小裁切，转换为印刷用的四色，并把总墨量限制在规定的数值以内。图片说明是一个单独的稿件文件，正文是说明文字，“credit”写摄影者。

排版时，每一行都由程序自己排定：行首行尾的禁则、标点挤压、中西文之间的间距和两端对齐都按中文排版的规范处理。正文落在统一的基线网格上，相邻栏的行线对齐。

用“layout check”可以看到每篇稿件是否排得下：排不下时会说明多出多少字，需要增加几行；排不满时会说明空着几行，还能再放多少字。

把这里的文字换成自己的稿件，调整区块的位置和大小，再次生成，就得到一块新的版面。
"""

CAPTION = """---
credit: ■本报记者 某某 摄
---

示例图片：图片按区块大小裁切，说明文字排在图片下方。
"""

#: a value for each front-matter key of the sample story; a key added to FRONT later is shown commented out
SAMPLE_VALUES = {"rubric": "示例", "kicker": "引题写在主题之上", "headline": "短稿示例",
                 "subhead": "副题写在主题之下", "byline": "本报记者 某某", "credit": "■本报记者 某某 摄",
                 "priority": 2, "photo": "images/photo.jpg", "caption": "photo",
                 "jump_headline": "短稿示例（续）"}
SAMPLE_BODY = """这篇短稿列出了稿件前言中可以使用的全部字段，每个字段后面的注释说明它的用途。

没有用到的字段可以删去；主题以外的字段都可以省略。
"""


def new_page(folder: Path | str, paper: str = "broadsheet", columns: int | None = None) -> list:
    """Write a page folder that builds at once; the paths written. SourceError when the folder is not empty."""
    folder = Path(folder)
    if paper not in FORMATS:
        raise SourceError(folder, 1, 1, f"no format `{paper}`; one of {', '.join(FORMATS)}")
    fmt = FORMATS[paper]
    columns = columns or fmt.columns
    if not 2 <= columns <= MAX_COLUMNS:
        raise SourceError(folder, 1, 1, f"--columns {columns}: give 2 to {MAX_COLUMNS} columns")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SourceError(folder, 1, 1, "this folder is not empty; give a new folder (nothing was written)")
    side = max(1, round(columns * 3 / 8))
    photo_lines = max(12, round(side * 9))          # about 4:3 with 13-character columns
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    spec = folder / "page.yaml"
    top, bottom, inner, outer = fmt.margins
    spec.write_text(PAGE_YAML.format(
        modeline=modeline("page", spec), format_name=fmt.name, columns=columns, folder=folder,
        trim_w=fmt.trim[0], trim_h=fmt.trim[1], top=top, bottom=bottom, inner=inner, outer=outer,
        lead_cols=columns - side, side_col=columns - side + 1, side_cols=side, photo_lines=photo_lines,
        sample_line=photo_lines + 2), encoding="utf-8")
    written = [spec]
    for name, text in (("lead", LEAD), ("photo", CAPTION), ("sample", _sample())):
        path = folder / "articles" / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    written.append(_placeholder_photo(folder / "images" / "photo.jpg", side, photo_lines))
    return written


def _sample() -> str:
    """The short story: every front-matter key with its doc as a comment."""
    lines = ["---"]
    for key in FRONT.keys:
        if key.name in SAMPLE_VALUES:
            lines.append(f"{key.name}: {SAMPLE_VALUES[key.name]}   # {key.doc}")
        else:
            lines.append(f"# {key.name}:   # {key.doc}")
    return "\n".join(lines) + "\n---\n\n" + SAMPLE_BODY


def _placeholder_photo(path: Path, cols: int, lines: int) -> Path:
    """A calm placeholder picture (sky, hills, a sun) at about 200 ppi for a frame of `cols` × `lines`."""
    from PIL import Image, ImageDraw
    width = int(cols * 13 * 9 / 72 * 200)
    height = int(lines * 13.5 / 72 * 200)
    img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    img = Image.merge("RGB", [c.point(lambda v, k=k: 120 + v * k // 3) for k, c in enumerate(img.split(), 1)])
    draw = ImageDraw.Draw(img)
    draw.ellipse([width * 0.65, height * 0.12, width * 0.8, height * 0.12 + width * 0.15], fill=(250, 210, 120))
    draw.polygon([(0, height), (0, height * 0.6), (width * 0.35, height * 0.4), (width * 0.7, height * 0.7),
                  (width, height * 0.55), (width, height)], fill=(70, 110, 80))
    img.save(path, quality=85)
    return path

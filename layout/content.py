"""Article files: YAML front matter (rubric, kicker, headline, …) and paragraphs of body text.

The front-matter keys are declared once, in FRONT below (see layout/keys.py): add a key there with one
line and read it as `article.KEY`; `layout schema article` describes the same keys.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from pathlib import Path

from .keys import Int, Key, Table, Text, record
from .markup import parse_body
from .yamlsrc import Map, SourceError, Where, decode_utf8, load_yaml

FRONT = Table("the article's front matter", (
    Key("rubric", Text(), "栏目: the column name over the story", ""),
    Key("kicker", Text(), "引题: the line above the headline", ""),
    Key("headline", Text(), "主题: the headline", ""),
    Key("subhead", Text(), "副题: the line below the headline", ""),
    Key("byline", Text(), "the byline, run into the first paragraph in its own face (本报记者 …)", ""),
    Key("credit", Text(), "a photo caption's credit (■本报记者 … 摄)", ""),
    Key("priority", Int(), "layout plan: the story's rank on the page, 1 = the lead"),
    Key("photo", Text(), "layout plan: the story's photo, a file in the page folder (images/x.jpg)", ""),
    Key("caption", Text(), "layout plan: the article (id) whose body is the photo's caption", ""),
    Key("jump_headline", Text(), "接题: the short headline over the story's continuation in a later block "
        "(default: the headline)", ""),
), doc="The front matter of an article file (between --- lines).", hint="rubric:, kicker:, headline:, ...")
FRONT_KEYS = FRONT.names
PLAN_KEYS = ("priority", "photo", "caption")     # read by `layout plan` only: not text of the page
_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: invisible characters a text file may carry that are never set: BOM, zero-width space, word joiner,
#: soft hyphen (control characters are refused: see clean and _refuse_controls)
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u2060\u00ad"), None)


@record(FRONT)
class Article:
    """One article: heading parts (a field per key of FRONT), a run-in byline and its paragraphs."""
    id: str
    path: Path
    paragraphs: tuple = ()   # the text each paragraph shows (a list item with its marker)
    body: tuple = ()         # markup.Para per paragraph (text, crosshead, item, table, quote); () = all text
    notes: tuple = ()        # warnings for markup outside the story subset, `FILE:LINE: ...`
    origins: tuple = ()      # (key, file offset of each character of its value) of front-matter texts

    def origin(self, key: str) -> tuple:
        """The file offset of each character of a front-matter value (rubric, headline, byline …), or ()."""
        return next((at for k, at in self.origins if k == key), ())

    @cached_property
    def chars(self) -> int:
        """Non-whitespace characters of byline and body: the unit of copyfitting (counted once: an
        unchanged article file gives the same Article object to every rebuild of a process)."""
        return sum(count_chars(p) for p in (self.byline, *self.paragraphs))


def count_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def clean(text: str, path: Path, line: int) -> str:
    """Drop invisible marks; refuse control characters (a YAML escape such as "\\x1f" in the front matter
    makes one that the raw file did not show)."""
    text = text.translate(_INVISIBLE)
    for offset, ch in enumerate(text):
        if unicodedata.category(ch) == "Cc" and ch not in "\n\t":
            nl = text.count("\n", 0, offset)
            raise SourceError(path, line + nl, 1, f"control character U+{ord(ch):04X} in the text; delete it")
    return text


def _refuse_controls(text: str, path: Path) -> None:
    """A control character anywhere in the file (front matter, body, comments) is an error at its LINE:COL."""
    for offset, ch in enumerate(text):
        if ch not in "\n\t" and unicodedata.category(ch) == "Cc":
            line = text.count("\n", 0, offset) + 1
            col = offset - text.rfind("\n", 0, offset)
            raise SourceError(path, line, col, f"control character U+{ord(ch):04X} in the text; delete it")


def load_article(path: Path, article_id: str | None = None) -> Article:
    """Parse an article file; raises SourceError naming FILE:LINE:COL."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(path, 1, 1, "article file not found; create it or fix `article:` in the spec") from None
    except OSError as err:
        raise SourceError(path, 1, 1, f"cannot read article: {err.strerror}") from None
    key = (str(path), article_id, raw)
    article = _ARTICLES.get(key)
    if article is None:
        article = _parse_article(path, article_id, raw)
        if len(_ARTICLES) >= ARTICLE_MEMO:
            del _ARTICLES[next(iter(_ARTICLES))]          # the oldest entry
        _ARTICLES[key] = article
    return article


#: Articles parsed in this process, keyed by path, id and the file's bytes: a rebuild after an edit
#: parses only the file that changed (an Article is frozen, so one object serves every build)
_ARTICLES: dict = {}
ARTICLE_MEMO = 256


def _parse_article(path: Path, article_id: str | None, raw: bytes) -> Article:
    text = decode_utf8(raw, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_controls(text, path)
    text = text.lstrip("\ufeff")
    front, body, body_line = _split_front_matter(text, path)
    fields, origins = {}, ()
    if front is not None:
        meta = load_yaml(front, path, line_offset=1)
        if meta is not None and not isinstance(meta, Map):
            raise SourceError(path, 2, 1, "front matter must be `key: value` lines (rubric, kicker, headline, ...)")
        values = FRONT.read(meta, Where(path, 2, 1))
        fields = {k: clean(v, path, meta.at(k).line).strip() if isinstance(v, str) and meta else v
                  for k, v in values.items()}
        origins = _front_origins(text, fields)
    base = len(text) - len(body)                      # the body is the file's tail
    kept = [(ch, base + i) for i, ch in enumerate(body) if ord(ch) not in _INVISIBLE]
    paras, notes = parse_body("".join(ch for ch, _ in kept), body_line, str(path), [at for _, at in kept])
    return Article(id=article_id or path.stem, path=path, paragraphs=tuple(p.text for p in paras),
                   body=paras, notes=notes, origins=origins, **fields)


def _front_origins(text: str, fields: dict) -> tuple:
    """(key, offsets) of each front-matter text written on its key's line as it is set (plain or quoted
    on one line); a value that YAML rewrites (folded, escaped) gets none: its key's line is the answer."""
    out = []
    for key, value in fields.items():
        if not isinstance(value, str) or not value:
            continue
        m = re.search(rf"^{re.escape(key)}[ \t]*:[ \t]*", text, re.M)
        if m is None:
            continue
        end = text.find("\n", m.end())
        start = text.find(value, m.end(), len(text) if end < 0 else end)
        if start >= 0:
            out.append((key, tuple(range(start, start + len(value)))))
    return tuple(out)


def _split_front_matter(text: str, path: Path):
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise SourceError(path, 1, 1, "front matter opened with `---` is never closed; add a `---` line after it")

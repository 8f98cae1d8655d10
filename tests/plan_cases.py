"""Random story sets for `layout plan` (issue 16): 3 to 10 stories of 200-2,500 characters from the corpus,
with and without photos, 8- and 6-column grids, a fixed ad block in the bottom right corner. Shared by the
property test (tests/test_plan.py) and `make bench` (bench/plan_bench.py)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FLAGSHIP = ROOT / "content" / "dangqi-linghang" / "page.yaml"
PHOTO = ROOT / "content" / "dangqi-linghang" / "images" / "party-day.jpg"
PARAGRAPH = 180           # characters a paragraph


def corpus_text() -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    # without the characters Markdown reads as marks (emphasis, code, links, escapes, HTML, tables), so that a
    # story's characters are the file's: "the last N characters" names the same ones in both
    return re.sub(r"[\s*_`\\\[\]<>#|~&]+", "", text)


CORPUS_TEXT = corpus_text()


def random_sample(rng) -> tuple:
    """(count, [(paragraphs, photo)], columns) drawn with `rng` (random.Random): the bench's fixed cases,
    drawn as the property test's strategy draws them."""
    count = rng.randint(3, 10)
    stories = []
    for k in range(count):
        size = rng.randint(200, 2500)
        start = rng.randint(0, len(CORPUS_TEXT) - size - 1)
        stories.append((paragraphs_of(CORPUS_TEXT[start:start + size]), rng.random() < 0.5 if k < 2 else False))
    return count, stories, rng.choice([8, 6])


def paragraphs_of(body: str) -> list:
    return [body[i:i + PARAGRAPH] for i in range(0, len(body), PARAGRAPH)]


def write_case(folder: Path, sample) -> Path:
    """The page folder of a sample: the flagship's template on a 390 x 380 mm page with `columns` columns,
    a fixed 3 x 20 ad block in its bottom right corner, the stories s01... ranked in order (photo and caption
    for the first two when drawn)."""
    from layout.grid import make_grid
    from layout.spec import load_spec
    count, stories, columns = sample
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "articles").mkdir(parents=True)
    (folder / "images").mkdir()
    shutil.copy(PHOTO, folder / "images" / "p.jpg")
    template = FLAGSHIP.read_text(encoding="utf-8").split("\nblocks:")[0]
    template = template.replace("columns: 8", f"columns: {columns}").replace("[390mm, 545mm]", "[390mm, 380mm]")
    ad = "\nblocks:\n  - id: ad\n    photo: images/p.jpg\n    at: [{col}, {line}]\n    size: [3, 20]\n    fixed: true\n"
    (folder / "page.yaml").write_text(template + ad.format(col=1, line=1), encoding="utf-8")
    lines = make_grid(load_spec(folder / "page.yaml")).lines
    (folder / "page.yaml").write_text(template + ad.format(col=columns - 2, line=lines - 19), encoding="utf-8")
    for k, (paragraphs, photo) in enumerate(stories, 1):
        front = f"priority: {k}\nheadline: 第{k}条新闻标题\n"
        if photo:
            front += f"photo: images/p.jpg\ncaption: cap{k}\n"
            (folder / "articles" / f"cap{k}.md").write_text("图片说明文字。\n", encoding="utf-8")
        (folder / "articles" / f"s{k:02d}.md").write_text(f"---\n{front}---\n\n" + "\n\n".join(paragraphs) + "\n",
                                                         encoding="utf-8")
    return folder


def apply_cuts(folder: Path, cuts) -> None:
    """Do what the planner said would have to go: a story named whole is removed, with its photo's caption
    (left alone, a caption file is an article of its own), a story with `lines` > 0 loses its last `chars`
    characters (non-space, as `count_chars` counts them)."""
    for story, chars, lines in cuts:
        path = folder / "articles" / f"{story.id}.md"
        if not lines:
            caption = re.search(r"^caption: (\S+)$", path.read_text(encoding="utf-8").split("---\n\n", 1)[0], re.M)
            if caption:
                (folder / "articles" / f"{caption.group(1)}.md").unlink()
            path.unlink()
            continue
        head, body = path.read_text(encoding="utf-8").split("---\n\n", 1)
        paragraphs, left = [p.strip() for p in body.split("\n\n") if p.strip()], chars
        while left > 0:                 # from the end, the paragraphs kept as they are (as `shortened` cuts)
            assert paragraphs, (story.id, chars)
            last = paragraphs.pop()
            if len(last) > left:
                paragraphs.append(last[:len(last) - left])
            left -= len(last)
        assert paragraphs, (story.id, chars)
        path.write_text(head + "---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def give_lead_photo(folder: Path) -> None:
    """Do what the planner advised for a lead too short for its page and without a photo: s01 given a photo
    of exactly 3:2 (the advice's stand-in; the bench's photo is 1.502:1), no caption."""
    from PIL import Image
    Image.open(PHOTO).convert("RGB").resize((1500, 1000)).save(folder / "images" / "lead.jpg", quality=80)
    path = folder / "articles" / "s01.md"
    text = path.read_text(encoding="utf-8")
    assert "\nphoto:" not in text, "s01 has a photo already"
    path.write_text(text.replace("---\n", "---\nphoto: images/lead.jpg\n", 1), encoding="utf-8")


def lengthen_lead(folder: Path, times: int) -> None:
    """Do what the planner advised for a lead too short for its page: s01's body `times` over, its paragraphs
    repeated in order (as layout.plan.measure.lengthened makes it)."""
    path = folder / "articles" / "s01.md"
    head, body = path.read_text(encoding="utf-8").split("---\n\n", 1)
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    path.write_text(head + "---\n\n" + "\n\n".join(paragraphs * times) + "\n", encoding="utf-8")

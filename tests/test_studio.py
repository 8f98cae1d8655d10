"""The page studio in a real headless Chromium: statuses, live overflow, drag with the YAML kept,
the error banner, click to source, and the browser's page against the PDF, pixel by pixel."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.studio_support import (ROOT, Browser, Server, build_number, copy_page, restore_spec, wait_build_after,
                                  wait_frame, wait_until)

pytestmark = pytest.mark.slow
FLAGSHIP = ROOT / "content" / "dangqi-linghang"
ZOOM = 1.5              # 108 dpi: CSS px per pt in the browser, and the PDF rendering's scale
PIXEL_TOLERANCE = 96    # grey levels a pixel may differ from the best match within one pixel around it
TILE = 24               # px
TILE_LIMIT = 60         # mismatched pixels allowed in any 24 x 24 tile (antialiasing, stem darkening)


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    folder = copy_page(FLAGSHIP, tmp_path_factory.mktemp("studio") / "page")
    server = Server(folder, folder.parent / "page.pdf")
    browser = Browser(1400, 1000)
    try:
        yield server, browser
    finally:
        browser.close()
        server.stop()


@pytest.fixture()
def tab(studio):
    server, browser = studio
    page = browser.page(server.url)
    yield page
    page.close()


def get(url: str, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def post(url: str, body) -> tuple:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def check_json(folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "layout", "check", str(folder), "--report", "json"],
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def statuses(page) -> dict:
    return page.evaluate("""Object.fromEntries([...document.querySelectorAll('[data-block]')].map(
        e => [e.dataset.block, [e.dataset.status, +e.dataset.overflowChars, +e.dataset.emptyLines]]))""")


def mismatches(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pixels of a that no pixel of b within one pixel matches to PIXEL_TOLERANCE, and the other way."""
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:h, :w].astype(int), b[:h, :w].astype(int)
    out = np.zeros((h, w), bool)
    for x, y in ((a, b), (b, a)):
        pad, best = np.pad(y, 1, mode="edge"), np.full((h, w), 999)
        for dy in range(3):
            for dx in range(3):
                best = np.minimum(best, np.abs(x - pad[dy:dy + h, dx:dx + w]))
        out |= best > PIXEL_TOLERANCE
    return out


def worst_tile(m: np.ndarray) -> int:
    h, w = m.shape[0] // TILE * TILE, m.shape[1] // TILE * TILE
    return int(m[:h, :w].reshape(h // TILE, TILE, w // TILE, TILE).sum(axis=(1, 3)).max())


def test_first_line_and_local_only(studio):
    server, _ = studio
    assert server.first_line == f"serving http://127.0.0.1:{server.port}/"
    assert get(server.url)[0] == 200
    # DNS rebinding: a page of another name that resolves to 127.0.0.1 is refused, as is another origin
    assert get(server.url, {"Host": f"attacker.example:{server.port}"})[0] == 403
    assert get(server.url + "api/report", {"Origin": "http://attacker.example"})[0] == 403
    # only photos the spec names, never other files of the folder or beyond it
    assert get(server.url + "photo/0/page.yaml")[0] == 404
    assert get(server.url + "photo/0/../../etc/passwd")[0] == 404


def test_pixels_match_the_pdf(studio, tab):
    """The browser draws the display list; the PDF is rendered at the same resolution (pypdfium2)."""
    import pypdfium2 as pdfium
    from PIL import Image
    server, _ = studio
    status, body = get(server.url + "api/report")          # waits for the PDF of this state
    assert status == 200 and json.loads(body)["written"]
    tab.set_viewport_size({"width": 1700, "height": 2400})
    tab.evaluate(f"""document.body.classList.add('clean', 'proof');
        const z = document.getElementById('zoom'); z.value = {ZOOM}; z.dispatchEvent(new Event('input'));""")
    tab.evaluate("document.fonts.ready.then(() => true)")
    tab.wait_for_timeout(300)
    box = tab.locator("svg[data-page='0']").bounding_box()
    shot = np.asarray(Image.open(io.BytesIO(tab.screenshot(clip=box))).convert("L"))
    pdf = pdfium.PdfDocument(str(server.output))
    edge = 3 / 25.4 * 72                                       # the flagship's 3 mm bleed
    ref = np.asarray(pdf[0].render(scale=ZOOM, crop=(edge, edge, edge, edge)).to_pil().convert("L"))
    pdf.close()
    assert abs(shot.shape[0] - ref.shape[0]) <= 1 and abs(shot.shape[1] - ref.shape[1]) <= 1
    assert (ref < 128).mean() > 0.03                          # the reference is a page, not a blank
    good = worst_tile(mismatches(shot, ref))
    assert good <= TILE_LIMIT, f"a {TILE} px tile has {good} pixels unlike the PDF"
    # the comparison can fail: the headline of `police` drawn 2 pt to the right
    tab.evaluate("""const t = document.querySelector('g[data-block=police] text[data-role=headline]');
        t.setAttribute('x', t.getAttribute('x').split(' ').map(v => +v + 2).join(' '));""")
    moved = np.asarray(Image.open(io.BytesIO(tab.screenshot(clip=box))).convert("L"))
    assert worst_tile(mismatches(moved, ref)) > TILE_LIMIT


def test_statuses_match_report_json(studio, tab):
    server, _ = studio
    status, body = get(server.url + "api/report")
    assert status == 200
    served = json.loads(body)
    built = subprocess.run([sys.executable, "-m", "layout", "build", str(server.folder), "-o", str(server.output),
                            "--report", "json"], capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    assert served == json.loads(built.stdout)
    shown = statuses(tab)
    assert {a["block"] for a in served["articles"]} <= set(shown)
    for a in served["articles"]:
        assert shown[a["block"]] == [a["status"], a["overflow_chars"], a["empty_lines"]], a["block"]
    assert tab.locator("[data-page='0']").count() == 1


def test_article_edited_until_it_overflows(studio, tab):
    server, _ = studio
    article = server.folder / "articles" / "dongfenglu.md"
    original = article.read_text(encoding="utf-8")
    try:
        extra = ""
        for _ in range(12):
            k = build_number(tab)
            extra += "\n\n" + "社区志愿者每天走访居民，了解群众的实际困难并及时帮助解决。" * 4
            article.write_text(original + extra, encoding="utf-8")
            wait_build_after(tab, k)
            if statuses(tab)["police"][0] == "overflow":
                break
        shown = statuses(tab)["police"]
        expected = next(a for a in check_json(server.folder)["articles"] if a["block"] == "police")
        assert shown == ["overflow", expected["overflow_chars"], expected["empty_lines"]]
        assert expected["overflow_chars"] > 0
        assert tab.locator("g[data-block=police] text.overflow-text").count() > 0   # shown faded below
    finally:
        k = build_number(tab)
        article.write_text(original, encoding="utf-8")
        wait_build_after(tab, k)
    assert statuses(tab)["police"][0] != "overflow"


def rect(tab, selector: str) -> dict:
    return tab.evaluate(f"""(() => {{ const b = document.querySelector({selector!r}).getBoundingClientRect();
        return {{x: b.x, y: b.y, width: b.width, height: b.height}}; }})()""")


def label_heights(tab) -> dict:
    """block id -> (its label's height in CSS px, its font size in CSS px) on page 0."""
    return tab.evaluate("""Object.fromEntries([...document.querySelectorAll('svg[data-page="0"] g[data-block]')]
        .map(g => { const l = g.closest('.sheet').querySelector(`[data-label="${g.dataset.block}"]`);
                    return [g.dataset.block, l ? [l.getBoundingClientRect().height,
                            parseFloat(getComputedStyle(l).fontSize), l.textContent] : null]; }))""")


def test_labels_readable_at_any_zoom_and_the_width_fitted(studio, tab):
    """At first the page's width fills the window; every block's label (id and status) is ~11 px on screen
    whatever the zoom, inside its frame's bottom-left corner; + / - / 0 and the buttons zoom."""
    width = lambda: tab.locator("svg[data-page='0']").bounding_box()["width"]
    room = lambda: tab.evaluate("""(() => { const p = document.getElementById('pages'), s = getComputedStyle(p);
        return p.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); })()""")
    assert abs(width() - room()) <= 2, (width(), room())
    assert "fit" in tab.locator("#zoom-pct").text_content()
    fitted = width()
    base = label_heights(tab)
    assert len(base) == 8 and all(base.values()), base
    for block, (height, size, text) in base.items():
        assert height >= 10 and size >= 10.5 and text.startswith(block), (block, height, size, text)
        frame, label = rect(tab, f"g[data-block='{block}'] rect.box"), rect(tab, f"[data-label='{block}']")
        assert frame["x"] - 1 <= label["x"] <= frame["x"] + 4
        assert frame["y"] <= label["y"] and label["y"] + label["height"] <= frame["y"] + frame["height"] + 1
    tab.locator("body").press("+")
    tab.locator("body").press("+")
    assert width() == pytest.approx(fitted * 1.25 ** 2, rel=0.01)
    assert "fit" not in tab.locator("#zoom-pct").text_content()
    tab.locator("body").press("-")
    tab.locator("body").press("-")
    tab.locator("body").press("-")
    tab.locator("body").press("-")
    assert width() == pytest.approx(fitted / 1.25 ** 2, rel=0.01)
    small = label_heights(tab)
    assert all(abs(small[b][0] - base[b][0]) < 1 and small[b][1] == base[b][1] for b in base), (small, base)
    tab.locator("body").press("0")
    assert abs(width() - fitted) <= 1
    tab.locator("#zoom-in").click()
    assert width() == pytest.approx(fitted * 1.25, rel=0.01)
    tab.locator("#zoom-fit").click()
    assert abs(width() - fitted) <= 1
    tab.set_viewport_size({"width": 1100, "height": 900})         # fitted again when the window changes
    tab.wait_for_function(f"document.querySelector('svg[data-page=\"0\"]').getBoundingClientRect().width < {fitted - 100}")
    assert abs(width() - room()) <= 2


def test_overflow_text_shown_on_demand_never_over_another_block(studio, tab):
    """The faded overflowing text is not drawn over the block below; pointing at the `+N chars` of the
    block's label shows it below the block on an opaque panel above every block; a click keeps it shown."""
    server, _ = studio
    article = server.folder / "articles" / "dongfenglu.md"
    original = article.read_text(encoding="utf-8")
    try:
        k = build_number(tab)
        article.write_text(original + ("\n\n" + "社区志愿者每天走访居民，了解群众的实际困难并及时帮助解决。" * 4) * 6,
                           encoding="utf-8")
        tab.wait_for_function(f"""Number(document.documentElement.dataset.build) > {k} &&
            document.querySelector('g[data-block=police]').dataset.status === 'overflow'""")
        chars = statuses(tab)["police"][1]
        assert chars > 0 and tab.locator("g[data-block=police] text.overflow-text").count() > 0
        # at rest: no overflowing text over another block's frame
        over = tab.evaluate("""(() => {
            const boxes = [...document.querySelectorAll('svg[data-page="0"] g[data-block]')].map(
                g => [g.dataset.block, g.querySelector('rect.box').getBoundingClientRect()]);
            const hit = (a, b) => a.width > 0 && a.height > 0 && a.x < b.right - 1 && b.x < a.right - 1 &&
                                  a.y < b.bottom - 1 && b.y < a.bottom - 1;
            return [...document.querySelectorAll('svg[data-page="0"] text.overflow-text')].flatMap(t => {
                const own = t.closest('g[data-block]').dataset.block, r = t.getBoundingClientRect();
                return boxes.filter(([id, b]) => id !== own && hit(r, b)).map(([id]) => id); }); })()""")
        assert over == []
        assert tab.locator("svg g.peek").count() == 0
        chip = tab.locator("[data-label=police] .status")
        assert chip.text_content().startswith(f"+{chars} chars")
        # pointing at `+N chars`: the faded lines below the block, on an opaque panel drawn last
        chip.hover()
        tab.locator("svg[data-page='0'] g.peek[data-peek=police]").wait_for(state="visible")
        shown = tab.evaluate("""(() => {
            const svg = document.querySelector('svg[data-page="0"]'), peek = svg.querySelector('g.peek');
            const panel = peek.querySelector('rect.panel').getBoundingClientRect();
            const frame = svg.querySelector('g[data-block=police] rect.box').getBoundingClientRect();
            const texts = [...peek.querySelectorAll('text.overflow-text')];
            const inside = texts.every(t => { const r = t.getBoundingClientRect();
                return r.width > 0 && r.x >= panel.x - 1 && r.right <= panel.right + 1 && r.y >= panel.y - 1 &&
                       r.bottom <= panel.bottom + 1 && r.y >= frame.bottom - 2; });
            return {last: svg.lastElementChild === peek, n: texts.length, inside,
                    opacity: Math.max(...texts.map(t => +getComputedStyle(t).opacity)),
                    fill: getComputedStyle(peek.querySelector('rect.panel')).fill}; })()""")
        assert shown["last"] and shown["n"] == tab.locator("g[data-block=police] text.overflow-text").count()
        assert shown["inside"] and shown["opacity"] < 1
        alpha = shown["fill"].replace(")", "").split(",")
        assert shown["fill"].startswith("rgb(") or float(alpha[3]) >= 0.9, shown["fill"]
        tab.mouse.move(5, 300)
        tab.wait_for_function("!document.querySelector('svg g.peek')")
        # a click keeps it shown (through live updates), Escape hides it
        chip.click()
        tab.mouse.move(5, 300)
        k = build_number(tab)
        article.write_text(article.read_text(encoding="utf-8") + "\n\n再加一段。", encoding="utf-8")
        wait_build_after(tab, k)
        assert tab.locator("svg g.peek[data-peek=police]").count() == 1
        tab.locator("body").press("Escape")
        tab.wait_for_function("!document.querySelector('svg g.peek')")
    finally:
        k = build_number(tab)
        article.write_text(original, encoding="utf-8")
        wait_build_after(tab, k)
    assert statuses(tab)["police"][0] != "overflow"


def test_drag_one_column_keeps_the_yaml(studio, tab):
    """Each step waits on what the page shows (data-at/data-size) or on the file, never on a fixed time."""
    server, _ = studio
    spec = server.folder / "page.yaml"
    original = spec.read_text(encoding="utf-8")
    try:
        # make room: `police` one column narrow, then drag it one column to the right by hand
        status, body = post(server.url + "api/blocks/police", {"size": [1, 32]})
        assert status == 200 and "articles" in body["report"]
        wait_frame(tab, "police", at="3 43", size="1 32")
        narrowed = spec.read_text(encoding="utf-8")
        col, _ = grid_px(tab)
        frame = frame_box(tab, "police")
        drag(tab, frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] * 0.95, col, 0)
        wait_until(lambda: "at: [4, 43]" in spec.read_text(encoding="utf-8"))
        moved = spec.read_text(encoding="utf-8")
        assert only_changed_line(narrowed, moved) == "    at: [4, 43]"
        assert [ln for ln in moved.splitlines() if "#" in ln] == [ln for ln in original.splitlines() if "#" in ln]
        wait_frame(tab, "police", at="4 43", size="1 32")                    # redrawn where it was dropped
        # an overlap is refused on the page with the CLI's message, and nothing is written
        status, body = post(server.url + "api/blocks/lead", {"at": [2, 1]})
        assert status == 409 and body["error"].startswith(f"error: {spec}:") and "overlaps block" in body["error"]
        assert spec.read_text(encoding="utf-8") == moved
        assert post(server.url + "api/blocks/lead", {"at": [0, 1]})[0] == 422
        assert post(server.url + "api/blocks/lead", {"size": [9, 41]})[0] == 409     # leaves the grid
        assert spec.read_text(encoding="utf-8") == moved
        # Ctrl-Z puts the previous values back (the undo entry is taken when the drag is sent)
        assert tab.evaluate("document.documentElement.dataset.undo") == "1"
        tab.keyboard.press("Control+z")
        wait_until(lambda: "at: [3, 43]" in spec.read_text(encoding="utf-8"))
        assert spec.read_text(encoding="utf-8") == narrowed
        wait_frame(tab, "police", at="3 43", size="1 32")
    finally:
        restore_spec(tab, spec, original)


def test_broken_yaml_shows_the_banner_and_keeps_the_page(studio, tab):
    server, _ = studio
    spec = server.folder / "page.yaml"
    original = spec.read_text(encoding="utf-8")
    k = build_number(tab)
    try:
        spec.write_text(original.replace("at: [3, 43]", "at: [3, 43", 1), encoding="utf-8")
        wait_build_after(tab, k)
        banner = tab.locator("[data-error]")
        assert banner.is_visible()
        line = banner.get_attribute("data-error")
        assert line.startswith(f"error: {spec}:") and line.split(":")[2].isdigit()
        assert tab.locator("g[data-block]").count() == 8          # the last good page stays
    finally:
        k = build_number(tab)
        spec.write_text(original, encoding="utf-8")
    wait_build_after(tab, k)
    assert tab.locator("[data-error]").count() == 0


def test_click_a_line_shows_its_source(studio, tab):
    server, _ = studio
    text = tab.locator("g[data-block=village] text[data-role=body]").nth(3)
    box = text.bounding_box()
    tab.mouse.click(box["x"] + 1.5 * box["height"], box["y"] + box["height"] / 2)
    tab.wait_for_function("document.getElementById('where-text').dataset.where !== undefined")
    where = tab.locator("#where-text").get_attribute("data-where")
    path, line, col = where.rsplit(":", 2)
    assert Path(path) == server.folder / "articles" / "tabusai.md"
    shown = text.text_content()
    source_line = Path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert source_line[int(col) - 1] in shown
    assert tab.locator("#where-link").get_attribute("href").startswith("vscode://file/")
    # a click on the block's frame (not on text) shows its lines of page.yaml
    frame = tab.locator("g[data-block=photo] rect.box").bounding_box()
    tab.evaluate("document.getElementById('where-text').removeAttribute('data-where')")
    tab.mouse.click(frame["x"] + 3, frame["y"] + frame["height"] - 3)
    tab.wait_for_function("document.getElementById('where-text').dataset.where !== undefined")
    assert "id: photo" in tab.locator("#where-text pre").text_content()


def drag(tab, x: float, y: float, dx: float, dy: float) -> None:
    tab.mouse.move(x, y)
    tab.mouse.down()
    tab.mouse.move(x + dx / 2, y + dy / 2, steps=4)
    tab.mouse.move(x + dx, y + dy, steps=4)
    tab.mouse.up()


def frame_box(tab, block: str) -> dict:
    """The frame of `block` on page 0, scrolled to the middle of the view (the page is fitted to the
    window's width, so its lower blocks may start below the view): its box in CSS px."""
    return tab.evaluate("""(id) => { const r = document.querySelector(`svg[data-page="0"] g[data-block="${id}"] rect.box`);
        r.scrollIntoView({block: "center", inline: "center"}); const b = r.getBoundingClientRect();
        return {x: b.x, y: b.y, width: b.width, height: b.height}; }""", block)


def grid_px(tab) -> tuple:
    """(CSS px of one column step, of one grid line) on page 0 at the current zoom."""
    return tuple(tab.evaluate("""(() => { const s = document.querySelector('svg[data-page="0"]');
        const k = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
        const r = s.querySelectorAll('.gridlines rect'), l = s.querySelectorAll('.gridlines line');
        return [(r[1].x.baseVal.value - r[0].x.baseVal.value) * k,
                (l[1].y1.baseVal.value - l[0].y1.baseVal.value) * k]; })()"""))


def only_changed_line(before: str, after: str) -> str:
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b)
    changed = [i for i, (p, q) in enumerate(zip(a, b)) if p != q]
    assert len(changed) == 1, changed
    return b[changed[0]]


def test_resize_by_dragging_an_edge(studio, tab):
    """Bottom edge: lines; right edge: columns; snapped to the grid; only that block's `size` written; an
    overlap refused on the page with the CLI's message and nothing written; Ctrl-Z undoes each step.
    Each step waits on what the page shows (data-size, the refusal) or on the file, never on a fixed time."""
    server, _ = studio
    spec = server.folder / "page.yaml"
    original = spec.read_text(encoding="utf-8")
    col, line = grid_px(tab)
    try:
        box = frame_box(tab, "village")
        # the bottom edge of `village`, 2.3 lines up: snaps to 2 lines, columns untouched
        drag(tab, box["x"] + box["width"] / 2, box["y"] + box["height"] - 1, 0, -2.3 * line)
        wait_until(lambda: spec.read_text(encoding="utf-8") != original)
        shorter = spec.read_text(encoding="utf-8")
        assert only_changed_line(original, shorter) == "    size: [2, 30]"
        assert shorter.index("size: [2, 30]") > shorter.index("id: village") > shorter.index("id: police")
        wait_frame(tab, "village", at="5 43", size="2 30")
        assert abs(box["height"] - frame_box(tab, "village")["height"]
                   - 2 * line) < 1         # the frame redrawn 2 lines shorter (its geometry, not its stroke)
        # the right edge of `grid-work`, 0.8 column to the left: one column fewer, lines untouched
        box = frame_box(tab, "grid-work")
        drag(tab, box["x"] + box["width"] - 1, box["y"] + box["height"] / 3, -0.8 * col, 0)
        wait_until(lambda: spec.read_text(encoding="utf-8") != shorter)
        narrower = spec.read_text(encoding="utf-8")
        assert only_changed_line(shorter, narrower) == "    size: [1, 32]"
        assert narrower.index("size: [1, 32]") > narrower.index("id: grid-work")
        assert [ln for ln in narrower.splitlines() if "#" in ln] == [ln for ln in original.splitlines() if "#" in ln]
        wait_frame(tab, "grid-work", at="7 43", size="1 32")
        # the right edge of `practice` one column on: it would overlap `police`: refused, nothing written
        box = frame_box(tab, "practice")
        drag(tab, box["x"] + box["width"] - 1, box["y"] + box["height"] / 3, col, 0)
        tab.wait_for_function("document.getElementById('refused').dataset.refused !== undefined")
        refused = tab.locator("#refused").get_attribute("data-refused")
        assert refused.startswith(f"error: {spec}:") and "overlaps block" in refused
        assert tab.locator("#refused").is_visible()
        assert spec.read_text(encoding="utf-8") == narrower
        # Ctrl-Z twice: the columns back, then the lines back (the refused drag left no undo entry)
        assert tab.evaluate("document.documentElement.dataset.undo") == "2"
        tab.keyboard.press("Control+z")
        wait_until(lambda: spec.read_text(encoding="utf-8") == shorter)
        wait_frame(tab, "grid-work", size="2 32")
        tab.keyboard.press("Control+z")
        wait_until(lambda: spec.read_text(encoding="utf-8") == original)
        wait_frame(tab, "village", size="2 32")
    finally:
        restore_spec(tab, spec, original)


def test_post_returns_the_same_report_as_get(studio, tab):
    """POST /api/blocks/ID answers the report GET /api/report gives (and `layout build --report json`):
    written, with the preflight findings of the PDF written after the move."""
    server, _ = studio
    spec = server.folder / "page.yaml"
    original = spec.read_text(encoding="utf-8")
    try:
        k = build_number(tab)
        status, body = post(server.url + "api/blocks/grid-work", {"size": [2, 30]})
        assert status == 200
        got = get(server.url + "api/report")
        assert got[0] == 200 and body["report"] == json.loads(got[1])
        assert body["report"]["written"] is True and "preflight" in body["report"]
        built = subprocess.run([sys.executable, "-m", "layout", "build", str(server.folder), "-o",
                                str(server.output), "--report", "json"], capture_output=True, text=True, cwd=ROOT)
        assert built.returncode == 0, built.stderr
        assert body["report"] == json.loads(built.stdout)
        wait_build_after(tab, k)
    finally:
        k = build_number(tab)
        spec.write_text(original, encoding="utf-8")
        wait_build_after(tab, k)


EDITION = ROOT / "content" / "example-edition"


@pytest.fixture(scope="module")
def edition(studio, tmp_path_factory):
    """`layout serve EDITION` on a copy of the example edition, in the browser the module shares."""
    folder = copy_page(EDITION, tmp_path_factory.mktemp("studio-edition") / "edition")
    server = Server(folder / "edition.yaml", folder.parent / "edition.pdf")
    page = studio[1].page(server.url)
    try:
        yield server, page
    finally:
        page.close()
        server.stop()


def test_edition_every_page_with_its_statuses(edition):
    """Every page of the edition drawn (data-page 0, 1), each block's status as `layout build EDITION
    --report json` gives it, and an edit to an article redrawn on its own page only."""
    server, tab = edition
    assert tab.evaluate("[...document.querySelectorAll('svg.page')].map(s => s.dataset.page)") == ["0", "1"]
    on_page = tab.evaluate("""Object.fromEntries([...document.querySelectorAll('svg.page [data-block]')].map(
        e => [e.dataset.block, +e.closest('svg.page').dataset.page]))""")
    assert on_page == {"lead": 0, "grid-work": 0, "lead-continued": 1, "volunteers": 1}
    built = subprocess.run([sys.executable, "-m", "layout", "build", str(server.folder), "-o",
                            str(server.output), "--report", "json"], capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    expected = json.loads(built.stdout)
    assert expected["pages"] == 2 and len(expected["articles"]) == 3
    shown = statuses(tab)
    for a in expected["articles"]:
        assert shown[a["block"]] == [a["status"], a["overflow_chars"], a["empty_lines"]], a["block"]
    status, body = get(server.url + "api/report")
    assert status == 200 and json.loads(body) == expected
    # an edit to the article of page 2's `volunteers`: drawn there, page 1 untouched
    article = server.folder.parent / "articles" / "baohesha.md"
    original = article.read_text(encoding="utf-8")
    first_page = tab.evaluate("document.querySelector('svg[data-page=\"0\"]').innerHTML")
    marker = "编者按新增段落。"
    try:
        k = build_number(tab)
        article.write_text(original.replace("---\n\n", f"---\n\n{marker}\n\n", 1), encoding="utf-8")
        wait_build_after(tab, k)
        where = tab.evaluate(f"""[...document.querySelectorAll('svg.page text')].filter(
            t => t.textContent.includes({json.dumps(marker)})).map(
            t => [t.closest('svg.page').dataset.page, t.closest('[data-block]').dataset.block])""")
        assert where == [["1", "volunteers"]]
        assert tab.evaluate("document.querySelector('svg[data-page=\"0\"]').innerHTML") == first_page
    finally:
        k = build_number(tab)
        article.write_text(original, encoding="utf-8")
        wait_build_after(tab, k)


def test_colours_through_the_output_profile(studio, tab):
    """The browser's fills and photo are the PDF's DeviceCMYK through the page's output profile, as
    Ghostscript renders the PDF under that profile (relative colorimetric, black point compensation);
    the uncorrected formula (1 - c)(1 - k) would miss them by far more than the tolerance."""
    from PIL import Image
    from layout.images import DEFAULT_PROFILE
    server, _ = studio
    status, _ = get(server.url + "api/report")                 # waits for the PDF of this state
    assert status == 200
    scale = 0.5                                                 # px per pt at 36 dpi
    png = server.folder.parent / "colours.png"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m", "-r36", "-dUseTrimBox",
                    f"-sDefaultCMYKProfile={DEFAULT_PROFILE}", "-dRenderIntent=1", "-dBlackPtComp=1",
                    f"-sOutputFile={png}", str(server.output)], check=True)
    ref = np.asarray(Image.open(png).convert("RGB")).astype(int)
    boxes = tab.evaluate("""[...document.querySelectorAll('svg[data-page="0"] g[data-group] > rect[fill]')].map(
        r => [+r.getAttribute('x'), +r.getAttribute('y'), +r.getAttribute('width'), +r.getAttribute('height'),
              r.getAttribute('fill')])""")
    assert boxes, "the flagship's rubric labels are filled boxes"
    for x, y, w, h, fill in boxes:
        shown = np.array([int(fill[i:i + 2], 16) for i in (1, 3, 5)])
        inside = ref[int(y * scale) + 1:int((y + h) * scale) - 1, int(x * scale) + 1:int((x + w) * scale) - 1]
        colours, counts = np.unique(inside.reshape(-1, 3), axis=0, return_counts=True)
        printed = colours[counts.argmax()]                     # the box's own colour, not its white label
        assert np.abs(shown - printed).max() <= 3, (fill, printed)
        c, m, yy, k = 0, 1, 1, 0.1                              # the flagship's rubric colour [0, 100, 100, 10]
        naive = np.array([round(255 * (1 - v) * (1 - k)) for v in (c, m, yy)])
        assert np.abs(naive - printed).max() > 15
    # the photo: its mean colour as served against the same frame in the PDF's rendering
    x, y, w, h, src = tab.evaluate("""(() => { const i = document.querySelector('svg[data-page="0"] image');
        return ['x', 'y', 'width', 'height', 'href'].map(a => i.getAttribute(a)); })()""")
    x, y, w, h = (float(v) for v in (x, y, w, h))
    status, data = get(server.url + src.lstrip("/"))
    assert status == 200
    served = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).reshape(-1, 3).mean(axis=0)
    region = ref[int(y * scale) + 2:int((y + h) * scale) - 2, int(x * scale) + 2:int((x + w) * scale) - 2]
    printed = region.reshape(-1, 3).mean(axis=0)
    assert np.abs(served - printed).max() <= 4, (served, printed)
    from layout.session import Session                      # the CMYK JPEG converted without the profile
    session = Session(server.folder / "page.yaml", server.output)
    session.rebuild()
    jpeg = session.pages[0].images[src.split("/", 3)[3].split("?")[0]].jpeg
    naive = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")).reshape(-1, 3).mean(axis=0)
    assert np.abs(naive - printed).max() > 12


def click_char(tab, block: str, role: str, needle: str, k: int, last: bool = False) -> dict:
    """Click character k of `needle` in the first (or last) text line of `role` in `block` (or in the
    page's own group, "page": header and footer) holding it; the answer the page shows for it."""
    point = tab.evaluate("""([block, role, needle, k, last]) => {
        let ts = [...document.querySelectorAll(`g[data-group="${block}"] text[data-role="${role}"]`)]
            .filter(t => t.textContent.includes(needle));
        const t = last ? ts[ts.length - 1] : ts[0];
        t.scrollIntoView({block: "center", inline: "center"});
        const e = t.getExtentOfChar(t.textContent.indexOf(needle) + k);
        const p = new DOMPoint(e.x + e.width / 2, e.y + e.height / 2).matrixTransform(t.getScreenCTM());
        return [p.x, p.y, t.dataset.file || ""]; }""", [block, role, needle, k, last])
    tab.evaluate("document.getElementById('where-text').removeAttribute('data-where')")
    tab.mouse.click(point[0], point[1])
    tab.wait_for_function("document.getElementById('where-text').dataset.where !== undefined")
    where = tab.locator("#where-text").get_attribute("data-where")
    path, line, col = where.rsplit(":", 2)
    return {"file": path, "line": int(line), "col": int(col), "data_file": point[2],
            "link": tab.locator("#where-link").get_attribute("href")}


def test_click_to_source_is_exact(studio, tab):
    """Offsets carried from the file through the composer into the SVG: a sentence that repeats, a
    paragraph joined from two source lines, text after **bold** marks and list markers all answer
    the LINE:COL where the character stands in the article file."""
    server, _ = studio
    article = server.folder / "articles" / "huimin.md"
    original = article.read_text(encoding="utf-8")
    lines = ["---", "headline: 点击定位", "byline: 记者 甲乙", "---", "",
             "重复句子。甲乙。", "",                       # 6
             "- 一项：**加粗**后文。",                      # 8
             "- 重复句子。", "",                           # 9
             "<!-- 注释 -->重复句子。", "丙丁。", "",       # 11, 12: one paragraph from two lines
             "𬕂镇试点。", ""]                               # 14: a character beyond U+FFFF first
    try:
        k = build_number(tab)
        article.write_text("\n".join(lines), encoding="utf-8")
        wait_build_after(tab, k)

        def expect(got, line: int, char: str, nth: int = 0):
            text = lines[line - 1]
            col = [i for i, ch in enumerate(text) if ch == char][nth] + 1
            assert (got["file"], got["line"], got["col"]) == (str(article), line, col), (got, line, col)
            assert got["data_file"] == str(article)
        expect(click_char(tab, "grid-work", "body", "重复句子", 2), 6, "句")
        expect(click_char(tab, "grid-work", "body", "重复句子", 2, last=True), 11, "句")
        expect(click_char(tab, "grid-work", "body", "丙丁", 1, last=True), 12, "丁")
        expect(click_char(tab, "grid-work", "item", "后文", 1), 8, "文")
        expect(click_char(tab, "grid-work", "item", "加粗", 1), 8, "粗")
        expect(click_char(tab, "grid-work", "item", "重复句子", 3), 9, "子")
        expect(click_char(tab, "grid-work", "headline", "定位", 1), 2, "位")
        expect(click_char(tab, "grid-work", "body", "记者", 1), 3, "者")            # the run-in byline
        # columns count characters (code points), as every error line; the vscode:// link counts UTF-16
        # code units, as VS Code does: 试 is the 3rd character of its line, after 𬕂 (two UTF-16 units)
        got = click_char(tab, "grid-work", "body", "试点", 0)
        expect(got, 14, "试")
        assert got["col"] == 3 and got["link"] == f"vscode://file/{article.resolve()}:14:4"
    finally:
        k = build_number(tab)
        article.write_text(original, encoding="utf-8")
        wait_build_after(tab, k)


def test_click_folio_credits_and_vertical_headline(studio, tab):
    """Text that is not an article's body answers where it is typed too: the header's folio and the
    footer's credits (the page's own group) their values in page.yaml, 第 and 版 the folio they are made
    from; a vertical headline (竖题), one <text> per cell, its characters in the article's front matter."""
    server, _ = studio
    spec = server.folder / "page.yaml"
    original = spec.read_text(encoding="utf-8")
    lines = original.split("\n")

    def at(got, line: int, col: int, path: Path = spec):
        assert (got["file"], got["line"], got["col"]) == (str(path), line, col), (got, line, col)
    folio = next(i for i, ln in enumerate(lines) if ln.startswith("  folio:")) + 1
    col = lines[folio - 1].index("5", 8) + 1
    at(click_char(tab, "page", "header", "第5版", 1), folio, col)
    at(click_char(tab, "page", "header", "第5版", 0), folio, col)
    at(click_char(tab, "page", "header", "第5版", 2), folio, col)
    credits = next(i for i, ln in enumerate(lines) if ln.startswith("  credits:")) + 1
    at(click_char(tab, "page", "footer", "美编", 1), credits, lines[credits - 1].index("美编") + 2)
    article = server.folder / "articles" / "daerdeng.md"
    head = article.read_text(encoding="utf-8").split("\n")
    headline = next(i for i, ln in enumerate(head) if ln.startswith("headline:")) + 1
    try:
        spec.write_text(original.replace("    head_lines: 7\n", "    head_lines: 7\n    headline_direction: vertical\n",
                                         1), encoding="utf-8")
        tab.wait_for_function("""document.querySelectorAll('g[data-block=community] text[data-role=headline]')
            .length >= 8""")                                           # one <text> a cell: set vertically
        got = click_char(tab, "community", "headline", "聚", 0)
        at(got, headline, head[headline - 1].index("聚") + 1, article)
        got = click_char(tab, "community", "headline", "”", 0)       # a mark in its vertical form
        at(got, headline, head[headline - 1].index("”") + 1, article)
    finally:
        spec.write_text(original, encoding="utf-8")
        tab.wait_for_function("""document.querySelectorAll('g[data-block=community] text[data-role=headline]')
            .length < 8""")


def test_a_delivered_ad_is_drawn(studio, tmp_path):
    """A page with a delivered PDF ad: the browser shows the ad's first page in its frame (not a hole)."""
    from PIL import Image
    folder = copy_page(ROOT / "tests" / "fixtures" / "pages" / "story-elements", tmp_path / "page")
    server = Server(folder, tmp_path / "page.pdf")
    try:
        tab = studio[1].page(server.url)
        try:
            image = tab.locator("g[data-block=advert] image.artwork")
            assert image.count() == 1 and image.get_attribute("data-name") == "ads/advert.pdf"
            tab.wait_for_function("[...document.querySelectorAll('image.artwork')].every(i => i.getBBox().width > 0)")
            status, data = get(server.url + image.get_attribute("href").lstrip("/"))
            assert status == 200
            ad = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).reshape(-1, 3).mean(axis=0)
            assert ad[0] > 200 and ad[1] < 180 and ad[2] < 180            # the ad's red box (0, 50, 50, 0)
            assert get(server.url + "art/0/page.yaml")[0] == 404            # only ads the spec names
            assert get(server.url + "photo/0/ads/advert.pdf")[0] == 404     # an ad is not a photo
        finally:
            tab.close()
    finally:
        server.stop()


def test_edition_jump_lines_answer_the_folio_they_name(edition):
    """（下转第6版） answers the folio of the page it names (page-2.yaml's `folio:`), （上接第5版） page-1.yaml's;
    the jump headline (接题) its characters in the article's front matter."""
    server, tab = edition
    folder = server.folder.parent

    def folio_at(name: str) -> tuple:
        lines = (folder / name).read_text(encoding="utf-8").split("\n")
        n = next(i for i, ln in enumerate(lines) if ln.startswith("  folio:"))
        value = lines[n].split(":", 1)[1].split("#")[0].strip()
        return str(folder / name), n + 1, lines[n].index(value, 8) + 1
    for needle, k in (("（下转", 0), ("第", 0), ("6", 0), ("）", 0)):       # the line is drawn in runs
        got = click_char(tab, "lead", "jump", needle, k)
        assert (got["file"], got["line"], got["col"]) == folio_at("page-2.yaml"), needle
    got = click_char(tab, "lead-continued", "jump", "5", 0)
    assert (got["file"], got["line"], got["col"]) == folio_at("page-1.yaml")
    article = folder / "articles" / "wuchuan.md"
    head = article.read_text(encoding="utf-8").split("\n")
    n = next(i for i, ln in enumerate(head) if ln.startswith("headline:"))
    jump = tab.evaluate("""[...document.querySelectorAll('g[data-block="lead-continued"] text[data-role=jump_headline]')]
        .map(t => t.textContent).join('')""")
    assert jump and jump[:2] in head[n]
    got = click_char(tab, "lead-continued", "jump_headline", jump[:2], 1)
    assert (got["file"], got["line"], got["col"]) == (str(article), n + 1, head[n].index(jump[:2]) + 2)


def test_auto_height_kept_by_a_right_edge_drag_and_its_undo(edition):
    """`size: [4, auto]`: a right-edge drag changes the columns and keeps `auto`; a bottom-edge drag sets
    lines; Ctrl-Z puts `auto` back, not the lines it happened to take."""
    server, tab = edition
    spec = server.folder.parent / "page-2.yaml"
    original = spec.read_text(encoding="utf-8")
    assert "    size: [4, auto]" in original
    col, line = grid_px(tab)
    try:
        wait_frame(tab, "volunteers", size="4 auto")
        box = tab.evaluate("""(() => { const r = document.querySelector('g[data-block=volunteers] rect.box');
            r.scrollIntoView({block: "center"}); const b = r.getBoundingClientRect();
            return {x: b.x, y: b.y, width: b.width, height: b.height}; })()""")
        drag(tab, box["x"] + box["width"] - 1, box["y"] + box["height"] / 3, -col, 0)
        wait_until(lambda: spec.read_text(encoding="utf-8") != original)
        assert only_changed_line(original, spec.read_text(encoding="utf-8")) == "    size: [3, auto]"
        wait_frame(tab, "volunteers", size="3 auto")
        box = tab.evaluate("""(() => { const r = document.querySelector('g[data-block=volunteers] rect.box');
            r.scrollIntoView({block: "center"}); const b = r.getBoundingClientRect();
            return {x: b.x, y: b.y, width: b.width, height: b.height}; })()""")
        lines = round(box["height"] / line)
        drag(tab, box["x"] + box["width"] / 2, box["y"] + box["height"] - 1, 0, 3 * line)
        wait_until(lambda: f"size: [3, {lines + 3}]" in spec.read_text(encoding="utf-8"))
        wait_frame(tab, "volunteers", size=f"3 {lines + 3}")
        tab.keyboard.press("Control+z")
        wait_until(lambda: "    size: [3, auto]" in spec.read_text(encoding="utf-8"))
        wait_frame(tab, "volunteers", size="3 auto")
        tab.keyboard.press("Control+z")
        wait_until(lambda: spec.read_text(encoding="utf-8") == original)
        wait_frame(tab, "volunteers", size="4 auto")
    finally:
        restore_spec(tab, spec, original)


def test_place_a_new_article_file_and_undo(edition):
    """A designer saves a new article file: the studio lists it under `Not on the page`; `place` writes a
    block for it into the first free area of the spec (nothing else of the file changes), the page shows
    it; Ctrl-Z takes it off again and the spec is as it was."""
    server, tab = edition
    folder = server.folder.parent
    article = folder / "articles" / "xinwen.md"
    specs = {name: (folder / name).read_text(encoding="utf-8") for name in ("page-1.yaml", "page-2.yaml")}
    try:
        article.write_text("---\nheadline: 新稿件上版\n---\n\n" + "新写的一篇稿件，放到版面上。" * 20 + "\n", encoding="utf-8")
        button = tab.locator("#unplaced button[data-article=xinwen]")
        button.wait_for(state="visible")
        button.click()
        tab.wait_for_function("!!document.querySelector('[data-block=xinwen]')")
        changed = [n for n, text in specs.items() if (folder / n).read_text(encoding="utf-8") != text]
        assert len(changed) == 1
        spec = folder / changed[0]
        before, after = specs[changed[0]].splitlines(), spec.read_text(encoding="utf-8").splitlines()
        added = [ln for ln in after if ln not in before]
        assert [ln.split(":")[0].strip(" -") for ln in added] == ["id", "article", "at", "size"]
        assert [ln for ln in after if ln in before] == before                      # nothing else moved
        at, size = (tab.locator("[data-block=xinwen]").get_attribute(a) for a in ("data-at", "data-size"))
        assert f"    at: [{at.replace(' ', ', ')}]" in added and f"    size: [{size.replace(' ', ', ')}]" in added
        assert tab.locator("#unplaced button[data-article=xinwen]").count() == 0
        tab.keyboard.press("Control+z")
        wait_until(lambda: spec.read_text(encoding="utf-8") == specs[changed[0]])
        tab.wait_for_function("!document.querySelector('[data-block=xinwen]')")
    finally:
        article.unlink(missing_ok=True)
        for name, text in specs.items():
            restore_spec(tab, folder / name, text)
        tab.wait_for_function("!document.querySelector('#unplaced button[data-article=xinwen]')")


def test_delete_takes_a_block_off_and_undo_puts_its_lines_back(edition):
    """Click a block, press Delete: its entry leaves the spec (its article file stays, now listed under
    `Not on the page`); Ctrl-Z puts the very lines back where they were; the last block is never taken."""
    server, tab = edition
    spec = server.folder.parent / "page-2.yaml"
    original = spec.read_text(encoding="utf-8")
    try:
        box = tab.evaluate("""(() => { const r = document.querySelector('g[data-block=volunteers] rect.box');
            r.scrollIntoView({block: "center"}); const b = r.getBoundingClientRect();
            return {x: b.x, y: b.y, width: b.width, height: b.height}; })()""")
        tab.mouse.click(box["x"] + 4, box["y"] + box["height"] - 4)
        tab.wait_for_function("!!document.querySelector('g.selected[data-block=volunteers]')")
        tab.keyboard.press("Delete")
        tab.wait_for_function("!document.querySelector('[data-block=volunteers]')")
        gone = spec.read_text(encoding="utf-8")
        assert "id: volunteers" not in gone and "article: baohesha" not in gone
        assert [ln for ln in original.splitlines() if ln in gone.splitlines()] == gone.splitlines()
        assert (server.folder.parent / "articles" / "baohesha.md").exists()
        tab.locator("#unplaced button[data-article=baohesha]").wait_for(state="visible")
        tab.keyboard.press("Control+z")
        wait_until(lambda: spec.read_text(encoding="utf-8") == original)
        wait_frame(tab, "volunteers", size="4 auto")
        status, body = delete(server.url + "api/blocks/lead-continued?page=1")
        assert status == 200
        status, body = delete(server.url + "api/blocks/volunteers?page=1")        # the page's last block
        assert status == 422 and "at least one block" in body["error"]
        status, body = post(server.url + "api/blocks", {"restore": "r-unknown"})
        assert status == 422
    finally:
        restore_spec(tab, spec, original)


def delete(url: str) -> tuple:
    req = urllib.request.Request(url, method="DELETE")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())

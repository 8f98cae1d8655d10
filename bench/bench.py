#!/usr/bin/env python3
"""Benchmarks of `layout`, side by side with the Typst peer (make bench).

    .venv/bin/python bench/bench.py [--runs N] [--first-build] [--json FILE]

Prints one table: wall time (median and best of N runs) and peak RSS of

  * `layout build` of the flagship page as a whole process, cold and warm
      cold = a fresh process (no in-process state) and an empty photo cache; the converted fonts
             (and the font metrics / parsed-face caches beside them) are in place
      warm = a fresh process with every cache in place
    and its start-up + imports: a fresh process that imports every module a warm `layout build` imports
    (found with -X importtime on a real run, lazy imports included) and builds nothing
  * the in-process rebuild after editing one article: a long-lived process (the path `layout watch`
    takes) runs build() again after a text change, with a split into compose / render / PDF-X / preflight
  * the first build on a fresh machine, font preparation included (an empty LAYOUT_CACHE_DIR):
    only with --first-build (60–100 s); otherwise the last measured figure, from
    bench/results/first-build.json, labelled as such
  * a 16-page edition: 16 copies of the flagship page built with build() in a process pool of 2
    (forked after `import layout.build`; timed from that import to the last PDF written), and
    4 pages, to show that the cost per page is flat. Each copy ends every paragraph with a
    character of its own, so that pages differ as an edition's do (no memo answers across pages)
  * the Typst peer (../shared/bench/typst-peer): `python gen_typst.py` as a whole process,
    typst.compile() warm in-process, and a reused typst.Compiler after a text edit

and the ratios ours / Typst. Peak RSS is the child's own maximum resident set (wait4), or
getrusage() inside the worker process for the in-process rows (the pool row: the largest worker).
Each measurement runs in its own child process, so one cannot warm another.

Set-up it does itself: installs typst==0.15.2 into this venv when it is missing (pip), and compiles
the package's bytecode (this environment sets PYTHONDONTWRITEBYTECODE, so without it every run
would compile layout/*.py from source, which a normal Python does only once).
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "content" / "dangqi-linghang" / "page.yaml"
RESULTS = ROOT / "bench" / "results"
FIRST_BUILD_FILE = RESULTS / "first-build.json"
PEER = Path(os.environ.get("TYPST_PEER", ROOT.parent / "shared" / "bench" / "typst-peer")).resolve()   # as given, from here
TYPST_VERSION = "0.15.2"
EDITED_ARTICLE = "wuchuan"       # the lead article: the one a text edit changes

TARGETS = {   # issue 14, on 2 cores, beside Typst in the same run
    "warm": "≤ Typst whole process",
    "imports": "≤ 100 ms",
    "rebuild": "≤ 3× Typst edit",
    "unchanged": "≤ 0.5× Typst compile",
    "first": "≤ 60 s",
    "rss": "≤ 250 MB",
    "edition": "≤ 3 s, linear",
}


# --------------------------------------------------------------------------- helpers

def run_process(argv, env=None, cwd=None) -> tuple[float, float, str]:
    """Run argv to completion: (wall seconds, peak RSS MB of the child and its children, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed ({proc.returncode}):\n{stderr[-2000:]}{stdout[-500:]}")
    return wall, usage.ru_maxrss / 1024, stderr


def wall_and_cpu(argv, cwd=None) -> tuple[float, float]:
    """Run argv to completion: (wall seconds, CPU seconds, user + system, of the child). On a loaded
    machine the wall time of a short process is mostly waiting for a core; its CPU time is not."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed")
    return wall, usage.ru_utime + usage.ru_stime


def timed_runs(argv, runs: int, cwd=None) -> dict:
    """summary() of the wall times of `runs` runs, with the median CPU time."""
    got = [wall_and_cpu(argv, cwd) for _ in range(runs)]
    return dict(summary([w for w, _ in got]), cpu=statistics.median(c for _, c in got))


def worker(name: str, *args, env=None) -> dict:
    """Run `bench.py --worker NAME ARGS` in a fresh process; its last stdout line is JSON."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", name, *map(str, args)]
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env or os.environ.copy(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"worker {name} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall"] = time.perf_counter() - started
    return result


def layout_argv() -> list:
    script = Path(sys.executable).with_name("layout")
    return [str(script)] if script.exists() else [sys.executable, "-m", "layout"]


def summary(times: list) -> dict:
    return {"median": statistics.median(times), "best": min(times), "runs": len(times), "all": times}


def fmt_s(value) -> str:
    if value is None:
        return "—"
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def env_with(**extra) -> dict:
    env = os.environ.copy()
    env.update({k: str(v) for k, v in extra.items()})
    return env


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --------------------------------------------------------------------------- set-up

def ensure_typst() -> str | None:
    """typst in this venv (installed with pip when missing); None when the peer is unavailable."""
    if not (PEER / "gen_typst.py").exists():
        return None
    probe = subprocess.run([sys.executable, "-c", "import importlib.metadata as m; print(m.version('typst'))"],
                           capture_output=True, text=True)
    if probe.returncode == 0 and probe.stdout.strip() == TYPST_VERSION:
        return TYPST_VERSION
    print(f"installing typst=={TYPST_VERSION} into {sys.prefix} (the Typst peer's compiler) …", file=sys.stderr)
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                          f"typst=={TYPST_VERSION}"], capture_output=True, text=True)
    if pip.returncode != 0:
        print(f"could not install typst: {pip.stderr.strip()[-400:]}", file=sys.stderr)
        return None
    return TYPST_VERSION


def precompile() -> None:
    compileall.compile_dir(str(ROOT / "layout"), quiet=1)


def fonts_ready() -> bool:
    """True when every face the flagship embeds is prepared in the font cache (no conversion due)."""
    code = ("import sys; from layout.build import compose; from layout.fonts import _FACES;"
            f"page = compose({str(SPEC)!r});"
            "sys.exit(0 if all(not f._needs_build or f._built_path().exists() for f in page.faces.values()) else 1)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


# --------------------------------------------------------------------------- measurements

def bench_whole_process(runs: int, tmp: Path) -> dict:
    out = tmp / "whole.pdf"
    cold, cold_rss = [], []
    for i in range(runs):
        photos = tmp / f"photos-cold-{i}"                 # a fresh, empty photo cache each run
        wall, rss, _ = run_process([*layout_argv(), "build", str(SPEC), "-o", str(out)],
                                   env=env_with(LAYOUT_PHOTO_CACHE=photos))
        cold.append(wall)
        cold_rss.append(rss)
    photos = tmp / "photos-warm"
    run_process([*layout_argv(), "build", str(SPEC), "-o", str(out)], env=env_with(LAYOUT_PHOTO_CACHE=photos))
    warm, warm_rss = [], []
    for _ in range(runs):
        wall, rss, _ = run_process([*layout_argv(), "build", str(SPEC), "-o", str(out)],
                                   env=env_with(LAYOUT_PHOTO_CACHE=photos))
        warm.append(wall)
        warm_rss.append(rss)
    roots = build_imports(tmp, photos)
    # then the quick exit `layout` itself makes (layout.cli.run): the row is start-up + imports, not teardown
    load_them = ("import importlib, os\nfor m in %r:\n    try: importlib.import_module(m)\n    except ImportError: pass\n"
                 "os._exit(0)" % roots)
    imports = timed_runs([sys.executable, "-c", load_them], runs, cwd=tmp)
    bare = timed_runs([sys.executable, "-c", "pass"], runs, cwd=tmp)
    return {"cold": summary(cold), "cold_rss": max(cold_rss), "warm": summary(warm), "warm_rss": max(warm_rss),
            "imports": imports, "python": bare, "pdf_bytes": out.stat().st_size,
            "photo_cache": str(photos), "import_roots": roots}


def build_imports(tmp: Path, photos: Path) -> list:
    """What a warm `layout build` imports, from start to exit (the console script, lazy imports made while
    building included), as the roots of its import chains in the order -X importtime reports them:
    importing these in a fresh process loads every module the build loads, and builds nothing. Timing that
    process is the row `start-up + imports` (issue 14): the time a build spends before its own work."""
    _, _, stderr = run_process([*layout_argv(), "build", str(SPEC), "-o", str(tmp / "imports.pdf")],
                               env=env_with(LAYOUT_PHOTO_CACHE=photos, PYTHONPROFILEIMPORTTIME=1), cwd=tmp)
    roots = re.findall(r"^import time:\s+\d+ \|\s+\d+ \| (\S+)$", stderr, re.M)
    return roots or ["layout.cli", "layout.build", "layout.render.pdf", "layout.preflight_list"]


def bench_typst_whole(runs: int, tmp: Path) -> dict:
    out = tmp / "typst" / "typst.pdf"
    out.parent.mkdir(exist_ok=True)
    run_process([sys.executable, str(PEER / "gen_typst.py"), str(out)], cwd=PEER)      # font discovery etc.
    times, rss = [], []
    for _ in range(runs):
        wall, peak, _ = run_process([sys.executable, str(PEER / "gen_typst.py"), str(out)], cwd=PEER)
        times.append(wall)
        rss.append(peak)
    imports = timed_runs([sys.executable, "-c", "import typst, os; os._exit(0)"], runs)
    return {"whole": summary(times), "rss": max(rss), "imports": imports, "pdf_bytes": out.stat().st_size}


def bench_first_build(tmp: Path) -> dict:
    cache = tmp / "empty-cache"
    cache.mkdir()
    out = tmp / "first.pdf"
    env = env_with(LAYOUT_CACHE_DIR=cache)
    env.pop("LAYOUT_PHOTO_CACHE", None)
    started_load = load()
    wall, rss, stderr = run_process([*layout_argv(), "build", str(SPEC), "-o", str(out)], env=env)
    converted = sorted(p.name for p in cache.glob("*.ttf"))
    return {"wall": wall, "rss": rss, "converted_faces": len(converted), "load_before": started_load,
            "load_after": load(), "measured": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "cores": os.cpu_count(), "commit": _commit(), "progress": [line for line in stderr.splitlines()
                                                                      if "ready" in line or "preparing" in line]}


def _commit() -> str:
    proc = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip() or "?"


# --------------------------------------------------------------------------- workers (child processes)

def w_rebuild(runs: str, photos: str) -> dict:
    """Long-lived process: build once, then edit one article and build again, `runs` times; with the Typst
    peer, its reused Compiler after the same kind of edit, interleaved with ours in this one process (the
    two alternate, each first every other time), so that both meet the same load. Wall and CPU time
    (time.process_time(): this process's threads, Typst's included) of every run."""
    os.environ["LAYOUT_PHOTO_CACHE"] = photos
    from layout import build as B
    from layout import preflight_list
    from layout.render import pdf as rpdf
    from layout.render import pdfx

    phases: dict = {}

    def timed(module, name, key):
        real = getattr(module, name)

        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                phases[key] = phases.get(key, 0.0) + time.perf_counter() - t
        setattr(module, name, wrapper)

    timed(B, "compose_document", "compose")
    timed(rpdf, "render_pdf_parts", "render")
    timed(pdfx, "apply", "pdfx")               # inside render: the PDF/X keys, written as ReportLab writes
    timed(rpdf, "write_parts", "write")
    timed(preflight_list, "preflight_page", "preflight")
    peer = _typst_editor()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page"
        shutil.copytree(SPEC.parent, page)
        spec, out = page / "page.yaml", Path(tmp) / "out.pdf"
        article = page / "articles" / f"{EDITED_ARTICLE}.md"
        original = article.read_text(encoding="utf-8")
        t = time.perf_counter()
        B.build(spec, out)                       # the first build of the session: not a rebuild
        first = time.perf_counter() - t

        def ours(i):
            # a text edit: one character more, or back to the original, in the last paragraph
            article.write_text(original.rstrip("\n") + ("又\n" if i % 2 == 0 else "\n"), encoding="utf-8")
            phases.clear()
            B.build(spec, out)

        for i in range(2):                       # both sides warmed alike before timing
            ours(i)
            if peer:
                peer(i)
        times, cpu, typst, typst_cpu = [], [], [], []
        split = {k: [] for k in ("compose", "render", "pdfx", "write", "preflight")}
        for i in range(int(runs)):
            for side in ((0, 1) if i % 2 == 0 else (1, 0)):
                if side == 0:
                    w, c = _clocked(ours, i)
                    times.append(w)
                    cpu.append(c)
                    for k in split:
                        split[k].append(phases.get(k, 0.0))
                elif peer:
                    w, c = _clocked(peer, i)
                    typst.append(w)
                    typst_cpu.append(c)
        # typing: each run the paragraph grows by one more character of the article's first sentence, a
        # text no memo of either engine has seen (the characters are on the page already: no code moves)
        sample = _first_paragraph(original)
        typed, typed_cpu, typst_typed, typst_typed_cpu = [], [], [], []
        for i in range(int(runs)):
            tail = sample[:i % len(sample) + 1] * (1 + i // len(sample))
            for side in ((0, 1) if i % 2 == 0 else (1, 0)):
                if side == 0:
                    article.write_text(original.rstrip("\n") + tail + "\n", encoding="utf-8")
                    w, c = _clocked(B.build, spec, out)
                    typed.append(w)
                    typed_cpu.append(c)
                elif peer:
                    w, c = _clocked(peer, i, tail)
                    typst_typed.append(w)
                    typst_typed_cpu.append(c)
        article.write_text(original, encoding="utf-8")
        B.build(spec, out)
        unchanged = []
        for _ in range(int(runs)):
            t = time.perf_counter()
            B.build(spec, out)
            unchanged.append(time.perf_counter() - t)
    got = {"first": first, "rebuild": summary(times), "rebuild_cpu": summary(cpu),
           "typed": summary(typed), "typed_cpu": summary(typed_cpu),
           "split": {k: statistics.median(v) for k, v in split.items()},
           "unchanged": summary(unchanged), "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if peer:
        got["typst_edit"], got["typst_edit_cpu"] = summary(typst), summary(typst_cpu)
        got["typst_typed"], got["typst_typed_cpu"] = summary(typst_typed), summary(typst_typed_cpu)
    return got


def _first_paragraph(article_text: str) -> str:
    """The first paragraph of an article file's body (after its front matter)."""
    body = article_text.split("\n---\n", 1)[-1] if article_text.startswith("---\n") else article_text
    return next(p.strip() for p in body.split("\n\n") if p.strip())


def _clocked(fn, *args) -> tuple:
    """(wall seconds, CPU seconds of this process) of fn(*args)."""
    w, c = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - w, time.process_time() - c


def _typst_editor():
    """A function (i) -> None that edits the Typst peer's source as w_typst does (one character more in the
    lead article's last paragraph, or back) and compiles it with one reused typst.Compiler; None when the
    peer or typst is not there."""
    if not (PEER / "gen_typst.py").exists():
        return None
    try:
        sys.path.insert(0, str(PEER))
        import gen_typst
        import peer_geometry
        import typst
    except ImportError:
        return None
    data = peer_geometry.load_articles()
    src = gen_typst.build_source(data)
    folder = Path(tempfile.mkdtemp(prefix="typst-edit-"))
    main = folder / "main.typ"
    main.write_text(src, encoding="utf-8")
    compiler = typst.Compiler(str(main))
    compiler.compile(format="pdf")
    last = data["articles"][0]["paragraphs"][-1]

    def edit(i, tail=None):
        tail = ("又" if i % 2 == 0 else "") if tail is None else tail
        main.write_text(src.replace(last, last + tail, 1), encoding="utf-8")
        compiler.compile(format="pdf")
    return edit


def w_typst(runs: str) -> dict:
    """typst.compile() warm in-process, and a reused typst.Compiler after a text edit."""
    sys.path.insert(0, str(PEER))
    import gen_typst
    import peer_geometry
    import typst

    data = peer_geometry.load_articles()
    src = gen_typst.build_source(data)
    gen_typst.compile_pdf(src)                   # warm: fonts found, caches filled
    warm = []
    for _ in range(int(runs)):
        t = time.perf_counter()
        gen_typst.compile_pdf(src)
        warm.append(time.perf_counter() - t)
    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "main.typ"
        main.write_text(src, encoding="utf-8")
        compiler = typst.Compiler(str(main))
        compiler.compile(format="pdf")
        edits = []
        first = data["articles"][0]["paragraphs"][-1]
        for i in range(int(runs)):
            edited = src.replace(first, first + ("又" if i % 2 == 0 else ""), 1)
            main.write_text(edited, encoding="utf-8")
            t = time.perf_counter()
            compiler.compile(format="pdf")
            edits.append(time.perf_counter() - t)
    return {"warm": summary(warm), "edit": summary(edits),
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _edition_page(args) -> float:
    spec, out = args
    from layout.build import build
    t = time.perf_counter()
    build(spec, out)
    return time.perf_counter() - t


MARKS = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"


def distinct_copy(dest: Path, number: int) -> Path:
    """A copy of the flagship page folder whose every paragraph ends in a character of its own:
    pages of an edition hold different text, and no memo may answer for one page from another."""
    shutil.copytree(SPEC.parent, dest)
    mark = MARKS[number % len(MARKS)]
    for article in (dest / "articles").glob("*.md"):
        text = article.read_text(encoding="utf-8")
        head = ""
        if text.startswith("---\n"):
            end = text.index("\n---\n", 4) + 5
            head, text = text[:end], text[end:]
        blocks = [b.rstrip("\n") + mark if b.strip() and not b.strip().startswith("<!--") else b
                  for b in text.split("\n\n")]
        article.write_text(head + "\n\n".join(blocks) + "\n", encoding="utf-8")
    return dest / SPEC.name


def w_edition(pages: str, workers: str, photos: str) -> dict:
    """`pages` pages (distinct copies of the flagship) built with build() in a process pool of `workers`."""
    os.environ["LAYOUT_PHOTO_CACHE"] = photos
    from concurrent.futures import ProcessPoolExecutor

    with tempfile.TemporaryDirectory() as tmp:
        specs = [distinct_copy(Path(tmp) / f"page-{i + 1:02d}", i) for i in range(int(pages))]
        jobs = [(str(spec), str(spec.parent / "page.pdf")) for spec in specs]
        t = time.perf_counter()
        import layout.build  # noqa: F401 - what an edition command has loaded before it forks its workers
        with ProcessPoolExecutor(int(workers)) as pool:
            per_page = list(pool.map(_edition_page, jobs))
        wall = time.perf_counter() - t
    return {"wall": wall, "pages": int(pages), "per_page": summary(per_page),
            "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


WORKERS = {"rebuild": w_rebuild, "typst": w_typst, "edition": w_edition}


# --------------------------------------------------------------------------- report

def table(r: dict) -> str:
    rows = []

    def row(what, ours, rss, peer="", ratio="", target="", met=""):
        rows.append((what, ours, rss, peer, ratio, target, met))

    def pair(s):
        return f"{fmt_s(s['median'])} (best {fmt_s(s['best'])})"

    def ratio(a, b):
        return f"{a / b:.1f}×" if a and b else "—"

    def mb(v):
        return f"{v:.0f} MB" if v else "—"

    w, t = r["whole"], r.get("typst_whole")
    tw = t["whole"]["median"] if t else None
    row("layout build, whole process, cold (no photo cache)", pair(w["cold"]), mb(w["cold_rss"]),
        target=TARGETS["rss"], met=_met(w["cold_rss"] <= 250))
    row("layout build, whole process, warm", pair(w["warm"]), mb(w["warm_rss"]),
        f"gen_typst.py {pair(t['whole'])}" if t else "peer unavailable", ratio(w["warm"]["median"], tw),
        TARGETS["warm"], _met(tw and w["warm"]["median"] <= tw))
    def cpu(s):
        return f"; CPU {fmt_s(s['cpu'])}" if "cpu" in s else ""

    row("  of which: python start-up", pair(w["python"]) + cpu(w["python"]), "")
    row("  of which: start-up + every import of a warm layout build", pair(w["imports"]) + cpu(w["imports"]), "",
        f"import typst {pair(t['imports'])}{cpu(t['imports'])}" if t else "",
        ratio(w["imports"]["median"], t and t["imports"]["median"]),
        TARGETS["imports"], _met(w["imports"]["median"] <= 0.100))
    rb, ty = r["rebuild"], r.get("typst")
    te = rb.get("typst_edit")                  # Typst's edit, interleaved with ours in the same process
    row(f"rebuild after editing `{EDITED_ARTICLE}`, in process (watch), interleaved with Typst's",
        pair(rb["rebuild"]), mb(rb["rss"]),
        f"Compiler reuse after edit {pair(te)}" if te else "", ratio(rb["rebuild"]["median"], te and te["median"]),
        TARGETS["rebuild"], _met(te and rb["rebuild"]["median"] <= 3 * te["median"]))
    if te:
        rc, tc = rb["rebuild_cpu"], rb["typst_edit_cpu"]
        row("  the same runs in CPU time (process_time, every thread)", pair(rc), "",
            f"Compiler reuse after edit {pair(tc)}", ratio(rc["median"], tc["median"]),
            TARGETS["rebuild"], _met(rc["median"] <= 3 * tc["median"]))
    if te and rb.get("typed"):
        ty_w, ty_c = rb["typst_typed"], rb["typst_typed_cpu"]
        row("  typing: a text never seen before at each run (no memo answers for the edited paragraph)",
            pair(rb["typed"]), "", f"the same typing {pair(ty_w)}", ratio(rb["typed"]["median"], ty_w["median"]),
            TARGETS["rebuild"], _met(rb["typed"]["median"] <= 3 * ty_w["median"]))
        row("  typing, CPU time", pair(rb["typed_cpu"]), "", f"the same typing {pair(ty_c)}",
            ratio(rb["typed_cpu"]["median"], ty_c["median"]), TARGETS["rebuild"],
            _met(rb["typed_cpu"]["median"] <= 3 * ty_c["median"]))
    s = rb["split"]
    row("  split: compose / render (PDF-X keys included) / PDF-X keys / write / preflight",
        " / ".join(fmt_s(s[k]) for k in ("compose", "render", "pdfx", "write", "preflight")), "")
    if ty:
        row("  Typst's edit in its own process (w_typst), for reference", "", "",
            f"Compiler reuse after edit {pair(ty['edit'])}", ratio(rb["rebuild"]["median"], ty["edit"]["median"]))
    row("  first build() in that process (imports done)", fmt_s(rb["first"]), "")
    row("build() again, input unchanged, in process", pair(rb["unchanged"]), "",
        f"typst.compile() warm {pair(ty['warm'])}" if ty else "", ratio(rb["unchanged"]["median"],
                                                                     ty and ty["warm"]["median"]),
        TARGETS["unchanged"], _met(ty and rb["unchanged"]["median"] <= 0.5 * ty["warm"]["median"]))
    fb = r.get("first_build")
    if fb:
        label = "first build, font preparation included" + ("" if fb.get("fresh") else
                                                             f" (LAST MEASURED {fb['measured'][:16]}, not re-run)")
        label += f", load {fb['load_before'].split()[0]}→{fb['load_after'].split()[0]}"
        row(label, fmt_s(fb["wall"]), mb(fb["rss"]), target=TARGETS["first"], met=_met(fb["wall"] <= 60))
    else:
        row("first build, font preparation included", "not measured yet (--first-build)", "")
    for key in ("edition4", "edition16"):
        e = r.get(key)
        if e:
            row(f"{e['pages']}-page edition, pool of 2 (build() per page)", fmt_s(e["wall"]), mb(e["rss"]),
                ratio=f"{e['wall'] / e['pages'] * 1000:.0f} ms/page",
                target=TARGETS["edition"] if e["pages"] == 16 else "",
                met=_met(e["wall"] <= 3) if e["pages"] == 16 else "")
    widths = [max(len(str(x[i])) for x in rows + [HEAD]) for i in range(len(HEAD))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(h).ljust(w) for h, w in zip(HEAD, widths)), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(x, widths)) for x in rows]
    return "\n".join(out)


HEAD = ("what", "ours: median (best)", "peak RSS", "Typst peer", "ours/Typst", "target", "met")


def _met(ok) -> str:
    return "yes" if ok else "no"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per whole-process row (default 5)")
    ap.add_argument("--first-build", action="store_true",
                    help="also measure the first build with an empty font cache (60–100 s) and record it")
    ap.add_argument("--json", help="also write the raw figures to this file")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker[0]](*args.worker[1:])))
        return 0

    started = time.perf_counter()
    print(f"layout benchmarks — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {load()}", file=sys.stderr)
    precompile()
    typst_version = ensure_typst()
    results: dict = {"cores": os.cpu_count(), "load_start": load(), "commit": _commit(), "typst": typst_version}
    with tempfile.TemporaryDirectory(prefix="layout-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if args.first_build:
            print("first build with an empty font cache (font preparation: ~60–100 s) …", file=sys.stderr)
            fb = bench_first_build(tmp)
            RESULTS.mkdir(parents=True, exist_ok=True)
            FIRST_BUILD_FILE.write_text(json.dumps(fb, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            results["first_build"] = dict(fb, fresh=True)
        elif FIRST_BUILD_FILE.exists():
            results["first_build"] = json.loads(FIRST_BUILD_FILE.read_text(encoding="utf-8"))
        if not fonts_ready():
            print("the font cache lacks converted faces: preparing them first (once, ~60–100 s) …", file=sys.stderr)
            run_process([*layout_argv(), "build", str(SPEC), "-o", str(tmp / "prepare.pdf")])
        print("whole-process builds …", file=sys.stderr)
        results["whole"] = bench_whole_process(args.runs, tmp)
        photos = results["whole"]["photo_cache"]
        if typst_version:
            print("Typst peer …", file=sys.stderr)
            results["typst_whole"] = bench_typst_whole(args.runs, tmp)
            results["typst"] = worker("typst", max(args.runs, 5))
        print("in-process rebuilds …", file=sys.stderr)
        results["rebuild"] = worker("rebuild", max(args.runs * 4, 30), photos)
        print("editions …", file=sys.stderr)
        results["edition4"] = worker("edition", 4, 2, photos)
        results["edition16"] = worker("edition", 16, 2, photos)
        # the studio (engineer i12's section): save -> shown in headless Chromium, bench/studio_latency.py
        print("studio latency (headless Chromium) …", file=sys.stderr)
        subprocess.run([sys.executable, str(Path(__file__).with_name("studio_latency.py")), "--runs", "40",
                        "--json", str(tmp / "studio.json")], check=False)
        if (tmp / "studio.json").exists():
            results["studio_latency"] = json.loads((tmp / "studio.json").read_text(encoding="utf-8"))
    results["load_end"] = load()
    results["seconds"] = time.perf_counter() - started
    print()
    print(table(results))
    print()
    print(f"load average {results['load_start']} at start, {results['load_end']} at the end "
          f"({os.cpu_count()} cores); {results['seconds']:.0f} s in all. Wall times: other processes on the "
          f"machine slow both engines alike, so compare the ratios.")
    if "typst_whole" in results:
        print(f"PDF sizes: layout {results['whole']['pdf_bytes'] / 1e6:.2f} MB (with the photo), "
              f"Typst {results['typst_whole']['pdf_bytes'] / 1e6:.2f} MB (a grey box for the photo).")
    else:
        print(f"Typst peer not found at {PEER} (set TYPST_PEER) or typst not installable: its columns are empty.")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # editions on the local pool and a Dask LocalCluster: pages per minute (bench/cluster_bench.py)
    sys.stdout.flush()
    subprocess.run([sys.executable, str(ROOT / "bench" / "cluster_bench.py")], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

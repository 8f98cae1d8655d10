"""The command line: build, check, preview, watch, preflight (see README)."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from .build import DEFAULT_SPEC, GRID_DPI, BuildError, build
from .outputs import default_output
from .yamlsrc import SourceError, one_line

EXIT_OK, EXIT_STRICT, EXIT_INVALID = 0, 1, 2
EXIT_INTERNAL = 70          # EX_SOFTWARE: a bug in layout, never bad input
EXIT_BROKEN_PIPE = 141      # 128 + SIGPIPE, as a shell reports it
SPEC_HELP = (f"a page folder, its page.yaml, or an edition file (default: {DEFAULT_SPEC.parent}); the PDF goes "
             f"to the project's output/ (README: where output goes)")


def run() -> None:
    """The `layout` command (the console script, `python -m layout`): main(), then a quick exit.

    An interpreter's orderly shutdown frees every module and object one by one: 12–16 ms after a build
    (issue 14), for memory the system takes back at once. So, when no other thread runs, the exit
    handlers are run and the output flushed as at a normal exit, and the process ends (os._exit)."""
    try:
        code = main()
    except SystemExit as stop:          # argparse: --help, a usage error
        code = stop.code
    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)                  # the interpreter's own shutdown waits for them
    import atexit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # the reader went away (`| head`): nothing more to tell it
            code = code or EXIT_BROKEN_PIPE
    os._exit(code)


def main(argv=None) -> int:
    args = _parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
    interrupted = []

    def on_sigint(signum, frame):   # remember Ctrl-C: a library may turn the KeyboardInterrupt into its own error
        interrupted.append(signum)
        raise KeyboardInterrupt
    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:              # not the main thread
        previous = None
    try:
        return COMMANDS[args.command](args)
    except BuildError as err:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted; nothing written", file=sys.stderr)
        return 130
    except BrokenPipeError:   # the reader of stdout went away (`| head`): nothing to tell it
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_BROKEN_PIPE
    except Exception as err:  # noqa: BLE001 - a bug, not bad input: one line, and ask for a report
        if interrupted:             # e.g. Ctrl-C during `import pikepdf` surfaces as an ImportError
            print("interrupted; nothing written", file=sys.stderr)
            return 130
        if os.environ.get("LAYOUT_DEBUG"):
            raise
        import traceback            # only here: 2 ms of start-up for every command otherwise
        frame = traceback.extract_tb(err.__traceback__)[-1]
        what = one_line(f"{type(err).__name__}: {err}")
        print(f"internal error: {what} (at {Path(frame.filename).name}:{frame.lineno}); this is a bug in layout, "
              f"not in your page: please report it with the command and the page folder "
              f"(LAYOUT_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _parser(argv) -> argparse.ArgumentParser:
    """The command line's parser: only the command `argv` names, or all of them when it names none
    (`layout --help`, a typo). Each parser and argument costs argparse a help formatter and gettext
    look-ups (stat calls): the 11 commands' ~70 took 6–10 ms of every start (issue 14). What it prints
    is the same either way: with one command, the usage line spells out the list (metavar) that argparse
    would otherwise make from all the parsers."""
    parser = argparse.ArgumentParser(prog="layout", description="Chinese broadsheet page typesetter")
    named = argv[0] if argv and argv[0] in _ARGUMENTS else None
    every = "{" + ",".join(name for name, _ in _SUBCOMMANDS) + "}"
    sub = parser.add_subparsers(dest="command", required=True, metavar=every if named else None)
    for command, help_text in _SUBCOMMANDS:
        if named in (None, command):
            _ARGUMENTS[command](sub.add_parser(command, help=help_text))
    return parser


_SUBCOMMANDS = (
    ("build", "build the PDF of a page or an edition"),
    ("batch", "build many editions in one run (a list file or a folder of editions)"),
    ("check", "validate and report copyfit; writes nothing"),
    ("preview", "build and write a PNG per page beside the PDF: NAME.png for one page, NAME-p1.png … NAME-pN.png "
                "for more"),
    ("watch", "build, then build again on every save (Ctrl-C stops)"),
    ("preflight", "check a PDF against the print shop's rules"),
    ("plan", "plan the page from its stories: write a page.yaml filled to the line"),
    ("schema", "print the JSON Schema of page.yaml (or of an edition, fonts.yaml, article front matter)"),
    ("serve", "the page studio: the page live in the browser"),
    ("new", "write a new page folder that builds at once"),
    ("import", "make a page folder from the plain text of a whole page (newsroom export)"),
)


def _batch_arguments(p) -> None:
    p.add_argument("list", help="a file naming one edition file a line, or a folder of edition files")
    p.add_argument("-o", "--output", help="folder of the PDFs (default: the project's output/, see README)")
    p.add_argument("--scheduler", metavar="ADDRESS|local:N",
                   help="a Dask scheduler, or local:N for a local cluster (default: $LAYOUT_SCHEDULER, "
                        "else the local process pool)")


def _check_arguments(p) -> None:
    _spec_option(p)
    _report_options(p)


def _preflight_arguments(p) -> None:
    p.add_argument("pdf", help="the PDF to check (any PDF, e.g. output/dangqi-linghang.pdf)")
    p.add_argument("--ink-limit", type=float, default=240.0, help="total area coverage, percent")


def _plan_arguments(p) -> None:
    p.add_argument("folder", help="page folder: articles/, images/, template.yaml or page.yaml")
    p.add_argument("-o", "--output", help="the page.yaml to write, inside the folder (default FOLDER/plan.yaml)")
    p.add_argument("--alternatives", type=int, default=1, help="write the N best distinct plans")
    p.add_argument("--seed", type=int, default=0, help="seed of the search (same seed, same plans)")


def _schema_arguments(p) -> None:
    p.add_argument("kind", nargs="?", default="page", choices=("page", "edition", "fonts", "article"))
    p.add_argument("--write", action="store_true",
                   help="write all four into the package's schemas/ folder (after adding a key)")


def _serve_arguments(p) -> None:
    p.add_argument("spec", nargs="?", default=str(DEFAULT_SPEC), help=SPEC_HELP)
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument("--open", action="store_true", help="open the page in the browser")
    p.add_argument("-o", "--output", help="where the PDF is written after each good build")


def _new_arguments(p) -> None:
    p.add_argument("folder", help="the page folder to make (new, or empty)")
    p.add_argument("--format", dest="paper", choices=("broadsheet", "tabloid", "berliner"), default="broadsheet")
    p.add_argument("--columns", type=int, help="grid columns (default: 8 broadsheet, 6 berliner, 5 tabloid)")


def _import_arguments(p) -> None:
    p.add_argument("raw", help="the plain-text file of the page")
    p.add_argument("-o", "--output", help="the new page folder (default: content/NAME)")


def _spec_option(p) -> None:
    p.add_argument("spec", nargs="?", default=str(DEFAULT_SPEC), help=SPEC_HELP)


def _report_options(p) -> None:
    p.add_argument("--report", choices=("text", "json"), default="text",
                   help="the report as text on stderr (default) or JSON on stdout")
    p.add_argument("--strict", action="store_true", help="exit 1 on overflow, missing glyphs, preflight errors")


def _document_options(p, png: bool = False) -> None:
    """The switches of every command that builds (build, preview, watch): the same for pages and editions."""
    _spec_option(p)
    p.add_argument("-o", "--output", help="the PDF to write (default: output/NAME.pdf in the project)")
    _report_options(p)
    if not png:
        p.add_argument("--png", action="store_true", help="also write a PNG preview of every page beside the PDF")
    p.add_argument("--dpi", type=int, default=60, help="resolution of the PNG previews (default 60)")
    p.add_argument("--grid", action="store_true",
                   help="also write NAME-grid.pdf: columns, baseline grid, block frames and ids (never printed)")
    p.add_argument("--grid-dpi", type=int, default=GRID_DPI,
                   help=f"resolution of the grid proof's PNG previews (default {GRID_DPI})")
    p.add_argument("--scheduler", metavar="ADDRESS|local:N",
                   help="render an edition's pages on a Dask cluster (default: $LAYOUT_SCHEDULER, else here)")
    p.set_defaults(png=png)


_ARGUMENTS = {
    "build": _document_options, "batch": _batch_arguments, "check": _check_arguments,
    "preview": lambda p: _document_options(p, png=True), "watch": _document_options,
    "preflight": _preflight_arguments, "plan": _plan_arguments, "schema": _schema_arguments,
    "serve": _serve_arguments, "new": _new_arguments, "import": _import_arguments,
}


def _emit(report, fmt: str, strict: bool) -> int:
    if fmt == "json":
        print(report.to_json())
        for line in report.to_text().splitlines():   # overflow and missing glyphs: on stderr too, never silent
            if line.startswith(("warning:", "missing glyph:")):
                print(line, file=sys.stderr)
    else:
        print(report.to_text(), file=sys.stderr)
    if strict and (report.overflowing or report.missing_glyphs or report.preflight_errors):
        return EXIT_STRICT
    return EXIT_OK


def _build(args):
    """Build what the arguments name, with their switches (build, preview and watch alike)."""
    from .document import load_source
    if args.output and Path(args.output).suffix.lower() != ".pdf":
        raise BuildError(f"{args.output}:1:1: the output is a PDF: give -o a name ending in .pdf")
    if args.dpi <= 0 or args.grid_dpi <= 0:
        raise BuildError("--dpi and --grid-dpi take a resolution in dots per inch, e.g. 60 or 150")
    switches = dict(grid_proof=args.grid, png_dpi=args.dpi if args.png else None, grid_dpi=args.grid_dpi)
    try:
        edition = load_source(args.spec).edition
    except SourceError as err:
        raise BuildError(str(err)) from None
    if not edition:
        if args.scheduler:
            print("warning: --scheduler applies to editions and batches; this single page is built here",
                  file=sys.stderr)
        return build(args.spec, args.output, **switches)
    return _build_edition_on(args.spec, args.output, args.scheduler, **switches)


def cmd_build(args) -> int:
    return _emit(_build(args), args.report, args.strict)


cmd_preview = cmd_build         # preview is build with --png (its own parser sets it)


def _build_edition_on(path, output, scheduler, **switches):
    """An edition on the runner --scheduler / $LAYOUT_SCHEDULER names (reached before anything is
    composed or written), else on the local process pool."""
    from .cluster import open_runner, scheduler_from
    scheduler = scheduler_from(scheduler)
    if not scheduler:
        return build(path, output, **switches)
    runner = open_runner(scheduler)
    try:
        print(f"rendering on the {runner.name}", file=sys.stderr)
        return build(path, output, runner=runner, **switches)
    finally:
        runner.close()


def cmd_batch(args) -> int:
    """Many editions, one run: exit 0 when all were built, 10 + N when N failed."""
    from .batch import read_list, run_batch
    from .outputs import output_folder
    from .cluster import open_runner, scheduler_from
    editions = read_list(Path(args.list))
    args.output = args.output or str(output_folder(Path(args.list)))
    if Path(args.output).suffix.lower() == ".pdf" or Path(args.output).is_file():
        raise BuildError(f"{args.output}:1:1: -o names the folder of the editions' PDFs, not a file")
    runner = open_runner(scheduler_from(args.scheduler))
    try:
        print(f"{len(editions)} editions on the {runner.name}", file=sys.stderr)
        result = run_batch(editions, runner, Path(args.output))
    finally:
        runner.close()
    rate = f", {result.pages / result.seconds * 60:.0f} pages/min" if result.seconds and result.pages else ""
    print(f"batch: {len(result.built)} of {len(editions)} editions built, {len(result.failed)} failed; "
          f"{result.pages} pages in {result.seconds:.1f} s{rate}", file=sys.stderr)
    return result.exit_status


def cmd_check(args) -> int:
    report = build(args.spec, write=False)
    for grid in report.grids:       # each page's grid (columns, characters a column, body lines, leading)
        print(grid.summary(), file=sys.stderr)
    return _emit(report, args.report, args.strict)


def _stamp(folders, out: Path) -> tuple:
    """Names and modification times of the document's input files: not what the build writes (the PDF,
    its grid proof and previews; a folder of outputs inside a watched folder), not editors' temp files."""
    made = out.parent
    stamps = []
    for folder in folders:
        skip_folder = made != folder and folder in made.parents        # e.g. page/output/
        for path in Path(folder).rglob("*"):
            if path.name.startswith(".") or path.name.endswith(("~", ".swp", ".tmp")):
                continue
            if (skip_folder and made in path.parents) or \
                    (path.parent == made and path.name.startswith(out.stem) and path.suffix in (".pdf", ".png")):
                continue
            try:
                if path.is_file():
                    stamps.append((str(path), path.stat().st_mtime_ns))
            except OSError:            # deleted between listing and looking: an editor saving
                continue
    return tuple(sorted(set(stamps)))


def cmd_watch(args, poll: float = 0.3) -> int:
    """Build, then again whenever a file of the document changes: each build under a line with its
    number and time, its report, how long it took; an error is printed and watching goes on."""
    from .document import load_source
    try:
        source = load_source(args.spec)
    except SourceError as err:
        raise BuildError(str(err)) from None
    output = Path(args.output or default_output(source.path)).resolve()
    folders = [f.resolve() for f in source.folders]
    seen, count = None, 0
    print(f"watching {', '.join(map(str, source.folders))} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        while True:
            stamp = _stamp(folders, output)
            if stamp != seen:
                seen = stamp
                count += 1
                started = time.perf_counter()
                print(f"── build {count} at {time.strftime('%H:%M:%S')} " + "─" * 40, file=sys.stderr)
                try:
                    _emit(_build(args), args.report, False)
                    print(f"built in {time.perf_counter() - started:.2f} s", file=sys.stderr)
                except BuildError as err:
                    print(f"error: {one_line(str(err))}", file=sys.stderr)
                sys.stderr.flush()
            time.sleep(poll)
    except KeyboardInterrupt:
        print("stopped watching", file=sys.stderr)
        return EXIT_OK


def cmd_plan(args) -> int:
    """`layout plan`: plan, write the page.yaml(s), compose each to check it, print the measures."""
    from .build import compose
    from .plan import PlanError, plan_folder
    from .plan.planner import short_for_rank
    from .plan.write import page_yaml
    folder = Path(args.folder)
    if not folder.is_dir():
        raise BuildError(f"{folder}:1:1: not a page folder; give the folder that holds articles/")
    out = Path(args.output) if args.output else folder / "plan.yaml"
    if out.resolve().parent != folder.resolve():
        raise BuildError(f"{out}:1:1: the plan must be written into the page folder {folder} (its articles/ "
                         f"and images/ are found beside it); give -o {folder}/NAME.yaml")
    if out.suffix not in (".yaml", ".yml"):
        raise BuildError(f"{out}:1:1: -o names a page spec ending in .yaml")
    if args.alternatives < 1:
        raise BuildError("--alternatives:1:1: give a number of plans of at least 1")
    try:
        result = plan_folder(folder, args.alternatives, args.seed)
    except PlanError as err:
        raise BuildError(str(err)) from None
    gone = {s.id for s in result.left_out}
    for s in result.left_out:
        print(f"does not fit: {s.id} (priority {s.article.priority}, {s.article.chars} characters would have "
              f"to go){short_for_rank(s, result.stories, result.proof, gone)}; the plan leaves it out",
              file=sys.stderr)
    if not result.plans:
        print(f"no plan: {result.shortage}", file=sys.stderr)
        return EXIT_STRICT
    if result.shortage:
        print(f"goals missed: {result.shortage}", file=sys.stderr)
    per_plan = result.seconds / len(result.plans)
    template_text = Path(result.template.path).read_text(encoding="utf-8")
    for n, plan in enumerate(result.plans, 1):
        path = out if n == 1 else out.with_name(f"{out.stem}-{n}{out.suffix}")
        from dataclasses import replace as _replace
        plan = _replace(plan, measures=_replace(plan.measures, seconds=per_plan))
        text = page_yaml(result, plan, template_text, n, args.seed)
        write_text_atomic(path, text)
        page = compose(path)             # the plan as the build sees it
        statuses = [r.flowed.status for r in page.results if r.flowed is not None]
        overflow = sum(len(r.flowed.overflow) for r in page.results if r.flowed is not None)
        plan = _replace(plan, measures=_replace(plan.measures, overflow=overflow))
        text = page_yaml(result, plan, template_text, n, args.seed)
        write_text_atomic(path, text)
        print(f"plan {n}: {path} (score {plan.score:.2f})")
        for line in plan.measures.lines():
            print(f"  {line}")
        print(f"  built: {statuses.count('fits')} of {len(statuses)} blocks `fits`")
    return EXIT_OK


def write_text_atomic(path: Path, text: str) -> None:
    from .build import write_atomic
    write_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def cmd_preflight(args) -> int:
    from .preflight import preflight
    if not Path(args.pdf).is_file():
        raise BuildError(f"{args.pdf}:1:1: no such PDF; give the path of a built file, e.g. output/dangqi-linghang.pdf")
    findings = preflight(Path(args.pdf), args.ink_limit)
    for f in findings:
        print(f, file=sys.stderr)
    errors = sum(1 for f in findings if f.level == "error")
    print(f"preflight: {errors} errors, {len(findings) - errors} warnings", file=sys.stderr)
    return EXIT_STRICT if errors else EXIT_OK


def cmd_schema(args) -> int:
    from .schema import schema_text, write_all
    if args.write:
        for path in write_all():
            print(f"wrote {path}", file=sys.stderr)
        return EXIT_OK
    sys.stdout.write(schema_text(args.kind))
    return EXIT_OK


def cmd_serve(args) -> int:
    from .studio.server import serve
    from .document import spec_path
    spec = spec_path(args.spec)
    if not spec.is_file():
        raise BuildError(f"{spec}:1:1: no such spec; give a page.yaml, a page folder or an edition file")
    if args.output and Path(args.output).suffix.lower() != ".pdf":
        raise BuildError(f"{args.output}:1:1: the output is a PDF: give -o a name ending in .pdf")
    return serve(spec, args.port, Path(args.output) if args.output else None, args.open)


def cmd_new(args) -> int:
    from .newpage import new_page
    try:
        written = new_page(args.folder, args.paper, args.columns)
    except SourceError as err:
        raise BuildError(str(err)) from None
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    print(f"next: layout serve {args.folder}   (the page live in the browser: drag blocks, place articles)\n"
          f"  or: layout check {args.folder}   then   layout build {args.folder} --png", file=sys.stderr)
    return EXIT_OK


def cmd_import(args) -> int:
    from .rawimport import import_raw
    try:
        folder, written, notes = import_raw(args.raw, args.output)
    except SourceError as err:
        raise BuildError(str(err)) from None
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    print(f"next: layout check {folder}", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"serve": cmd_serve, "import": cmd_import, "new": cmd_new, "schema": cmd_schema, "build": cmd_build, "check": cmd_check, "preview": cmd_preview, "watch": cmd_watch,
            "preflight": cmd_preflight}
COMMANDS["plan"] = cmd_plan          # layout plan (issue 16)
COMMANDS["batch"] = cmd_batch        # layout batch (issue 17)

if __name__ == "__main__":
    run()

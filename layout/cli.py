"""The command line: build, check, preview, watch, preflight (see README)."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from .build import DEFAULT_SPEC, GRID_DPI, BuildError, build, default_output
from .yamlsrc import SourceError, one_line

EXIT_OK, EXIT_STRICT, EXIT_INVALID = 0, 1, 2
EXIT_INTERNAL = 70          # EX_SOFTWARE: a bug in layout, never bad input
EXIT_BROKEN_PIPE = 141      # 128 + SIGPIPE, as a shell reports it


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="layout", description="Chinese broadsheet page typesetter")
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="build the PDF of a page or an edition")
    _document_options(p_build)
    p_check = sub.add_parser("check", help="validate and report copyfit and the page's grid; writes nothing")
    _spec_option(p_check)
    _report_options(p_check)
    p_prev = sub.add_parser("preview", help="build, and write a PNG of every page beside the PDF")
    _document_options(p_prev, png=True)
    p_watch = sub.add_parser("watch", help="build, then build again on every save (Ctrl-C stops)")
    _document_options(p_watch)
    p_pre = sub.add_parser("preflight", help="check a PDF against the print shop's rules")
    p_pre.add_argument("pdf", help="the PDF to check (any PDF, not only one layout built)")
    p_pre.add_argument("--ink-limit", type=float, default=240.0, help="total area coverage, percent")
    p_schema = sub.add_parser("schema", help="print the JSON Schema of page.yaml (or of an edition, fonts.yaml, "
                                             "article front matter)")
    p_schema.add_argument("kind", nargs="?", default="page", choices=("page", "edition", "fonts", "article"))
    p_schema.add_argument("--write", action="store_true",
                          help="write all four into the package's schemas/ folder (after adding a key)")
    p_new = sub.add_parser("new", help="write a new page folder that builds at once")
    p_new.add_argument("folder")
    p_new.add_argument("--format", dest="paper", choices=("broadsheet", "tabloid", "berliner"), default="broadsheet")
    p_new.add_argument("--columns", type=int, help="grid columns (default: 8 broadsheet, 6 berliner, 5 tabloid)")
    args = parser.parse_args(argv)
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
        frame = traceback.extract_tb(err.__traceback__)[-1]
        what = one_line(f"{type(err).__name__}: {err}")
        print(f"internal error: {what} (at {Path(frame.filename).name}:{frame.lineno}); this is a bug in layout, "
              f"not in your page: please report it with the command and the page folder "
              f"(LAYOUT_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


SPEC_HELP = ("a page spec (page.yaml), an edition file (edition.yaml), or a folder holding one "
             f"(default: {DEFAULT_SPEC})")


def _spec_option(p) -> None:
    p.add_argument("spec", nargs="?", default=str(DEFAULT_SPEC), help=SPEC_HELP)


def _report_options(p) -> None:
    p.add_argument("--report", choices=("text", "json"), default="text",
                   help="the report as text on stderr (default) or JSON on stdout")
    p.add_argument("--strict", action="store_true", help="exit 1 on overflow, missing glyphs, preflight errors")


def _document_options(p, png: bool = False) -> None:
    """The switches of every command that builds: the same for pages and editions."""
    _spec_option(p)
    p.add_argument("-o", "--output", help="the PDF to write (default: output/NAME.pdf in the page's folder)")
    _report_options(p)
    if not png:
        p.add_argument("--png", action="store_true", help="also write a PNG preview of every page beside the PDF")
    p.add_argument("--dpi", type=int, default=60, help="resolution of the PNG previews (default 60)")
    p.add_argument("--grid", action="store_true",
                   help="also write NAME-grid.pdf: columns, baseline grid, block frames and ids (never printed)")
    p.add_argument("--grid-dpi", type=int, default=GRID_DPI,
                   help=f"resolution of the grid proof's PNG previews (default {GRID_DPI})")
    p.set_defaults(png=png)


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
    if args.output and Path(args.output).suffix.lower() != ".pdf":
        raise BuildError(f"{args.output}:1:1: the output is a PDF: give -o a name ending in .pdf")
    if args.dpi <= 0 or args.grid_dpi <= 0:
        raise BuildError("--dpi and --grid-dpi take a resolution in dots per inch, e.g. 60 or 150")
    return build(args.spec, args.output, grid_proof=args.grid, png_dpi=args.dpi if args.png else None,
                 grid_dpi=args.grid_dpi)


def cmd_build(args) -> int:
    return _emit(_build(args), args.report, args.strict)


cmd_preview = cmd_build         # preview is build with --png (its own parser sets it)


def cmd_check(args) -> int:
    return _emit(build(args.spec, write=False), args.report, args.strict)


def _stamp(folders, skip: Path) -> tuple:
    """Names and modification times of the document's input files (not the output, not editors' temp files)."""
    out = []
    for folder in folders:
        for path in Path(folder).rglob("*"):
            if skip in path.parents or path.name.startswith(".") or path.name.endswith(("~", ".swp", ".tmp")):
                continue
            try:
                if path.is_file():
                    out.append((str(path), path.stat().st_mtime_ns))
            except OSError:            # deleted between listing and looking: an editor saving
                continue
    return tuple(sorted(set(out)))


def cmd_watch(args, poll: float = 0.3) -> int:
    from .document import load_source
    try:
        source = load_source(args.spec)
    except SourceError as err:
        raise BuildError(str(err)) from None
    output = Path(args.output or default_output(source.path)).resolve().parent
    folders = [f.resolve() for f in source.folders]
    seen, count = None, 0
    print(f"watching {', '.join(map(str, source.folders))} (Ctrl-C to stop)", file=sys.stderr)
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


def cmd_new(args) -> int:
    from .newpage import new_page
    try:
        written = new_page(args.folder, args.paper, args.columns)
    except SourceError as err:
        raise BuildError(str(err)) from None
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    print(f"next: layout check {args.folder}   then   layout build {args.folder} --png", file=sys.stderr)
    return EXIT_OK


COMMANDS = {"new": cmd_new, "schema": cmd_schema, "build": cmd_build, "check": cmd_check, "preview": cmd_preview, "watch": cmd_watch,
            "preflight": cmd_preflight}

if __name__ == "__main__":
    sys.exit(main())

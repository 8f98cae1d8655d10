"""Start-up (issue 14): what `layout build` imports, and the shortcuts that make a process start faster
give what the long way gives: the kept code of layout's dataclasses, the store of parsed YAML, the
command line's parser made for one command. (How fast is the benchmark's business: bench/bench.py.)"""
from __future__ import annotations

import contextlib
import io
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layout import cli, yamlsrc, yamlstore
from layout.yamlsrc import Map, Seq, SourceError

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "content" / "dangqi-linghang" / "page.yaml"

# modules `layout build` of a page has no use for: each is heavy, or belongs to another command
NOT_FOR_A_BUILD = ("yaml", "numpy", "pikepdf", "pypdfium2", "fontTools", "PIL.ExifTags", "PIL.TiffImagePlugin",
                   "distributed", "dask", "starlette", "uvicorn", "watchfiles", "jsonschema", "pyphen",
                   "concurrent.futures.process", "multiprocessing", "asyncio", "http", "email", "socket",
                   "layout.studio", "layout.plan", "layout.schema", "layout.cluster", "layout.batch",
                   "layout.session", "layout.rawimport", "layout.newpage", "layout.render.web")


def run(code: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr[-3000:]
    return done


# ------------------------------------------------------------------------------ what `layout build` imports

BUILD_AND_LIST = ("import json, sys\n"
                  "from layout.cli import main\n"
                  "code = main(['build', {spec!r}, '-o', {out!r}])\n"
                  "print(json.dumps([code, sorted(sys.modules)]))\n")


def heavy(modules) -> list:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in NOT_FOR_A_BUILD))


def test_a_warm_layout_build_imports_nothing_it_does_not_use(tmp_path):
    """The whole process of `layout build` (the second: the parsed YAML is in the store), not just its
    module imports: lazy imports made while building count too."""
    code = BUILD_AND_LIST.format(spec=str(FLAGSHIP), out=str(tmp_path / "page.pdf"))
    run(code, cwd=tmp_path)                                            # warms the stores
    status, modules = json.loads(run(code, cwd=tmp_path).stdout.splitlines()[-1])
    assert status == 0
    assert heavy(modules) == [], f"`layout build` imported {heavy(modules)}: import them where they are used"
    assert {"layout.build", "layout.render.pdf", "reportlab.pdfgen.canvas"} <= set(modules)   # it did build


def test_the_import_check_sees_a_heavy_import():
    """The check above can fail: what another command loads is seen."""
    done = run("import json, sys, layout.cli, layout.plan, layout.studio.server; print(json.dumps(sorted(sys.modules)))")
    found = heavy(json.loads(done.stdout))
    assert {"layout.plan", "layout.studio", "layout.studio.server", "starlette"} <= set(found)


# ------------------------------------------------------------------------------ dataclasses' code, kept

DESCRIBE = ("import dataclasses, json, re, sys\n"
            "import layout.cli, layout.build, layout.render.pdf, layout.preflight_list, layout.plan, layout.studio.server\n"
            "from layout import startup\n"
            "out = {}\n"
            "def r(x): return re.sub(' at 0x[0-9a-f]+', '', repr(x))\n"
            "for name, module in sorted(sys.modules.items()):\n"
            "    if not name.startswith('layout') or module is None: continue\n"
            "    for cls in vars(module).values():\n"
            "        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == name): continue\n"
            "        for meth in ('__init__', '__repr__', '__eq__', '__hash__', '__setattr__', '__delattr__', '__lt__'):\n"
            "            fn = cls.__dict__.get(meth)\n"
            "            c = getattr(fn, '__code__', None) or getattr(getattr(fn, '__wrapped__', None), '__code__', None)\n"
            "            if c is None: out[f'{name}.{cls.__qualname__}.{meth}'] = r(fn); continue\n"
            "            out[f'{name}.{cls.__qualname__}.{meth}'] = [c.co_code.hex(), r(c.co_consts), c.co_names,\n"
            "                c.co_varnames, r(getattr(fn, '__annotations__', None)), r(fn.__defaults__),\n"
            "                r(fn.__kwdefaults__), fn.__qualname__, c.co_filename, c.co_flags]\n"
            "compiled = sum(len(startup._code[m]) for m in startup._dirty)\n"
            "print(json.dumps({'classes': out, 'compiled': compiled, 'installed': "
            "dataclasses.__dict__.get('exec') is startup._exec}))\n")


def test_kept_dataclass_code_makes_the_classes_dataclasses_makes(tmp_path):
    env = {"LAYOUT_CACHE_DIR": str(tmp_path / "cache")}
    plain = json.loads(run(DESCRIBE, {**env, "LAYOUT_CODE_CACHE": "0"}).stdout)
    first = json.loads(run(DESCRIBE, env).stdout)                # compiles, and keeps the code at exit
    kept = json.loads(run(DESCRIBE, env).stdout)                 # answers from the file
    assert not plain["installed"] and first["installed"] and kept["installed"]
    assert first["compiled"] > 300 and kept["compiled"] == 0
    assert len(plain["classes"]) > 250
    assert first["classes"] == plain["classes"]
    assert kept["classes"] == plain["classes"]
    files = {p.stem for p in (tmp_path / "cache" / "code").glob("*/*.marshal")}
    assert {"layout.keys", "layout.spec", "layout.display"} <= files and len(files) > 30   # one file a module


def test_kept_code_is_only_layouts_and_a_damaged_file_is_ignored(tmp_path):
    cache = tmp_path / "cache"
    code = ("import dataclasses, sys\n"
            "import layout.grid\n"
            "from layout import startup\n"
            "@dataclasses.dataclass(frozen=True)\n"
            "class Outside:\n"
            "    x: int = 1\n"
            "assert Outside() == Outside() and hash(Outside()) == hash(Outside(1)) and repr(Outside()) == 'Outside(x=1)'\n"
            "import json; print(json.dumps([sorted(startup._used), sorted(startup._dirty)]))\n")
    used, dirty = json.loads(run(code, {"LAYOUT_CACHE_DIR": str(cache)}).stdout)
    names = sorted(p.stem for p in (cache / "code").glob("*/*.marshal"))
    assert "layout.grid" in used and names == used == dirty and all(n.startswith("layout.") for n in names)
    used, dirty = json.loads(run(code, {"LAYOUT_CACHE_DIR": str(cache)}).stdout)
    assert used == names and dirty == []                      # `Outside` (module __main__) is not kept
    (target,) = (cache / "code").glob("*/layout.grid.marshal")
    target.write_bytes(b"\x00not marshal")
    done = run("import layout.grid\nfrom layout import startup\nprint(sorted(startup._dirty))",
               {"LAYOUT_CACHE_DIR": str(cache)})
    assert done.stdout.strip() == "['layout.grid']"           # compiled again, and written again
    assert target.read_bytes()[:1] != b"\x00"


def test_kept_code_of_other_versions_is_bounded(tmp_path):
    """Texts no process of this version uses (another version of the module) are kept up to as many as
    this version's, then dropped."""
    cache = tmp_path / "cache"
    code = ("import layout.grid\nfrom layout import startup\nprint(len(startup._used['layout.grid']))")
    used = int(run(code, {"LAYOUT_CACHE_DIR": str(cache)}).stdout)
    (target,) = (cache / "code").glob("*/layout.grid.marshal")
    stored = marshal.loads(target.read_bytes())
    assert len(stored) == used
    other = {f"def __create_fn__():\n def f(self):\n  return {i}\n return f": compile("0", "<string>", "eval")
             for i in range(used + 9)}
    target.write_bytes(marshal.dumps(other))
    run(code, {"LAYOUT_CACHE_DIR": str(cache)})              # every text missing: compiled, file rewritten
    assert set(marshal.loads(target.read_bytes())) == set(stored)        # too many others: only its own
    target.write_bytes(marshal.dumps(dict(list(other.items())[:3])))
    run(code, {"LAYOUT_CACHE_DIR": str(cache)})
    assert len(marshal.loads(target.read_bytes())) == used + 3          # a few others: kept beside


# ------------------------------------------------------------------------------ the store of parsed YAML

def same_tree(a, b) -> bool:
    """Equal values, types and Wheres, all the way down."""
    if type(a) is not type(b):
        return False
    where = lambda w: (w.path, w.line, w.col)                     # noqa: E731
    if isinstance(a, Map):
        return (where(a.where) == where(b.where) and list(a) == list(b)
                and all(where(a.key_where[k]) == where(b.key_where[k]) for k in a)
                and all(where(a.value_where[k]) == where(b.value_where[k]) for k in a)
                and all(same_tree(a[k], b[k]) for k in a))
    if isinstance(a, Seq):
        return (where(a.where) == where(b.where) and len(a) == len(b)
                and [where(w) for w in a.item_where] == [where(w) for w in b.item_where]
                and all(same_tree(x, y) for x, y in zip(a, b)))
    return a == b


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(yamlstore, "_MEMO", {})
    return tmp_path / "cache" / "yaml"


YAML_TEXTS = [FLAGSHIP, *sorted((ROOT / "content").rglob("*.yaml"))[:12]]


@pytest.mark.parametrize("path", YAML_TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_stored_parse_is_the_parse(store, path):
    text = path.read_text(encoding="utf-8")
    parsed = yamlsrc._parse(text, path, 0)
    assert same_tree(yamlsrc.load_yaml(text, path), parsed)            # parsed, and stored
    assert len(list(store.rglob("*"))) >= 2
    yamlstore._MEMO.clear()
    from_disk = yamlsrc.load_yaml(text, path)
    assert same_tree(from_disk, parsed)
    assert from_disk is not yamlsrc.load_yaml(text, path)              # a fresh copy for every caller


def test_the_store_keys_the_text_the_file_and_the_offset(store):
    a = yamlsrc.load_yaml("a: 1\nb: [x, y]\n", "one.yaml")
    assert yamlsrc.load_yaml("a: 2\nb: [x, y]\n", "one.yaml")["a"] == 2
    assert yamlsrc.load_yaml("a: 1\nb: [x, y]\n", "two.yaml").where.path == "two.yaml"
    assert yamlsrc.load_yaml("a: 1\nb: [x, y]\n", "one.yaml", line_offset=3).at("b").line == 5
    assert a.at("b").line == 2


def test_bad_yaml_is_never_stored_and_always_reported(store):
    for _ in range(2):
        with pytest.raises(SourceError, match="x.yaml:2:1"):
            yamlsrc.load_yaml("a: 1\n\tb: 2\n", "x.yaml")
    assert not [p for p in store.rglob("*") if p.is_file()]


def test_a_damaged_entry_is_a_miss(store):
    yamlsrc.load_yaml("a: 1\n", "d.yaml")
    (entry,) = [p for p in store.rglob("*") if p.is_file()]
    entry.write_bytes(b"garbage")
    yamlstore._MEMO.clear()
    assert yamlsrc.load_yaml("a: 1\n", "d.yaml") == {"a": 1}


def test_a_warm_load_does_not_import_pyyaml():
    code = (f"import sys; from layout.spec import load_spec; load_spec({str(FLAGSHIP)!r}); "
            "print('yaml' in sys.modules)")
    run(code)                                                          # fills the store, if need be
    assert run(code).stdout.split() == ["False"]
    assert run(code, {"LAYOUT_YAML_CACHE": "0"}).stdout.split() == ["True"]     # the store off: parsed


# ------------------------------------------------------------------------------ the command line's parser

CASES = [["--help"], [], ["bogus"], ["build", "a", "b"], ["build", "--bogus"], ["-h", "build"], ["schema", "nope"],
         ["new"], ["build", "--dpi", "x"], *[[c, "--help"] for c, _ in cli._SUBCOMMANDS]]


def _outcome(parser, argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result = vars(parser.parse_args(argv))
        except SystemExit as exit_:
            result = exit_.code
    return result, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", CASES, ids=" ".join)
def test_the_parser_for_one_command_says_what_the_whole_parser_says(argv, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert _outcome(cli._parser(argv), argv) == _outcome(cli._parser([]), argv)


def test_the_parser_for_one_command_has_only_that_command():
    build = cli._parser(["build"])._subparsers._group_actions[0].choices
    assert list(build) == ["build"]
    assert len(cli._parser([])._subparsers._group_actions[0].choices) == len(cli._SUBCOMMANDS) == len(cli.COMMANDS)


# ------------------------------------------------------------------------------ the quick exit of `layout`

def command(*argv, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout", *argv], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_the_command_flushes_everything_and_keeps_its_exit_status(tmp_path):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["schema"]) == 0
    done = command("schema")                                   # stdout a pipe: block-buffered until the exit
    assert done.returncode == 0 and done.stdout == out.getvalue() and len(done.stdout) > 20000
    done = command("build", str(tmp_path / "missing.yaml"))
    assert done.returncode == 2 and done.stderr.startswith("error: ") and done.stdout == ""
    done = command("build", "--bogus")
    assert done.returncode == 2 and "unrecognized arguments: --bogus" in done.stderr
    done = command("build", "--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: layout build") and "--grid-dpi" in done.stdout


def test_the_command_runs_the_exit_handlers(tmp_path):
    """The kept dataclass code is written by an exit handler: a first command with an empty cache writes it."""
    cache = tmp_path / "cache"
    done = command("build", "--help", env={"LAYOUT_CACHE_DIR": str(cache)})
    assert done.returncode == 0
    assert list((cache / "code").glob("*/layout.*.marshal"))

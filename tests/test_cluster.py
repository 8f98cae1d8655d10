"""Editions and batches on a Dask cluster (a LocalCluster of 2 worker processes, one per session):
byte-identical pages, a worker killed mid-edition, an unreachable scheduler, a failing page, batches."""
from __future__ import annotations

import io
import logging
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from layout.batch import Bar, read_list, run_batch
from layout.build import BuildError
from layout.cli import main
from layout.cluster import DaskRunner, LocalPool, convert_in_child
from layout.edition import build_edition, compose_edition, edition_faces, load_edition
from tests.editions import FailingPage, make_edition

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content" / "example-edition" / "edition.yaml"


@pytest.fixture(scope="session")
def cluster():
    """A LocalCluster of 2 single-threaded worker processes (a nanny each, so a killed one restarts);
    ports chosen by the system (the dashboard too, on 127.0.0.1)."""
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", scheduler_port=0,
                      dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as local:
        yield local


@pytest.fixture()
def runner(cluster):
    dask = DaskRunner(cluster.scheduler_address)
    dask.client.wait_for_workers(2, timeout=60)
    yield dask
    dask.close()


@pytest.fixture(scope="session")
def edition16(tmp_path_factory):
    """The 16-page edition and its PDF built on the local process pool: (edition.yaml, pdf bytes)."""
    folder = tmp_path_factory.mktemp("edition16")
    edition = make_edition(folder / "sixteen")
    out = folder / "local.pdf"
    build_edition(edition, out, progress=lambda line: None)
    return edition, out.read_bytes()


@pytest.fixture(scope="session")
def example_local(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "local.pdf"
    build_edition(EXAMPLE, out, progress=lambda line: None)
    return out.read_bytes()


def _stats(runner) -> dict:
    from layout import cluster as module   # noqa: F401 - run on each worker
    return runner.client.run(lambda: dict(__import__("layout.cluster").cluster.WORKER_STATS))


def test_example_edition_on_two_workers_is_byte_identical_to_the_local_pool(runner, example_local, tmp_path):
    lines = []
    out = tmp_path / "dask.pdf"
    report = build_edition(EXAMPLE, out, runner=runner, progress=lines.append)
    assert out.read_bytes() == example_local
    assert report.pages == 2 and not report.preflight_errors
    assert sum(" on tcp://127.0.0.1:" in line for line in lines) == 2     # both pages ran on workers


def test_16_page_edition_on_workers_is_identical_and_fonts_are_prepared_once_per_worker(runner, edition16, tmp_path):
    edition, local = edition16
    lines = []
    out = tmp_path / "dask.pdf"
    build_edition(edition, out, runner=runner, progress=lines.append)
    assert out.read_bytes() == local
    workers = {line.rsplit(" on ", 1)[1] for line in lines if " rendered in " in line}
    assert len(workers) == 2, lines           # the pages were shared between both workers
    stats = _stats(runner)
    for address, seen in stats.items():
        assert seen["fonts_prepared"] >= 1, (address, seen)       # by the plugin, before any page
        assert seen["faces_registered_by_pages"] == 0, (address, seen)
    # one plugin per set of faces: the same faces again prepare nothing new on the workers
    before = {a: s["fonts_prepared"] for a, s in stats.items()}
    runner.prepare_fonts(edition_faces(compose_edition(load_edition(edition))))
    assert {a: s["fonts_prepared"] for a, s in _stats(runner).items()} == before


def test_a_worker_killed_mid_edition_its_pages_run_elsewhere_and_the_edition_is_identical(runner, edition16, tmp_path):
    edition, local = edition16
    client = runner.client
    pids = client.run(os.getpid)
    killed, lines = [], []

    def progress(line):
        lines.append(line)
        if not killed and " rendered in " in line:
            busy = [w for w, keys in client.processing().items() if keys]
            assert busy, "no worker busy after the first page: nothing to kill"
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append((busy[0], len(lines)))
    out = tmp_path / "dask.pdf"
    build_edition(edition, out, runner=runner, progress=progress)
    assert killed and killed[0][1] < 16          # killed while pages were still to render
    assert out.read_bytes() == local
    assert sum(" rendered in " in line for line in lines) == 16
    client.wait_for_workers(2, timeout=60)        # the nanny started a new worker process
    assert pids[killed[0][0]] not in client.run(os.getpid).values()


@pytest.mark.parametrize("where", ["dask", "local"])
def test_a_failing_page_is_named_and_the_earlier_pdf_of_the_edition_is_kept(where, cluster, tmp_path):
    out = tmp_path / "edition.pdf"
    out.write_bytes(b"%PDF-1.3 the earlier edition")
    inner = DaskRunner(cluster.scheduler_address) if where == "dask" else LocalPool(2)
    lines = []
    with pytest.raises(BuildError) as err:
        build_edition(EXAMPLE, out, runner=FailingPage(inner, folio=5), progress=lines.append)
    inner.close()
    message = str(err.value)
    assert message.startswith(f"{EXAMPLE.parent / 'page-1.yaml'}:1:1: ") and "1 of 2 pages failed" in message
    assert "page 1 (page-1.yaml): PageFault: injected failure on page 5" in message and "is kept" in message
    assert "\n" not in message
    assert out.read_bytes() == b"%PDF-1.3 the earlier edition"
    assert sum(" rendered in " in line for line in lines) == 1      # the other page still ran
    assert any("page 1/2" in line and "FAILED" in line for line in lines)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_unreachable_scheduler_is_one_line_and_exit_2_before_anything_is_written(how, tmp_path, capsys,
                                                                                    monkeypatch):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("LAYOUT_SCHEDULER_TIMEOUT", "1")
    out = tmp_path / "edition.pdf"
    out.write_bytes(b"%PDF-1.3 the earlier edition")
    argv = ["build", str(EXAMPLE), "-o", str(out)]
    if how == "option":
        argv += ["--scheduler", address]
    else:
        monkeypatch.setenv("LAYOUT_SCHEDULER", address)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: scheduler {address}: cannot reach the Dask scheduler"), err
    assert out.read_bytes() == b"%PDF-1.3 the earlier edition"
    assert [p.name for p in tmp_path.iterdir()] == ["edition.pdf"]      # no temporary file either
    monkeypatch.delenv("LAYOUT_SCHEDULER", raising=False)
    assert main(["batch", str(EXAMPLE.parent.parent), "-o", str(tmp_path / "out"), "--scheduler", address]) == 2
    assert not (tmp_path / "out").exists()


def test_local_n_is_a_number_of_workers(capsys):
    assert main(["build", str(EXAMPLE), "--scheduler", "local:many"]) == 2
    assert "local:N` names a number of workers" in capsys.readouterr().err


def test_batch_builds_every_edition_reports_a_failed_one_and_exits_10_plus_failures(cluster, edition16,
                                                                                   example_local, tmp_path, capsys):
    edition, local16 = edition16
    broken = tmp_path / "broken" / "edition.yaml"
    broken.parent.mkdir()
    broken.write_text("name: broken\npages: [page-1.yaml]\n", encoding="utf-8")   # no such page
    listing = tmp_path / "night.txt"
    listing.write_text(f"{EXAMPLE}\n# the group's second paper\n{edition}\n{broken}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(listing), "-o", str(out), "--scheduler", cluster.scheduler_address]) == 11
    err = capsys.readouterr().err
    assert (out / "example-edition.pdf").read_bytes() == example_local
    assert (out / "sixteen.pdf").read_bytes() == local16
    assert not (out / "broken.pdf").exists()
    lines = err.splitlines()
    assert sum(line.startswith("built ") for line in lines) == 2
    failed = [line for line in lines if line.startswith("FAILED ")]
    assert len(failed) == 1 and "page spec page-1.yaml not found" in failed[0], failed
    assert lines[-1].startswith("batch: 2 of 3 editions built, 1 failed; 18 pages in"), lines[-1]


def test_batch_on_the_local_pool_from_a_folder(tmp_path, example_local):
    editions = read_list(EXAMPLE.parent.parent)
    assert EXAMPLE in editions
    pool = LocalPool(2)
    try:
        result = run_batch([EXAMPLE], pool, tmp_path, Bar(io.StringIO(), live=False))
    finally:
        pool.close()
    assert result.exit_status == 0 and result.pages == 2
    assert (tmp_path / "example-edition.pdf").read_bytes() == example_local


def test_a_list_that_names_a_missing_edition_points_at_its_line(tmp_path):
    listing = tmp_path / "night.txt"
    listing.write_text(f"{EXAMPLE}\n\nnowhere/edition.yaml\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"night.txt:3:1: edition file nowhere/edition.yaml not found"):
        read_list(listing)


def test_the_progress_bar_is_one_line_redrawn_with_edition_lines_above_it():
    stream = io.StringIO()
    bar = Bar(stream, live=True, width=10)
    bar.total, bar.editions = 4, 1
    bar.draw()
    bar.done = 2
    bar.line("built   a.yaml: 4 pages")
    bar.close()
    text = stream.getvalue()
    assert "\r[..........] 0/4 pages" in text and "\r[#####.....] 2/4 pages" in text
    assert "\x1b[Kbuilt   a.yaml: 4 pages\n" in text


def test_fonts_converted_in_a_child_interpreter_where_a_daemon_worker_cannot_fork_a_pool():
    pages = compose_edition(load_edition(EXAMPLE))
    faces = edition_faces(pages)
    assert convert_in_child(faces) == [str(f.embeddable_path()) for f in faces]


def test_no_scheduler_no_distributed_import():
    code = ("import sys, layout.cli, layout.edition, layout.cluster, layout.batch; "
            "print('distributed' in sys.modules, 'dask' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]

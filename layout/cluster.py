"""Runners of page jobs: "run these jobs" on the local process pool or on a Dask cluster.

A page job is a pure function of what travels with it (the page's display list, the Face objects
it draws with, its prepared photos as JPEG bytes), so its bytes are the same on any worker. Font
files are the one input read on the worker: the fonts are made embeddable once per worker (the
FontPlugin of dask_plugin.py), from the worker's own font files at the paths the client's
fonts.yaml resolved, or from a converted-font cache all workers share ($LAYOUT_CACHE_DIR).

`distributed` is imported only when a scheduler is used.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .build import BuildError

DEFAULT_CONNECT_SECONDS = 10.0     # $LAYOUT_SCHEDULER_TIMEOUT: how long to try to reach a scheduler

# What a worker process has done (for the tests and the bench): fonts made ready by the plugin,
# and faces a page job found not yet registered (it registers them itself: correct, but slower).
WORKER_STATS = {"fonts_prepared": 0, "faces_registered_by_pages": 0, "pages": 0}
_RENDER_LOCK = threading.Lock()    # ReportLab's font registry is per process: one page at a time


@dataclass(frozen=True)
class Outcome:
    """What became of one job: its value, or a one-line error; where it ran and how long it took."""
    index: int
    value: object = None
    error: str | None = None
    seconds: float = 0.0
    where: str = "local"

    @property
    def ok(self) -> bool:
        return self.error is None


def one_line_error(err: BaseException) -> str:
    text = " ".join(str(err).split())
    if isinstance(err, BuildError) or type(err).__name__ == "FontError":
        return text
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _timed(fn, args) -> tuple:
    started = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - started


def _timed_on_worker(fn, args) -> tuple:
    from distributed import get_worker
    value, seconds = _timed(fn, args)
    return value, seconds, get_worker().address


# --------------------------------------------------------------------------- page jobs

def render_page(layout, faces: dict, images: dict) -> bytes:
    """One page's PDF (ReportLab's, not yet finished as PDF/X): the job every runner runs."""
    from .render import rl_fonts
    from .render.pdf import render_pdf
    with _RENDER_LOCK:
        unready = [k for k in faces if k not in rl_fonts._REGISTERED]
        WORKER_STATS["faces_registered_by_pages"] += len(unready)
        WORKER_STATS["pages"] += 1
        return render_pdf([layout], faces, images, layout.title)


def prepare_fonts_here(faces: Iterable) -> tuple:
    """Make the faces embeddable and register them with ReportLab in this process, once.

    A Dask worker is a daemon process, which may not start the conversion's process pool: then
    the conversion (a cold cache only) runs in a child interpreter, `python -m layout.cluster`."""
    import multiprocessing

    from .render import rl_fonts
    faces = list(faces)
    cold = [f for f in faces if f._needs_build and not f._built_path().exists()]
    if cold and multiprocessing.current_process().daemon:
        convert_in_child(cold)
    with _RENDER_LOCK:
        names = rl_fonts.register_all(faces)
        WORKER_STATS["fonts_prepared"] += 1
    return names


def convert_in_child(faces: list) -> list:
    """Run fonts.prepare() for the faces in a fresh interpreter; returns the embeddable paths."""
    from .fonts import FontError
    wanted = pickle.dumps([(f.family, str(f.source), f.index) for f in faces])
    done = subprocess.run([sys.executable, "-m", "layout.cluster", "prepare-fonts"], input=wanted,
                          capture_output=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        raise FontError(f"preparing the fonts on this worker failed: {last}")
    return pickle.loads(done.stdout)


def _prepare_fonts_main() -> int:
    """`python -m layout.cluster prepare-fonts`: pickled [(family, source, index)] on stdin."""
    from .fonts import FontError, open_face, prepare, silent
    try:
        faces = [open_face(family, source, index) for family, source, index in pickle.load(sys.stdin.buffer)]
        paths = prepare(faces, silent)
    except FontError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(pickle.dumps([str(p) for p in paths]))
    return 0


# --------------------------------------------------------------------------- the local pool

class LocalPool:
    """Jobs in a process pool on this machine (the default)."""

    name = "local pool"

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool = None

    def prepare_fonts(self, faces: Iterable) -> None:
        """Convert any font not yet prepared once, here; the pool's processes read the cache."""
        from .fonts import FontError, prepare
        try:
            prepare(list(faces))
        except FontError as err:
            raise BuildError(str(err)) from None

    def run(self, fn: Callable, jobs: Iterable[tuple]) -> Iterator[Outcome]:
        """fn(*job) for every job, in the pool; Outcomes as they complete (jobs may be a generator:
        the pool works on the first jobs while later ones are still being made)."""
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        pending = {}
        for index, job in enumerate(jobs):
            pending[self._pool.submit(_timed, fn, job)] = index
            done = [f for f in pending if f.done()]
            yield from self._collect(done, pending)
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            yield from self._collect(done, pending)

    @staticmethod
    def _collect(done, pending) -> Iterator[Outcome]:
        for future in done:
            index = pending.pop(future)
            try:
                value, seconds = future.result()
            except Exception as err:  # noqa: BLE001 - a failed job is reported, the others go on
                yield Outcome(index, error=one_line_error(err))
            else:
                yield Outcome(index, value, seconds=seconds)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# --------------------------------------------------------------------------- Dask

def font_plugin_name(faces) -> str:
    """One name per set of faces: registering the same set again is a no-op."""
    keys = "\0".join(sorted(f"{f.key}:{f._cid}" for f in faces))
    return "layout-fonts-" + hashlib.sha256(keys.encode()).hexdigest()[:12]


class DaskRunner:
    """Jobs on the workers of a Dask cluster: an address, or `local:N` (a LocalCluster of N
    single-threaded worker processes, started here and stopped by close())."""

    def __init__(self, address: str, connect_seconds: float | None = None):
        self.address = address
        self.name = f"Dask scheduler {address}"
        self._cluster = None
        self._plugins: set = set()
        if connect_seconds is None:
            connect_seconds = _connect_seconds()
        self.client = self._connect(address, connect_seconds)

    def _connect(self, address: str, seconds: float):
        import logging
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise BuildError("<scheduler>:1:1: the Dask scheduler needs the `distributed` package: "
                             "pip install 'dask[distributed]'") from None
        if address.startswith("local:"):
            count = address.partition(":")[2]
            if not count.isdigit() or int(count) < 1:
                raise BuildError(f"scheduler {address}: `local:N` names a number of workers, e.g. local:2")
            self._cluster = LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                                         host="127.0.0.1", scheduler_port=0, dashboard_address="127.0.0.1:0",
                                         silence_logs=logging.ERROR)
            self.name = f"local Dask cluster of {count} worker{'s' if int(count) > 1 else ''}"
            return Client(self._cluster, set_as_default=False)
        if "://" not in address:
            address = f"tcp://{address}"
        for name in ("distributed.client", "distributed.core", "distributed.comm.tcp"):
            logging.getLogger(name).setLevel(logging.CRITICAL)   # the one-line error says it all
        try:
            client = Client(address, timeout=seconds, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as err:
            raise BuildError(f"scheduler {self.address}: cannot reach the Dask scheduler "
                             f"({one_line_error(err)[:160]}); start it (`dask scheduler`), fix the address, "
                             f"or leave out --scheduler / LAYOUT_SCHEDULER to build here") from None
        try:
            client.wait_for_workers(1, timeout=seconds)
        except (TimeoutError, OSError):
            client.close()
            raise BuildError(f"scheduler {self.address}: it has no workers; start some "
                             f"(`dask worker {address} --nthreads 1`)") from None
        return client

    def prepare_fonts(self, faces: Iterable) -> None:
        """Register the FontPlugin for these faces (once per set of faces): every worker prepares
        them now; workers that join or restart later do it when they start."""
        from .dask_plugin import FontPlugin
        faces = list(faces)
        name = font_plugin_name(faces)
        if name in self._plugins:
            return
        try:
            self.client.register_plugin(FontPlugin(faces), name=name)
        except Exception as err:  # noqa: BLE001 - e.g. a font file missing on a worker
            raise BuildError(f"<workers>:1:1: preparing the fonts on the workers failed: "
                             f"{one_line_error(err)}; install the same fonts on every worker, or "
                             f"point their LAYOUT_CACHE_DIR at a shared font cache") from None
        self._plugins.add(name)

    def run(self, fn: Callable, jobs: Iterable[tuple]) -> Iterator[Outcome]:
        """fn(*job) on the workers; Outcomes as they complete. A worker that dies takes its jobs
        with it and the scheduler runs them again elsewhere (a job that kills 3 workers fails)."""
        from distributed import as_completed
        pending, queue = {}, as_completed(loop=self.client.loop)
        for index, job in enumerate(jobs):
            future = self.client.submit(_timed_on_worker, fn, job, pure=False, retries=0)
            pending[future.key] = index
            queue.add(future)
            while queue.has_ready():
                yield from self._collect(queue.next_batch(block=False), pending)
        for future in queue:
            yield from self._collect([future], pending)

    @staticmethod
    def _collect(futures, pending) -> Iterator[Outcome]:
        for future in futures:
            index = pending.pop(future.key)
            try:
                value, seconds, where = future.result()
            except Exception as err:  # noqa: BLE001 - a failed job is reported, the others go on
                yield Outcome(index, error=one_line_error(err), where="a worker")
            else:
                yield Outcome(index, value, seconds=seconds, where=where)
            future.release()

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()


def _connect_seconds() -> float:
    given = os.environ.get("LAYOUT_SCHEDULER_TIMEOUT")
    if not given:
        return DEFAULT_CONNECT_SECONDS
    try:
        return max(0.1, float(given))
    except ValueError:
        raise BuildError(f"LAYOUT_SCHEDULER_TIMEOUT:1:1: {given!r} is not a number of seconds") from None


def open_runner(scheduler: str | None, workers: int | None = None):
    """The runner for --scheduler / LAYOUT_SCHEDULER: a DaskRunner, or the local pool without one."""
    if scheduler:
        return DaskRunner(scheduler.strip())
    return LocalPool(workers)


def scheduler_from(given: str | None) -> str | None:
    """The scheduler named on the command line, else $LAYOUT_SCHEDULER, else none."""
    return given or os.environ.get("LAYOUT_SCHEDULER") or None


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare-fonts"]:
        sys.exit(_prepare_fonts_main())
    print("usage: python -m layout.cluster prepare-fonts < faces.pickle", file=sys.stderr)
    sys.exit(2)

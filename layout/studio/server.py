"""`layout serve`: the page (or every page of an edition) live in the browser.

Starlette + uvicorn on 127.0.0.1 only; watchfiles reports saves; updates go out as server-sent events
carrying only the blocks that changed; the PDF is written after the preview by a worker process (the
same build as `layout build`, so /api/report is its JSON). The only file written on a request is the
spec being edited, atomically; nothing from a request is executed.
"""
from __future__ import annotations

import asyncio
import io
import json
import multiprocessing
import socket
import sys
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from ..artwork import Delivered
from ..build import BuildError
from ..outputs import default_output
from ..render.proofcolour import image_rgb, page_profile
from ..session import Session
from ..yamlsrc import SourceError, one_line
from .fontserve import FontServer
from .guard import allowed
from .source import line_col
from .yamledit import EditError, add_block, block_lines, free_spot, insert_lines, removed_block, set_block_values

STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/studio.js": ("studio.js", "text/javascript; charset=utf-8"),
          "/studio.css": ("studio.css", "text/css; charset=utf-8")}


def _write_pdf(path: str, output: str) -> tuple:
    """In the worker process: the build `layout build PATH -o OUTPUT --report json` makes."""
    from ..build import build
    from ..edition import build_edition, is_edition
    try:
        report = build_edition(Path(path), Path(output)) if is_edition(Path(path)) else build(path, output)
        return report.to_json(), None
    except BuildError as err:
        return None, f"error: {one_line(str(err))}"


class Studio:
    """The state behind the routes: the session, the fonts served, the browsers listening."""

    def __init__(self, path: Path, output: Path, port: int, write_pdf: bool = True):
        self.session = Session(Path(path), Path(output))
        self.port = port
        self.fonts = FontServer()
        self.listeners: set = set()
        self.shown = 0                       # updates sent: the client's data-build
        self.lock = asyncio.Lock()
        self.write_pdf = write_pdf
        self.pdf_wanted = asyncio.Event()
        self.pdf_idle = asyncio.Event()
        self.pdf_result = (None, None)
        self.pool = None
        self.photos: dict = {}
        self.stop = asyncio.Event()
        self.unplaced: list = []             # article files no block names, as last sent
        self.removed: dict = {}              # restore token -> (spec path, line, the lines of a removed block)
        self.removals = 0

    # -- building -----------------------------------------------------------------------------------
    async def rebuild(self, changed=()) -> dict | None:
        """Compose again; send the changed blocks to every browser; queue the PDF. The message sent."""
        async with self.lock:
            before = self.session.error
            update = await asyncio.to_thread(self.session.rebuild, changed)
            if update is None:
                return None
            fonts_changed = False
            if update.error is None:
                fonts_changed = await asyncio.to_thread(self.fonts.update, self.session.faces(),
                                                        self.session.chars_by_face())
            unplaced = self.session.unplaced()
            if update.error == before and not any(update.changed.values()) and not fonts_changed \
                    and unplaced == self.unplaced:
                return None
            self.unplaced = unplaced
            self.shown += 1
            msg = {**update.message(), "build": self.shown, "fonts": self.fonts.table(),
                   "changed": {str(k): v for k, v in update.changed.items()}, "unplaced": unplaced}
            self.broadcast(msg)
            if update.error is None:
                self.want_pdf()
            return msg

    def broadcast(self, msg: dict) -> None:
        data = json.dumps(msg, ensure_ascii=False)
        for queue in list(self.listeners):
            queue.put_nowait(data)

    def snapshot(self) -> dict:
        return {**self.session.snapshot(), "build": self.shown, "fonts": self.fonts.table(), "changed": None,
                "pdf": self.pdf_message(), "unplaced": self.unplaced}

    def want_pdf(self) -> None:
        if self.write_pdf:
            self.pdf_idle.clear()
            self.pdf_wanted.set()

    def pdf_message(self) -> dict | None:
        report, error = self.pdf_result
        if report is None and error is None:
            return None
        return {"report": json.loads(report) if report else None, "error": error}

    async def pdf_loop(self) -> None:
        """Write the PDF after each good build, never more than one at a time, the latest state last."""
        loop = asyncio.get_running_loop()
        while True:
            await self.pdf_wanted.wait()
            self.pdf_wanted.clear()
            if self.pool is None:
                self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            try:
                self.pdf_result = await loop.run_in_executor(self.pool, _write_pdf, str(self.session.path),
                                                             str(self.session.output))
            except Exception as err:  # noqa: BLE001 - a crashed worker: say so, never leave /api/report waiting
                self.pool = None
                self.pdf_result = (None, f"error: {self.session.path}:1:1: the PDF was not written ({err})")
            self.broadcast({"pdf": self.pdf_message()})
            if not self.pdf_wanted.is_set():
                self.pdf_idle.set()

    async def watch_loop(self) -> None:
        from watchfiles import awatch
        from ..fonts import DEFAULT_CATALOG
        folder = self.session.folder
        output = self.session.output.resolve()
        paths = [str(folder)] + ([str(DEFAULT_CATALOG.parent)] if DEFAULT_CATALOG.parent.is_dir() else [])

        def interesting(change, path: str) -> bool:
            p = Path(path)
            return not p.name.startswith(".") and not p.name.endswith(("~", ".swp", ".tmp")) \
                and p.resolve() != output and p.suffix.lower() != ".pdf"
        async for changes in awatch(*paths, watch_filter=interesting, step=5, debounce=400,
                                    stop_event=self.stop):
            await self.rebuild({p for _, p in changes})

    # -- editing ------------------------------------------------------------------------------------
    async def move(self, block_id: str, values: dict, page: int | None) -> tuple:
        """(status, body) of a move/resize: the spec rewritten atomically, or the error line and nothing."""
        return await self.edit(block_id, page, lambda text: set_block_values(text, block_id, values))

    async def remove(self, block_id: str, page: int | None) -> tuple:
        """(status, body) of taking a block off the page (its article stays in its file); the body's
        `restore` token puts its lines back where they were (POST /api/blocks {"restore": token})."""
        taken, found = {}, self._block(block_id, page)

        def change(text):
            new, at, entry = removed_block(text, block_id)
            taken.update(at=at, entry=entry)
            return new
        status, body = await self.edit(block_id, page, change)
        if status == 200 and taken and found is not None:
            self.removals += 1
            token = f"r{self.removals}"
            self.removed[token] = (found.spec.path, taken["at"], taken["entry"])
            body = {**body, "restore": token}
        return status, body

    async def restore(self, token: str) -> tuple:
        """(status, body) of putting a removed block's lines back (the undo of a removal)."""
        stash = self.removed.get(token)
        if stash is None:
            return 422, {"error": f"error: {self.session.path}:1:1: nothing removed to put back ({token})"}
        spec_path, at, entry = stash
        index = next((k for k, p in enumerate(self.session.pages) if p.spec.path == spec_path), 0)
        status, body = await self.edit(None, index, lambda text: insert_lines(text, at, entry))
        if status == 200:
            del self.removed[token]
        return status, body

    async def place(self, article: str, page: int | None) -> tuple:
        """(status, body) of putting an article no block names on the page: a block of two columns in the
        first free area (a blank line under the block above it), `auto` tall when its story fits that area,
        else as tall as the area; 409 when no area is free. The answer carries the new block's id."""
        from ..grid import make_grid
        async with self.lock:
            if self.session.error or not self.session.pages:
                return 422, {"error": self.session.error or f"error: {self.session.path}:1:1: nothing built yet"}
            if article not in self.session.unplaced():
                return 422, {"error": f"error: {self.session.path}:1:1: `{article}` is not an article file of "
                                      f"this page that no block shows"}
            index = page if page is not None and 0 <= page < len(self.session.pages) else None
            for k in ([index] if index is not None else range(len(self.session.pages))):
                composed = self.session.pages[k]
                grid = make_grid(composed.spec)
                spot = free_spot(grid.columns, grid.lines, composed.spec.blocks)
                if spot is not None:
                    break
            else:
                return 409, {"error": f"error: {self.session.path}:1:1: no free area of two columns and six "
                                      f"lines is left on the page for `{article}`; make room by moving or "
                                      f"resizing a block"}
        ids = {b.id for p in self.session.pages for b in p.spec.blocks}
        block_id = article if article not in ids else next(f"{article}-{n}" for n in range(2, 999)
                                                           if f"{article}-{n}" not in ids)
        (col, line), (cols, lines) = spot
        for height in ("auto", lines):              # as tall as its story when that fits the area, else the area
            status, body = await self.edit(None, k, lambda text: add_block(text, block_id, article, (col, line),
                                                                           (cols, height)))
            if status != 409:
                break
        return status, {**body, "id": block_id, "page": k}

    async def edit(self, block_id: str | None, page: int | None, change) -> tuple:
        """(status, body): the spec of the block's page (or page `page`) changed by change(text), checked
        and written atomically, the page rebuilt; or the error line and nothing written."""
        async with self.lock:
            if block_id is None:
                found = self.session.pages[page]
            else:
                found = self._block(block_id, page)
                if found is None:
                    return 422, {"error": f"error: {self.session.path}:1:1: no block `{block_id}` on the page"}
            spec_path = found.spec.path
            text = spec_path.read_text(encoding="utf-8")
            try:
                new = change(text)
            except EditError as err:
                return 422, {"error": f"error: {spec_path}:1:1: {err}"}
            if new != text:
                status, error = await asyncio.to_thread(_check_and_write, spec_path, new)
                if error:
                    return status, {"error": error}
        await self.rebuild({str(spec_path)})
        if self.session.error:
            return 422, {"error": self.session.error}
        status, report = await self.full_report()
        return (200, {"report": report}) if status == 200 else (status, report)

    async def full_report(self) -> tuple:
        """(status, body) of GET /api/report: the report `layout build --report json` gives for the
        current state, preflight findings included (it waits for the PDF written after the preview)."""
        if self.session.error:
            return 422, {"error": self.session.error}
        if not self.write_pdf:
            return 200, self.session.report_json()
        await self.pdf_idle.wait()
        text, error = self.pdf_result
        if error:
            return 422, {"error": error}
        return 200, json.loads(text)

    def _block(self, block_id: str, page: int | None):
        for index, composed in enumerate(self.session.pages):
            if page is not None and index != page:
                continue
            if any(b.id == block_id for b in composed.spec.blocks):
                return composed
        return None


class _Refused(Exception):
    """An edited spec that does not hold: args (status, error line); nothing is written."""


def _check_and_write(spec_path: Path, text: str) -> tuple:
    """Validate the edited spec beside the real one, then rename it over it: (status, error line or None).
    An overlap or a block leaving the grid is 409 (the CLI's message); any other invalid value 422."""
    from ..atomic import write_atomic
    from ..build import prepare_page
    from ..fonts import load_catalog
    from ..measure import FontMetrics
    from ..spec import load_spec

    def write_checked(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

        def fix(err) -> str:
            return "error: " + one_line(str(err)).replace(str(tmp), str(spec_path))
        try:
            spec = load_spec(tmp)
        except SourceError as err:
            raise _Refused(422, fix(err)) from None
        try:
            prepare_page(spec, FontMetrics(load_catalog(), spec.fonts))
        except SourceError as err:
            raise _Refused(409, fix(err)) from None
        except Exception as err:  # noqa: BLE001 - a font problem and the like: refuse, say why
            raise _Refused(422, fix(err)) from None
    try:
        write_atomic(spec_path, write_checked)
    except _Refused as refused:
        return refused.args
    return 200, None


def _values(body) -> dict | None:
    """{"at": [col, line], "size": [cols, lines]} with whole numbers >= 1 (lines may be "auto"), else None."""
    if not isinstance(body, dict) or not body or set(body) - {"at", "size"}:
        return None
    for key, v in body.items():
        if not (isinstance(v, list) and len(v) == 2):
            return None
        if not all((type(n) is int and n >= 1) or (key == "size" and k == 1 and n == "auto")
                   for k, n in enumerate(v)):
            return None
    return body


def make_app(studio: Studio) -> Starlette:
    async def static(request):
        name, kind = STATIC[request.url.path]
        data = resources.files("layout.studio").joinpath("static", name).read_bytes()
        return Response(data, media_type=kind, headers={"Cache-Control": "no-store"})

    async def events(request):
        queue: asyncio.Queue = asyncio.Queue()
        studio.listeners.add(queue)

        async def stream():
            try:
                yield f"data: {json.dumps(studio.snapshot(), ensure_ascii=False)}\n\n"
                while True:
                    try:
                        data = await asyncio.wait_for(queue.get(), 15)
                        yield f"data: {data}\n\n"
                    except asyncio.TimeoutError:
                        yield ": keep-alive\n\n"
            finally:
                studio.listeners.discard(queue)
        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    async def report(request):
        status, body = await studio.full_report()
        return JSONResponse(body, status_code=status)

    async def blocks(request):
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        values = _values(body)
        if values is None:
            return JSONResponse({"error": f"error: {studio.session.path}:1:1: give {{\"at\": [col, line], "
                                          f"\"size\": [cols, lines or \"auto\"]}} with whole numbers from 1"}, status_code=422)
        page = request.query_params.get("page")
        status, out = await studio.move(request.path_params["id"], values,
                                        int(page) if page and page.isdigit() else None)
        return JSONResponse(out, status_code=status)

    async def place(request):
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if isinstance(body, dict) and set(body) == {"restore"} and isinstance(body["restore"], str):
            status, out = await studio.restore(body["restore"])
            return JSONResponse(out, status_code=status)
        if not (isinstance(body, dict) and set(body) <= {"article", "page"} and isinstance(body.get("article"), str)
                and (body.get("page") is None or (type(body["page"]) is int and body["page"] >= 0))):
            return JSONResponse({"error": f"error: {studio.session.path}:1:1: give {{\"article\": NAME}} (an "
                                          f"article file no block shows) and optionally \"page\": N"}, status_code=422)
        status, out = await studio.place(body["article"], body.get("page"))
        return JSONResponse(out, status_code=status)

    async def remove(request):
        page = request.query_params.get("page")
        status, out = await studio.remove(request.path_params["id"], int(page) if page and page.isdigit() else None)
        return JSONResponse(out, status_code=status)

    async def block_source(request):
        composed = studio._block(request.path_params["id"], None)
        if composed is None:
            return JSONResponse({"error": "no such block"}, status_code=404)
        path = composed.spec.path
        text = path.read_text(encoding="utf-8")
        span = block_lines(text, request.path_params["id"])
        if span is None:
            return JSONResponse({"error": "no such block"}, status_code=404)
        lines = text.split("\n")[span[0] - 1:span[1]]
        return JSONResponse({"file": str(path), "first": span[0], "last": span[1], "lines": lines,
                             "where": f"{path}:{span[0]}:1", "link": f"vscode://file/{path.resolve()}:{span[0]}:1"})

    async def char_source(request):
        """FILE:LINE:COL of a character from its offset in its source file (the SVG's data-file and
        data-offsets, carried from the composer); only files the page was built from are read."""
        q = request.query_params
        try:
            path, offset = Path(q["file"]), int(q["offset"])
        except (KeyError, ValueError):
            return JSONResponse({"error": "give file= and offset="}, status_code=422)
        if not path.is_absolute() or path.resolve() not in studio.session.inputs:
            return JSONResponse({"error": "not a file of this page"}, status_code=404)
        got = await asyncio.to_thread(line_col, path, offset)
        if got is None:
            return JSONResponse({"error": "no such character"}, status_code=404)
        line, col, char, col16 = got
        where = f"{path}:{line}:{col}"               # code points, as every error line; the link: UTF-16
        return JSONResponse({"file": str(path), "line": line, "col": col, "char": char, "where": where,
                             "link": f"vscode://file/{path.resolve()}:{line}:{col16}"})

    async def font(request):
        data = studio.fonts.get(request.path_params["family"], int(request.path_params["n"]))
        if data is None:
            return PlainTextResponse("no such font", status_code=404)
        return Response(data, media_type="font/ttf", headers={"Cache-Control": "max-age=3600"})

    async def picture(request, kind: str, wanted, encode, media_type: str):
        """A picture of page N that a block names (photo or ad), encoded for the browser in a thread and
        kept until another of its kind is asked for; 404 for anything else."""
        try:
            page = studio.session.pages[int(request.path_params["page"])]
        except (ValueError, IndexError):
            return PlainTextResponse("no such page", status_code=404)
        source = request.path_params["source"]
        found = page.images.get(source)         # only what the spec names, never another file
        if found is None or not wanted(found):
            return PlainTextResponse(f"no such {kind}", status_code=404)
        key = (kind, source, id(found))
        data = studio.photos.get(key)
        if data is None:
            data = await asyncio.to_thread(encode, found, page.spec)
            studio.photos = {**{k: v for k, v in studio.photos.items() if k[0] != kind}, key: data}
        return Response(data, media_type=media_type, headers={"Cache-Control": "max-age=3600"})

    async def photo(request):
        return await picture(request, "photo", lambda found: not isinstance(found, Delivered),
                             lambda prepared, spec: _rgb_jpeg(prepared.jpeg, page_profile(spec)), "image/jpeg")

    async def artwork(request):
        return await picture(request, "ad", lambda found: isinstance(found, Delivered),
                             lambda delivered, spec: _ad_png(delivered.data), "image/png")

    async def lifespan(app):
        tasks = [asyncio.create_task(studio.watch_loop()), asyncio.create_task(studio.pdf_loop())]
        try:
            yield
        finally:
            studio.stop.set()
            for t in tasks:
                t.cancel()
            if studio.pool is not None:
                studio.pool.shutdown(wait=True, cancel_futures=True)

    routes = [Route(p, static) for p in STATIC] + [
        Route("/api/events", events), Route("/api/report", report),
        Route("/api/blocks", place, methods=["POST"]), Route("/api/blocks/{id}", blocks, methods=["POST"]),
        Route("/api/blocks/{id}", remove, methods=["DELETE"]),
        Route("/api/blocks/{id}/source", block_source), Route("/api/source", char_source),
        Route("/font/{family}/{n:int}.ttf", font), Route("/photo/{page}/{source:path}", photo),
        Route("/art/{page}/{source:path}", artwork)]
    app = Starlette(routes=routes, lifespan=lifespan)
    return _Guarded(app, studio)


def _rgb_jpeg(jpeg: bytes, profile: Path) -> bytes:
    """The photo's JPEG as the screen shows it: CMYK through the page's output profile."""
    from PIL import Image
    out = io.BytesIO()
    image_rgb(Image.open(io.BytesIO(jpeg)), profile).save(out, "JPEG", quality=92)
    return out.getvalue()


def _ad_png(pdf: bytes, scale: float = 2.0) -> bytes:
    """The first page of a delivered ad as a PNG (pdfium), `scale` px per pt."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class _Guarded:
    """ASGI wrapper: a request whose Host or Origin is not this server's own gets 403 and nothing else."""

    def __init__(self, app, studio: Studio):
        self.app, self.studio = app, studio

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
            if not allowed(headers.get("host"), headers.get("origin"), self.studio.port):
                await PlainTextResponse("refused: this server answers only its own page on 127.0.0.1",
                                        status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def serve(path: Path, port: int = 0, output: Path | None = None, open_browser: bool = False,
          write_pdf: bool = True) -> int:
    """Bind 127.0.0.1:PORT (0: a free port), print `serving URL`, build, and serve until Ctrl-C."""
    import uvicorn
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as err:
        raise BuildError(f"{path}:1:1: cannot listen on 127.0.0.1:{port} ({err.strerror}); "
                         f"choose another --port") from None
    sock.listen(128)             # browsers that come early wait in the backlog until the first build is done
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    print(f"serving {url}", flush=True)
    studio = Studio(path, output or default_output(path), port, write_pdf)

    async def main():
        config = uvicorn.Config(make_app(studio), log_level="warning", timeout_graceful_shutdown=1,
                                lifespan="on")
        server = uvicorn.Server(config)
        first = await studio.rebuild()
        if first and first.get("error"):
            print(first["error"], file=sys.stderr, flush=True)
        if open_browser:
            import webbrowser
            webbrowser.open(url)
        await server.serve(sockets=[sock])
    asyncio.run(main())
    return 0

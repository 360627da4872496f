"""Load test: a class of N learners opens the apps on one Voila server at once, moves a slider and leaves.

One Voila server on 127.0.0.1 (``qdpv_testing.server.voila_server``, the project's ``voila.json``, tree mode
on ``notebooks/``; its preheated kernel pools only with ``--preheat``, off by default like the other
benchmarks, so that every page starts its kernel and runs its notebook). N learners, spread round robin over
the six apps (``notebooks/01..06``), arrive within ``--ramp`` seconds (a class told "open the app now").
``--browsers`` of them are headless Chromium pages, one process each; the others are light clients in this
one process (asyncio) that speak the HTTP and kernel-websocket protocol a Voila 0.5.13 page speaks, so that
the load generator, which shares the machine's cores with the server, costs little. Its own CPU is measured
and reported beside the server's.

Every learner

1. opens the tree page ``/``, the server's front page; it also gives the browser the ``_xsrf`` cookie without
   which the page's leave beacon is refused (see "leave" and the note below);
2. opens its app, ``/voila/render/<notebook>``, and waits until it is interactive;
3. moves the first slider ``--moves`` times, ``--think`` seconds apart on average (seeded jitter);
4. stays until every learner has done its moves (so N learners are on the server at once), then leaves, the
   class leaving over the same ramp: the page's ``beforeunload`` handler posts
   ``/voila/api/shutdown/<kernel>`` with the ``_xsrf`` cookie's value in a form; Voila shuts the kernel down.

A learner succeeds when every step finished within its time limit and its kernel is gone after it left.

A light learner does what the page does, in the same order (read from Voila's ``widgets-manager8`` plugin
and ipywidgets 8's kernel widget manager), over HTTP/1.1 keep-alive with at most six connections and the
cookies the server set, like a browser:

- GET ``/`` and the files a browser fetches from the server for it (Voila's tree page is a JupyterLab-style
  app too). The lists of files, for the tree page and for an app, are recorded once, before the measured
  window, by a pre-flight visit in Chromium: what came over the network, not from its cache.
- GET ``/voila/render/<notebook>``; Voila executes the notebook while rendering it. The page names the kernel
  (``"kernelId"``) and the widget views of the cell outputs; it holds no widget state. Then the app's files,
  then ``GET /api/kernels/<id>``.
- Open ``/api/kernels/<id>/channels`` with the ``v1.kernel.websocket.jupyter.org`` protocol and the page's
  cookies and origin; ``kernel_info_request``; ``comm_open`` on ``jupyter.widget.control`` and
  ``request_states``: the reply carries every widget's state. Interactive = that reply has arrived (a
  browser still has to build the views: browser learners measure that too).
- Say ``document_ready`` to each Bokeh figure, like BokehJS. A move is a ``comm_msg`` ``update`` of the
  first slider's value (one step up, then back); its latency runs from sending it until the kernel's update
  of the results text arrives. Every Bokeh patch that comes back is echoed as ``ModelChanged`` events, as
  BokehJS does, so the kernel gets the same traffic from a light learner as from a browser.
- Leave: ``POST /voila/api/shutdown/<id>`` with the form ``navigator.sendBeacon`` sends, then hang up.

Why this test's learners always freed their kernels when ``bench_preheat.py`` had to give its browser a made-up
``_xsrf`` cookie (and ``bench_apps.py`` left every page's kernel running): they opened different URLs. Voila
0.5.13 sets the cookie only on its tree page, which every learner here opens first; the benchmarks open each app
straight at ``/voila/render/...``, whose page got no cookie, so its beacon was refused (403) and its kernel
stayed until the culler took it (``cull_idle_timeout``, 1 h). The kit's kernel websocket now sets the cookie on
every page (``qdpv.serving.websocket``), so a closed page frees its kernel whichever URL opened it
(``tests/test_browser_static.py``); a light learner keeps only the cookies of its HTTP requests, so it still
takes the cookie from the tree page.

Usage::

    .venv/bin/python benchmarks/load_test.py --learners 30      # writes "## Load test" in docs/performance.md
    .venv/bin/python benchmarks/load_test.py --learners 4 --browsers 1 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import http.cookies
import json
import os
import re
import shlex
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import psutil
from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from tornado.httpclient import HTTPRequest
from tornado.websocket import WebSocketClosedError, websocket_connect

from qdpv_testing import NOTEBOOKS, reports
from qdpv_testing.browser import KERNEL_ID_JS, PageWatch, chromium_path, key_latency_ms, launch_chromium, open_app
from qdpv_testing.classroom import APPS, Learner, plan_learners
from qdpv_testing.kernels import memory_kib
from qdpv_testing.server import is_kernel_template, voila_server, wait_until_quiet

MAX_LEARNERS = 80
MAX_TIMEOUT_S = 1800.0
# Time limits of one learner's steps: generous for a saturated 2-core machine, still bounded.
PAGE_TIMEOUT_S = 300.0  # from the tree page until interactive
MOVE_TIMEOUT_S = 60.0  # one slider move
LEAVE_TIMEOUT_S = 30.0  # the shutdown request, and the kernel being gone after it
SAMPLE_S = 2.0  # server memory and CPU sampling interval (PSS makes Linux walk every page of every kernel)
SCAN_EVERY = 2  # new kernels and browser processes are looked for every 2nd sample: that scans all of /proc
BASELINE_S = 3.0  # sampled before the first learner arrives
BROWSER_PARALLEL_REQUESTS = 6  # what a browser opens per host (HTTP/1.1)
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
SLIDER_MODELS = ("IntSliderModel", "FloatSliderModel")
KERNEL_ID = re.compile(rb'"kernelId": "([0-9a-f-]{36})"')
VIEW_ID = re.compile(rb'"application/vnd\.jupyter\.widget-view\+json": \{"model_id": "([0-9a-f]{32})"')


class LearnerError(Exception):
    """A step of a learner's visit failed; the message names the step."""


def kernel_gone(base: str, kernel_id: str, timeout_s: float = LEAVE_TIMEOUT_S) -> bool:
    """Whether ``/api/kernels/<kernel_id>`` answers 404 within ``timeout_s`` (polled)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/kernels/{kernel_id}", timeout=timeout_s):
                pass
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


@contextlib.asynccontextmanager
async def step(name: str, timeout_s: float):
    """Run a learner's step within ``timeout_s``; any failure becomes a LearnerError naming the step."""
    try:
        async with asyncio.timeout(timeout_s):
            yield
    except TimeoutError:
        raise LearnerError(f"{name}: not done within {timeout_s:.0f} s") from None
    except (OSError, EOFError, WebSocketClosedError) as exc:
        raise LearnerError(f"{name}: {type(exc).__name__}: {exc}") from None


# ------------------------------------------------------------------------------------------ light learners


@dataclass
class Message:
    """One kernel message from the websocket (v1 protocol); the content is parsed when first read."""

    channel: str
    msg_type: str
    parent_id: str
    raw_content: bytes

    @cached_property
    def content(self) -> dict:
        return json.loads(self.raw_content)

    def comm_data(self, comm_id: str) -> dict | None:
        """The data of a comm message to ``comm_id``, else None."""
        if self.msg_type != "comm_msg" or self.content.get("comm_id") != comm_id:
            return None
        return self.content["data"]


def _pack(part: dict) -> bytes:
    return json.dumps(part, separators=(",", ":")).encode()


class KernelSocket:
    """A page's kernel websocket: v1 protocol, the page's cookies and origin, one session.

    Every frame is taken off the connection as it arrives, like a browser does, into an unbounded inbox:
    tornado's own read queue holds one message, and while it is full tornado stops reading, so the server's
    pings go unanswered and it hangs up (after 90 s) on a learner that is only thinking.
    """

    def __init__(self, session: str) -> None:
        self._session = session
        self._inbox: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._conn = None

    @classmethod
    async def open(cls, base: str, kernel_id: str, cookies: str) -> KernelSocket:
        sock = cls(str(uuid.uuid4()))
        url = (
            f"{base.replace('http://', 'ws://')}/api/kernels/{kernel_id}/channels?session_id={sock._session}"
        )
        request = HTTPRequest(url, headers={"Cookie": cookies, "Origin": base})
        sock._conn = await websocket_connect(
            request, subprotocols=[V1_PROTOCOL], on_message_callback=sock._inbox.put_nowait
        )
        return sock

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        """Send a shell message; return its id."""
        msg_id = str(uuid.uuid4())
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self._session,
            "username": "",
            "version": "5.2",
            "date": dt.datetime.now(dt.UTC).isoformat(),
        }
        msg = {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}
        self._conn.write_message(serialize_msg_to_ws_v1(msg, "shell", pack=_pack), binary=True)
        return msg_id

    async def receive(self) -> Message:
        frame = await self._inbox.get()
        if frame is None:
            raise WebSocketClosedError("the server closed the kernel websocket")
        channel, parts = deserialize_msg_from_ws_v1(frame)
        header, parent = json.loads(parts[0]), json.loads(parts[1])
        return Message(channel, header["msg_type"], parent.get("msg_id", ""), parts[3])

    async def reply_to(self, msg_id: str, accept) -> Message:
        """Receive until a message answering ``msg_id`` that ``accept(message)`` takes."""
        while True:
            msg = await self.receive()
            if msg.parent_id == msg_id and accept(msg):
                return msg

    def close(self) -> None:
        self._conn.close()


@dataclass
class AppWidgets:
    """The widgets a learner uses: the first slider (as laid out), the results text and the Bokeh figures."""

    slider: str
    value: float
    step: float
    upper: float
    results: str
    figures: list[str]

    @classmethod
    def find(cls, states: dict[str, dict], views: list[str]) -> AppWidgets:
        order, stack = [], list(reversed(views))
        while stack:  # depth first through "children", as the page lays the widgets out
            model_id = stack.pop()
            order.append(model_id)
            children = states.get(model_id, {}).get("state", {}).get("children", [])
            stack.extend(reversed([c.removeprefix("IPY_MODEL_") for c in children]))
        sliders = [
            m
            for m in order
            if states.get(m, {}).get("model_name") in SLIDER_MODELS and not states[m]["state"].get("disabled")
        ]
        results = [
            m
            for m, s in states.items()
            if s["model_name"] == "HTMLModel" and "qdpv-results" in str(s["state"].get("value"))
        ]
        if not sliders or not results:
            raise LearnerError(
                f"widget states: {len(views)} widget views in the page, {len(states)} widgets in "
                f"the kernel, {len(sliders)} sliders in the views, {len(results)} results texts"
            )
        state = states[sliders[0]]["state"]
        figures = [m for m, s in states.items() if s["model_name"] == "BokehModel"]
        return cls(sliders[0], state["value"], state["step"], state["max"], results[0], figures)

    def value_of_move(self, k: int) -> float:
        """One step up on even moves, back on odd ones (down instead where the slider is at its top)."""
        delta = self.step if self.value + self.step <= self.upper else -self.step
        return self.value + delta if k % 2 == 0 else self.value


def _bokeh_echo(data: dict) -> list[dict]:
    """The events BokehJS sends back for a patch from the kernel: each change, as a ModelChanged event."""
    if data.get("method") != "custom" or data["content"].get("msg") != "patch":
        return []
    events = json.loads(data["content"]["payload"]).get("events", [])
    return [
        {
            "kind": "ModelChanged",
            "model": e["model"],
            "attr": e["attr"],
            "new": e["data"] if e["kind"] == "ColumnDataChanged" else e["new"],
            "event": "jsevent",
        }
        for e in events
        if e["kind"] in ("ColumnDataChanged", "ModelChanged")
    ]


class BrowserHTTP:
    """The HTTP side of one learner's browser: HTTP/1.1 keep-alive, at most six connections, its cookies.

    A few lines of asyncio streams rather than an HTTP library: httpx costs ~6 ms of CPU per request here
    (1 ms for tornado's client, which opens a connection per request), and a class fetches ~100 files each.
    """

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(BROWSER_PARALLEL_REQUESTS)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    async def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, bytes]:
        """Send a request; return status and body. A kept-alive connection the server closed is retried."""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            f"Cookie: {self.cookie_header()}",
        ]
        if method == "POST":
            head += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        message = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        async with self._slots:
            while self._idle:
                with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
                    return await self._exchange(self._idle.pop(), message)
            return await self._exchange(await asyncio.open_connection(self.host, self.port), message)

    async def _exchange(self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter], message: bytes):
        reader, writer = conn
        writer.write(message)
        lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in filter(None, lines[1:]):
            name, _, value = line.partition(":")
            if name.lower() == "set-cookie":
                cookie = http.cookies.SimpleCookie(value.strip())
                self.cookies.update({k: m.coded_value for k, m in cookie.items()})
            headers[name.lower()] = value.strip()
        if status in (204, 304):
            body = b""
        elif headers.get("transfer-encoding") == "chunked":
            chunks = []
            while size := int((await reader.readline()).split(b";")[0], 16):
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            await reader.readuntil(b"\r\n")
            body = b"".join(chunks)
        else:
            body = await reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            writer.close()
        else:
            self._idle.append(conn)
        return status, body

    def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()


class LightLearner:
    """A learner whose page is played by this process over HTTP and the kernel websocket."""

    def __init__(self, learner: Learner, base: str, assets: dict[str, list[str]]) -> None:
        self.learner = learner
        self.base = base
        self.assets = assets
        self.http = BrowserHTTP(base)
        self.socket: KernelSocket | None = None
        self.widgets: AppWidgets | None = None

    async def _get(self, path: str) -> bytes:
        status, body = await self.http.request("GET", path)
        if status != 200:
            raise LearnerError(f"GET {path}: HTTP {status}")
        return body

    async def _fetch(self, paths: list[str]) -> None:
        """GET the files a browser would, as many at a time as it would (the client's connection limit)."""
        await asyncio.gather(*(self._get(path) for path in paths))

    async def arrive_and_move(self) -> None:
        learner = self.learner
        async with step("app page", PAGE_TIMEOUT_S):
            await self._get("/")
            await self._fetch(self.assets["tree"])
            start = time.monotonic()
            page = await self._get(f"/voila/render/{learner.notebook}")
            found = KERNEL_ID.search(page)
            if found is None:
                raise LearnerError("app page: no kernel id in the page")
            learner.kernel_id = found.group(1).decode()
            views = [m.decode() for m in VIEW_ID.findall(page)]
            del page
            await self._fetch(self.assets["app"])
            await self._get(f"/api/kernels/{learner.kernel_id}")
            self.socket = await KernelSocket.open(self.base, learner.kernel_id, self.http.cookie_header())
            states = await self._widget_states()
            learner.tti_s = time.monotonic() - start
        self.widgets = AppWidgets.find(states, views)
        for figure in self.widgets.figures:
            self.socket.send(
                "comm_msg",
                {
                    "comm_id": figure,
                    "data": {
                        "method": "custom",
                        "content": {
                            "kind": "MessageSent",
                            "msg_type": "bokeh_event",
                            "event": "jsevent",
                            "msg_data": {
                                "type": "event",
                                "name": "document_ready",
                                "values": {"type": "map"},
                            },
                        },
                    },
                },
            )
        for k, think_s in enumerate(learner.think_s):
            await asyncio.sleep(think_s)
            async with step(f"move {k + 1}", MOVE_TIMEOUT_S):
                learner.text_ms.append(await self._move(self.widgets.value_of_move(k)))

    async def _widget_states(self) -> dict[str, dict]:
        """What ipywidgets 8's manager does on connecting: kernel info, then the states (control comm)."""
        sock = self.socket
        info = sock.send("kernel_info_request", {})
        await sock.reply_to(info, lambda m: m.msg_type == "kernel_info_reply")
        comm_id = str(uuid.uuid4())
        sock.send(
            "comm_open",
            {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            {"version": "1.0.0"},
        )
        request = sock.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        reply = await sock.reply_to(
            request, lambda m: (m.comm_data(comm_id) or {}).get("method") == "update_states"
        )
        sock.send("comm_close", {"comm_id": comm_id, "data": {}})
        return reply.comm_data(comm_id)["states"]

    async def _move(self, value: float) -> float:
        """Set the slider; return ms until the kernel's new results text arrived (then wait for idle)."""
        sock, widgets = self.socket, self.widgets
        request = sock.send(
            "comm_msg",
            {
                "comm_id": widgets.slider,
                "data": {"method": "update", "state": {"value": value}, "buffer_paths": []},
            },
        )
        start, text_ms = time.perf_counter(), None
        while True:
            msg = await sock.receive()
            for figure in widgets.figures:
                for event in _bokeh_echo(msg.comm_data(figure) or {}):
                    sock.send("comm_msg", {"comm_id": figure, "data": {"method": "custom", "content": event}})
            if msg.parent_id != request:
                continue
            data = msg.comm_data(widgets.results) or {}
            if text_ms is None and data.get("method") == "update" and "value" in data.get("state", {}):
                text_ms = (time.perf_counter() - start) * 1e3
            if msg.msg_type == "status" and msg.content["execution_state"] == "idle":
                break
        if text_ms is None:
            raise LearnerError("the results text did not change")
        return text_ms

    async def abandon(self) -> None:
        """Cut short (global timeout): leave at once, whatever state the visit is in."""
        with contextlib.suppress(Exception):
            await self.leave()

    async def leave(self) -> None:
        """Like the page's beforeunload handler: post the shutdown with the _xsrf cookie, then hang up."""
        try:
            if self.learner.kernel_id:
                async with step("leave", LEAVE_TIMEOUT_S):
                    boundary = uuid.uuid4().hex  # navigator.sendBeacon(url, FormData) sends a multipart form
                    form = (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="_xsrf"\r\n\r\n'
                        f"{self.http.cookies.get('_xsrf', '')}\r\n--{boundary}--\r\n"
                    ).encode()
                    status, _ = await self.http.request(
                        "POST",
                        f"/voila/api/shutdown/{self.learner.kernel_id}",
                        form,
                        f"multipart/form-data; boundary={boundary}",
                    )
                    if status != 204:
                        raise LearnerError(f"leave: the shutdown was answered HTTP {status}")
                    self.learner.kernel_freed = await asyncio.to_thread(
                        kernel_gone, self.base, self.learner.kernel_id
                    )
        finally:
            if self.socket is not None:
                self.socket.close()
            self.http.close()


# ---------------------------------------------------------------------------------------- browser learners


def _say(message: dict) -> None:
    print(json.dumps(message), flush=True)


def browser_worker() -> None:
    """``--browser-worker``: one browser learner, driven by the load test over stdin/stdout (JSON lines).

    Starts Chromium, says ``ready``, reads the visit (base URL, notebook, think times), visits, reports, waits
    for ``leave``, leaves the way a learner closing the tab does (the page's beforeunload beacon runs),
    reports whether the kernel is gone.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        _say({"ready": True})
        job = json.loads(sys.stdin.readline())
        base = job["base"]
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_navigation_timeout(PAGE_TIMEOUT_S * 1e3)  # playwright's 30 s: a browser waits on
        transfers = Transfers(base)
        context.on("requestfinished", transfers.record)
        result = {"error": "", "tti_s": None, "text_ms": [], "painted_ms": [], "kernel_id": "", "assets": {}}
        name, page = "tree page", None
        try:
            # The tree page in a page of its own, closed before the app opens in a fresh one (same context:
            # cookies and cache): Voila's tree page asks a CDN for font-awesome, GETs /api/kernels (404 in
            # Voila) and leaves requests pending, which the watch would count against the app.
            tree = context.new_page()
            tree.goto(base + "/", wait_until="networkidle")
            tree.close()
            name, transfers.phase = "app page", "app"
            page = context.new_page()
            watch = PageWatch(page)
            result["tti_s"] = open_app(
                page, f"{base}/voila/render/{job['notebook']}", timeout_ms=PAGE_TIMEOUT_S * 1e3
            )
            transfers.phase = ""
            result["kernel_id"] = page.evaluate(KERNEL_ID_JS)
            for k, think_s in enumerate(job["think_s"]):
                name = f"move {k + 1}"
                time.sleep(think_s)
                times = key_latency_ms(
                    page, 0, "ArrowRight" if k % 2 == 0 else "ArrowLeft", timeout_ms=MOVE_TIMEOUT_S * 1e3
                )
                result["text_ms"].append(times["text_ms"])
                result["painted_ms"].append(times["painted_ms"])
            name = "app page"
            if watch.problems():
                raise LearnerError("; ".join(watch.problems()[:3]))
        except Exception as exc:  # whatever went wrong is this learner's result
            result["error"] = f"{name}: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
        result["assets"] = transfers.paths
        _say(result)
        sys.stdin.readline()
        if page is not None:
            page.goto("about:blank")  # leaving runs the page's beforeunload handler: the shutdown beacon
        _say({"kernel_freed": bool(result["kernel_id"]) and kernel_gone(base, result["kernel_id"])})
        context.close()
        browser.close()


class Transfers:
    """The static files a browser context fetched from the server (not from its cache), per ``phase``."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.phase = "tree"
        self.paths: dict[str, list[str]] = {"tree": [], "app": []}

    def record(self, request) -> None:
        response = request.response()
        if not self.phase or response is None or request.method != "GET":
            return
        path = _local_path(request.url, self.base)
        if (
            not request.url.startswith(self.base)
            or path == "/"
            or path.startswith(("/voila/render/", "/api/kernels"))
        ):
            return
        if response.status == 304 or (response.status == 200 and request.sizes()["responseBodySize"] > 0):
            self.paths[self.phase].append(path)


def _local_path(url: str, base: str) -> str:
    parts = urllib.parse.urlsplit(url.removeprefix(base))
    return parts.path + (f"?{parts.query}" if parts.query else "")


class BrowserLearner:
    """A learner in headless Chromium, in a process of its own (playwright's sync API) started beforehand."""

    def __init__(self, proc: asyncio.subprocess.Process, log) -> None:
        self.proc = proc
        self.log = log
        self.learner: Learner | None = None
        self.base = ""
        self.assets: dict[str, list[str]] = {}

    @classmethod
    async def start(cls) -> BrowserLearner:
        log = tempfile.TemporaryFile()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--browser-worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
        )
        worker = cls(proc, log)
        await asyncio.wait_for(worker._read(), 120)
        return worker

    async def _read(self) -> dict:
        line = await self.proc.stdout.readline()
        if not line:
            self.log.seek(0)
            tail = self.log.read().decode(errors="replace").strip().splitlines()[-3:]
            raise LearnerError(f"browser worker exited ({await self.proc.wait()}): {' | '.join(tail)}")
        return json.loads(line)

    async def _write(self, message: dict | str) -> None:
        self.proc.stdin.write((json.dumps(message) + "\n").encode())
        await self.proc.stdin.drain()

    async def arrive_and_move(self) -> None:
        learner = self.learner
        await self._write({"base": self.base, "notebook": learner.notebook, "think_s": learner.think_s})
        result = await self._read()
        learner.tti_s, learner.kernel_id = result["tti_s"], result["kernel_id"]
        learner.text_ms, learner.painted_ms = result["text_ms"], result["painted_ms"]
        self.assets = result["assets"]
        if result["error"]:
            raise LearnerError(result["error"])

    async def abandon(self) -> None:
        """Cut short (global timeout): the browser is killed, its page cannot say goodbye."""
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.log.close()

    async def leave(self) -> None:
        try:
            await self._write("leave")
            async with step("leave", 2 * LEAVE_TIMEOUT_S):
                self.learner.kernel_freed = (await self._read())["kernel_freed"]
                await self.proc.wait()
        finally:
            await self.abandon()


async def record_assets(base: str) -> dict[str, list[str]]:
    """The files a browser fetches from the server for the tree page and an app (one pre-flight visit)."""
    worker = await BrowserLearner.start()
    worker.learner, worker.base = Learner(-1, APPS[0], "browser", 0.0, []), base
    try:
        await worker.arrive_and_move()
    finally:
        await worker.leave()
    if not worker.learner.kernel_freed:
        raise RuntimeError("the pre-flight page's kernel was not shut down when it left")
    return worker.assets


# ------------------------------------------------------------------------------------------ measurements


class TreeCPU:
    """CPU seconds (user + system) of a set of processes since ``reset``, from each one's last sample."""

    def __init__(self) -> None:
        self.start: dict[psutil.Process, float] = {}
        self.last: dict[psutil.Process, float] = {}  # psutil.Process: equal if same pid and start time

    def update(self, procs: list[psutil.Process]) -> None:
        for p in procs:
            with contextlib.suppress(psutil.Error):
                t = p.cpu_times()
                self.last[p] = t.user + t.system

    def reset(self) -> None:
        self.start = dict(self.last)

    def seconds(self) -> float:
        return sum(v - self.start.get(k, 0.0) for k, v in self.last.items())


@dataclass
class Sample:
    t_s: float  # since the first arrival
    server_mb: float  # RSS of Voila and every kernel
    voila_mb: float
    kernels: int


class Sampler:
    """Every SAMPLE_S: PSS of the Voila process, its kernels and their template; CPU of the server and of the load
    generator.

    A kernel started since the last scan (at most SCAN_EVERY samples ago) is not counted yet (it is small).

    The generator's CPU is this process's (light learners and this sampler, whose own share is counted apart)
    and its other descendants' (browser workers, their playwright drivers and Chromium), sampled per process:
    Chromium's processes are not all reaped up to this one, so its rusage of children would miss most of it.
    """

    def __init__(self, server_pid: int) -> None:
        self.server = psutil.Process(server_pid)
        self.me = psutil.Process()
        self.kernels: list[psutil.Process] = []  # every process under the server: kernels and their template
        self.templates: set[psutil.Process] = set()
        self.samples: list[Sample] = []
        self.server_cpu, self.voila_cpu, self.process_cpu, self.browser_cpu = (
            TreeCPU(),
            TreeCPU(),
            TreeCPU(),
            TreeCPU(),
        )
        self.sampler_cpu_s = 0.0
        self.lag_ms: list[float] = []  # how late the sampler woke up: the generator's event-loop lag
        self.t0 = time.monotonic()
        self._machine_busy0 = 0.0

    def sample(self, scan: bool = True) -> None:
        """One sample; ``scan``: also look for new kernels (else those known) and sample the browsers' CPU."""
        start = time.thread_time()
        if scan:
            self.kernels = self.server.children(recursive=True)
            self.templates = {p for p in self.kernels if is_kernel_template(p)}
        pss, alive = [], []
        for p in [self.server, *self.kernels]:
            with contextlib.suppress(psutil.Error, OSError), p.oneshot():  # OSError: gone since listed
                # PSS: a page shared by n processes (kernels forked from one template share most of theirs)
                # counts 1/n in each, so the sum is the memory the server and its kernels really take
                pss.append(memory_kib(p.pid)["pss"] * 1024)
                self.server_cpu.update([p])
                alive.append(p)
        self.kernels = alive[1:]
        kernels = len([p for p in self.kernels if p not in self.templates])
        self.samples.append(Sample(time.monotonic() - self.t0, sum(pss) / 1e6, pss[0] / 1e6, kernels))
        self.voila_cpu.update([self.server])
        self.process_cpu.update([self.me])
        if scan:
            server = {p.pid for p in alive}
            self.browser_cpu.update([p for p in self.me.children(recursive=True) if p.pid not in server])
        self.sampler_cpu_s += time.thread_time() - start

    def start_window(self) -> None:
        """The first learner arrives now: CPU counts from here, sample times too (the baseline's are < 0)."""
        now = time.monotonic()
        for s in self.samples:
            s.t_s -= now - self.t0
        self.t0 = now
        for cpu in (self.server_cpu, self.voila_cpu, self.process_cpu, self.browser_cpu):
            cpu.reset()
        self.sampler_cpu_s = 0.0
        self._machine_busy0 = _machine_busy_s()

    async def run(self, stop: asyncio.Event) -> None:
        due, count = time.monotonic(), 0
        while not stop.is_set():
            self.sample(scan=count % SCAN_EVERY == 0)
            due, count = due + SAMPLE_S, count + 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, due - time.monotonic()))
            self.lag_ms.append(max(0.0, time.monotonic() - due) * 1e3)
        self.sample()

    def cpu_s(self) -> dict[str, float]:
        """CPU seconds since the window started: server (of which Voila's process), light learners, sampler,
        browsers, the whole machine."""
        return {
            "server": self.server_cpu.seconds(),
            "voila": self.voila_cpu.seconds(),
            "sampler": self.sampler_cpu_s,
            "light": self.process_cpu.seconds() - self.sampler_cpu_s,
            "browsers": self.browser_cpu.seconds(),
            "machine": _machine_busy_s() - self._machine_busy0,
        }


def _machine_busy_s() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


# ------------------------------------------------------------------------------------------------- a run


class Classroom:
    """When everybody has done their moves, the class leaves, over the same ramp as it came."""

    def __init__(self, n: int) -> None:
        self.waiting = n
        self.all_moved = asyncio.Event()
        self.all_moved_s: float | None = None

    def moved(self, t_s: float) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.all_moved_s = t_s
            self.all_moved.set()


def _describe(exc: Exception) -> str:
    return str(exc) if isinstance(exc, LearnerError) else f"{type(exc).__name__}: {exc}"


async def attend(visit: LightLearner | BrowserLearner, room: Classroom, t0: float, timeout_s: float) -> None:
    """One learner's visit; a global timeout cancels it, and it then leaves at once."""
    learner = visit.learner
    try:
        await asyncio.sleep(max(0.0, t0 + learner.arrive_s - time.monotonic()))
        try:
            await visit.arrive_and_move()
        except Exception as exc:  # whatever went wrong is this learner's result
            learner.error = _describe(exc)
        finally:
            room.moved(time.monotonic() - t0)
        await room.all_moved.wait()
        await asyncio.sleep(learner.arrive_s)  # leaving over the ramp, in the order they came
        try:
            await visit.leave()
        except Exception as exc:  # likewise
            learner.error = learner.error or _describe(exc)
    except asyncio.CancelledError:
        learner.error = learner.error or f"global timeout ({timeout_s:.0f} s)"
        await visit.abandon()
        raise
    finally:
        learner.left_s = time.monotonic() - t0
    if not learner.error and not learner.kernel_freed:
        learner.error = "leave: the kernel was still there after the learner left"
    learner.ok = not learner.error


async def run(args: argparse.Namespace) -> dict:
    """One load test; returns everything measured (see ``summarize``)."""
    started = time.monotonic()
    learners = plan_learners(args.learners, args.browsers, args.ramp, args.moves, args.think, args.seed)
    load_before = os.getloadavg()
    with voila_server(NOTEBOOKS, *args.voila_arg, preheat=args.preheat) as server:
        if urllib.parse.urlsplit(server.url).hostname != "127.0.0.1":
            raise RuntimeError(f"the server must listen on loopback only, got {server.url}")
        assets = {"tree": [], "app": []}
        if args.assets and chromium_path():
            assets = await record_assets(server.url)
        workers = await asyncio.gather(*(BrowserLearner.start() for _ in range(args.browsers)))
        visits: list[LightLearner | BrowserLearner] = []
        for learner in learners:
            if learner.kind == "browser":
                visit = workers.pop()
                visit.learner, visit.base = learner, server.url
            else:
                visit = LightLearner(learner, server.url, assets)
            visits.append(visit)
        # pools filled, pre-flight kernel gone: Voila and every process under it quiet
        tree = psutil.Process(server.pid)
        wait_until_quiet(lambda: [tree, *tree.children(recursive=True)], poll_s=SAMPLE_S, timeout_s=300.0)
        sampler, stop = Sampler(server.pid), asyncio.Event()
        sampling = asyncio.create_task(sampler.run(stop))
        await asyncio.sleep(BASELINE_S)
        sampler.start_window()
        room = Classroom(len(learners))
        tasks = [asyncio.create_task(attend(v, room, sampler.t0, args.timeout)) for v in visits]
        budget = args.timeout - (time.monotonic() - started) - args.settle
        _, late = await asyncio.wait(tasks, timeout=max(budget, 1.0))
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        all_left_s = time.monotonic() - sampler.t0
        await asyncio.sleep(args.settle)
        stop.set()
        await sampling
        cpu_s = sampler.cpu_s()
    return {
        "config": {k: v for k, v in vars(args).items() if k not in ("json", "doc")},
        "command": "benchmarks/load_test.py " + shlex.join(sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": reports.machine(),
        "load_average_before": load_before,
        "assets": {phase: len(paths) for phase, paths in assets.items()},
        "learners": [asdict(learner) for learner in learners],
        "samples": [asdict(s) for s in sampler.samples],
        "all_moved_s": room.all_moved_s,
        "all_left_s": all_left_s,
        "cpu_s": cpu_s,
        "loop_lag_ms": sampler.lag_ms,
    }


# ------------------------------------------------------------------------------------------------ report


def _pct(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def summarize(result: dict) -> dict:
    """The report's figures: success, time-to-interactive and latency per kind, memory, CPU."""
    learners = result["learners"]
    samples = result["samples"]
    during = [s for s in samples if s["t_s"] >= 0]
    baseline = float(np.mean([s["server_mb"] for s in samples if s["t_s"] < 0]))
    peak = max(during, key=lambda s: s["server_mb"])
    kinds = {}
    for kind in ("browser", "light"):
        group = [x for x in learners if x["kind"] == kind]
        tti = [x["tti_s"] for x in group if x["tti_s"] is not None]
        text = [v for x in group for v in x["text_ms"]]
        painted = [v for x in group for v in x["painted_ms"]]
        kinds[kind] = {
            "n": len(group),
            "ok": sum(x["ok"] for x in group),
            "tti_s": [_pct(tti, 50), _pct(tti, 95), max(tti, default=None)],
            "text_ms": [_pct(text, 50), _pct(text, 95), max(text, default=None)],
            "painted_ms": [_pct(painted, 50), _pct(painted, 95), max(painted, default=None)],
        }
    cpu = result["cpu_s"]
    n = len(learners)
    return {
        "n": n,
        "ok": sum(x["ok"] for x in learners),
        "errors": Counter(f"{x['notebook']}: " + re.sub(r"[0-9a-f-]{36}", "<id>", x["error"])
                          for x in learners if x["error"]),
        "kinds": kinds,
        "memory_mb": {
            "baseline": baseline,
            "peak": peak["server_mb"],
            "peak_t_s": peak["t_s"],
            "peak_kernels": max(s["kernels"] for s in during),
            "after_leave": during[-1]["server_mb"],
            "kernels_after_leave": during[-1]["kernels"],
            "per_learner": (peak["server_mb"] - baseline) / n,
        },
        "cpu_s": {
            **cpu,
            "generator": cpu["light"] + cpu["sampler"] + cpu["browsers"],
            "other": cpu["machine"] - cpu["server"] - cpu["light"] - cpu["sampler"] - cpu["browsers"],
            "window_s": during[-1]["t_s"],
        },
        "loop_lag_ms": [_pct(result["loop_lag_ms"], 95), max(result["loop_lag_ms"], default=0.0)],
    }


def _f(values: list[float | None], digits: int) -> str:
    return " / ".join("n/a" if v is None else f"{v:.{digits}f}" for v in values)


SECTION_TITLE = "## Load test"
TABLE_HEADER = [
    "| learners (browser + light), server | succeeded "
    "| time-to-interactive, browser, s (p50 / p95 / max) | time-to-interactive, light, s (p50 / p95 / max) "
    "| slider -> painted, browser, ms (p50 / p95) | slider -> results text, light, ms (p50 / p95) "
    "| server memory, MB (baseline / peak / after leave) | MB per learner "
    "| CPU s: server / generator / other | run |",
    "|---|---|---|---|---|---|---|---|---|---|",
]
INTRO = f"""{SECTION_TITLE}

Written by `benchmarks/load_test.py` (one row and one subsection per run configuration; run it again to
refresh them). A class of N learners opens the apps (01..06, round robin) on one Voila server on this machine,
all within the ramp; each opens the tree page, then its app, moves the first slider, stays until everybody
has, then leaves the way a browser does (the page's unload beacon shuts its kernel down). A few learners are
headless Chromium; the others are light clients in one process that speak the page's HTTP and
kernel-websocket protocol (the script's docstring lists the routes). Success: every step in time
(page {PAGE_TIMEOUT_S:.0f} s, move {MOVE_TIMEOUT_S:.0f} s, leave {LEAVE_TIMEOUT_S:.0f} s) and the learner's
kernel gone after it left.

- *time-to-interactive*: from requesting the app's URL until a browser shows a focusable slider, the results
  text and a canvas; for a light client, until the widget states arrived over the kernel websocket (what a
  browser has before it builds the views).
- *slider latency under load*: browser, key press until the figures are repainted (clock in the page); light,
  sending the slider's new value until the kernel's new results text arrives.
- *server memory*: proportional set size (PSS: a page shared by n processes counted 1/n in each) of the Voila
  process plus everything under it (the kernels' template and the kernels), summed, sampled every {SAMPLE_S:g} s
  (runs before 2026-11-28 summed the resident set size, when no kernel shared its imported modules);
  *per learner* = (peak - baseline) / N. The baseline is the idle server after a pre-flight page.
- *CPU s*: user + system seconds from the first arrival until the end of the settle time, of the server (Voila
  and kernels), of the load generator (this script, its browser processes and their Chromium), and of
  everything else on the machine (shared with other work) over the same window.
- *server*: `voila.json` with its preheated kernels (one per notebook, filled at start) where a row says
  *shipped (preheat on)*; *preheat off*: every page starts its kernel and runs the notebook
  (the benchmarks' default, `--VoilaConfiguration.preheat_kernel=False`). A Voila option named in a
  row was added on the command line (`--voila-arg`): a measured suggestion, not the shipped configuration.
- *0 widget views in the page*: Voila sent the page without the app's output. Its executor (nbclient) waits
  `VoilaExecutor.iopub_timeout` (4 s by default) after a cell's reply for the cell's output, then logs
  "Timeout waiting for IOPub output" and renders without it; a browser learner then waits for the app in
  vain. In every run here the Voila log held such a line for each page that failed this way.
"""


def _server_options(result: dict) -> str:
    """How the server ran, as a label suffix: preheated kernels or not, and any Voila option added."""
    pools = "shipped (preheat on)" if result["config"].get("preheat") else "preheat off"
    return f", {pools}" + "".join(f", `{arg}`" for arg in result["config"]["voila_arg"])


def summary_row(result: dict, summary: dict) -> str:
    k, m, c = summary["kinds"], summary["memory_mb"], summary["cpu_s"]
    browser, light = k["browser"], k["light"]
    return (
        f"| {summary['n']} ({browser['n']} + {light['n']}){_server_options(result)} "
        f"| {summary['ok']} / {summary['n']} | {_f(browser['tti_s'], 1)} | {_f(light['tti_s'], 1)} "
        f"| {_f(browser['painted_ms'][:2], 0)} | {_f(light['text_ms'][:2], 0)} "
        f"| {_f([m['baseline'], m['peak'], m['after_leave']], 0)} | {m['per_learner']:.0f} "
        f"| {_f([c['server'], c['generator'], c['other']], 0)} | {result['date']} |"
    )


def _memory_table(samples: list[dict], every_s: float) -> list[str]:
    rows = ["| t, s | kernels | server PSS, MB | of which Voila, MB |", "|---|---|---|---|"]
    during = [s for s in samples if s["t_s"] >= 0]
    mark = 0.0
    for s in during:
        if s["t_s"] >= mark or s is during[-1]:
            rows.append(f"| {s['t_s']:.0f} | {s['kernels']} | {s['server_mb']:.0f} | {s['voila_mb']:.0f} |")
            mark += every_s * (1 + (s["t_s"] - mark) // every_s)
    return rows


def run_subsection(result: dict, summary: dict) -> str:
    cfg, m, c, k = result["config"], summary["memory_mb"], summary["cpu_s"], summary["kinds"]
    browser, light = k["browser"], k["light"]
    window = c["window_s"]
    failures = "; ".join(f"{count} x {error}" for error, count in summary["errors"].items()) or "none"
    load = " / ".join(f"{x:.2f}" for x in result["load_average_before"])
    return "\n".join(
        [
            f"### {summary['n']} learners{_server_options(result)}",
            "",
            f"- Run: {result['date']}, `{result['command']}`; load average before: {load} (1 / 5 / 15 min).",
            f"- Machine: {result['machine']}.",
            f"- {browser['n']} browser + {light['n']} light learners arriving over {cfg['ramp']:g} s, "
            f"{cfg['moves']} moves each, {cfg['think']:g} s apart on average; light learners fetched the "
            f"{result['assets']['tree']} + {result['assets']['app']} files (tree page + app) a browser "
            "fetched from the server in a pre-flight visit (not its cache hits). Everybody had moved by "
            f"{_f([result['all_moved_s']], 0)} s, had left by {result['all_left_s']:.0f} s; then "
            f"{cfg['settle']:g} s of settling.",
            f"- Succeeded: {summary['ok']} / {summary['n']} (browser {browser['ok']} / {browser['n']}, "
            f"light {light['ok']} / {light['n']}). Failures: {failures}.",
            f"- Time-to-interactive, s (p50 / p95 / max): browser {_f(browser['tti_s'], 1)}, "
            f"light {_f(light['tti_s'], 1)}.",
            f"- Slider under load, ms (p50 / p95 / max): browser painted {_f(browser['painted_ms'], 0)}, "
            f"browser results text {_f(browser['text_ms'], 0)}, "
            f"light results text {_f(light['text_ms'], 0)}.",
            f"- Server memory, MB: baseline {m['baseline']:.0f}, "
            f"peak {m['peak']:.0f} at {m['peak_t_s']:.0f} s "
            f"({m['peak_kernels']} kernels at most), after leaving {m['after_leave']:.0f} with "
            f"{m['kernels_after_leave']} kernels; {m['per_learner']:.0f} MB per learner.",
            f"- CPU over the {window:.0f} s window (2 cores = {2 * window:.0f} CPU s): server "
            f"{c['server']:.0f} s (the Voila process {c['voila']:.0f} s, its kernels the rest), "
            "load generator "
            f"{c['generator']:.0f} s ({light['n']} light learners: {c['light']:.1f} s, sampling: "
            f"{c['sampler']:.1f} s, {browser['n']} browser learners with Chromium: {c['browsers']:.0f} s), "
            f"other work on the machine {c['other']:.0f} s. The generator's event loop woke up late by "
            f"{_f(summary['loop_lag_ms'], 0)} ms (p95 / max), an upper bound on what it adds to a light "
            "learner's latency.",
            "",
            *_memory_table(result["samples"], 10.0 if window <= 200 else 20.0),
            "",
        ]
    )


# -------------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--learners", type=int, default=30, help=f"learners in all (default 30, at most {MAX_LEARNERS})"
    )
    parser.add_argument("--browsers", type=int, default=3, help="of which headless Chromium (default 3)")
    parser.add_argument("--ramp", type=float, default=10.0, help="s over which they arrive (default 10)")
    parser.add_argument("--moves", type=int, default=10, help="slider moves per learner (default 10)")
    parser.add_argument("--think", type=float, default=1.0, help="mean s between moves (default 1)")
    parser.add_argument(
        "--settle", type=float, default=20.0, help="s of sampling after all left (default 20)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help=f"s for the whole run (default 600, at most {MAX_TIMEOUT_S:.0f})",
    )
    parser.add_argument(
        "--preheat",
        action="store_true",
        help="keep voila.json's preheated kernel pools, as "
        "shipped (default: off, every page starts its kernel, like the other benchmarks)",
    )
    parser.add_argument(
        "--voila-arg",
        action="append",
        default=[],
        metavar="OPTION",
        help="a Voila option on top of voila.json, e.g. --voila-arg=--VoilaExecutor.iopub_timeout=60 "
        "(repeatable; the report labels such runs)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the think-time jitter (default 0)")
    parser.add_argument(
        "--no-assets",
        dest="assets",
        action="store_false",
        help="light learners skip the static files (no pre-flight browser load)",
    )
    parser.add_argument("--no-write", action="store_true", help="print the section, do not write --doc")
    parser.add_argument(
        "--doc",
        type=Path,
        default=reports.PERFORMANCE_MD,
        help="the document the section goes into (default docs/performance.md)",
    )
    parser.add_argument("--json", type=Path, help="also write everything measured to this JSON file")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= MAX_LEARNERS:
        parser.error(f"--learners must be in [1, {MAX_LEARNERS}], got {args.learners}")
    if not 0 <= args.browsers <= args.learners:
        parser.error(f"--browsers must be in [0, --learners], got {args.browsers}")
    if args.browsers and chromium_path() is None:
        parser.error("chromium is not installed: use --browsers 0 (scripts/install-browser.sh installs it)")
    if not (
        0 < args.timeout <= MAX_TIMEOUT_S
        and args.ramp >= 0
        and args.moves >= 0
        and args.think >= 0
        and args.settle >= 0
    ):
        parser.error(f"--timeout must be in (0, {MAX_TIMEOUT_S:.0f}] s; ramp, moves, think, settle >= 0")
    return args


def main() -> None:
    if sys.argv[1:] == ["--browser-worker"]:
        browser_worker()
        return
    args = parse_args()
    result = asyncio.run(run(args))
    summary = summarize(result)
    row, subsection = summary_row(result, summary), run_subsection(result, summary)
    print("\n".join([*TABLE_HEADER, row, "", subsection]))
    for learner in result["learners"]:  # every failure, with its app and learner, also when nothing is written
        if learner["error"]:
            print(f"FAILED {learner['kind']} learner {learner['index']} ({learner['notebook']}): {learner['error']}",
                  file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({**result, "summary": summary}, indent=1))
    if not args.no_write:
        document = args.doc.read_text() if args.doc.exists() else "# Performance\n"
        args.doc.write_text(reports.merge_runs_section(document, INTRO, TABLE_HEADER, row, subsection))
    sys.exit(0 if summary["ok"] == summary["n"] else 1)


if __name__ == "__main__":
    main()

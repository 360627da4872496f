"""The shipped Voila configuration (``voila.json``) is locked down, checked against a running server.

- Every option in ``voila.json`` is a configurable trait of the class it is filed under: an unknown name
  only earns a warning in the log and does nothing (``enable_nbextensions`` had outlived Voila 0.5 that way).
- The server listens on 127.0.0.1 only, answers only to a local ``Host`` (no DNS rebinding) and refuses
  kernel websockets from another origin.
- Code sent from the browser is never executed: Voila 0.5.13 starts its kernel manager with
  ``allowed_message_types`` = comm messages, ``kernel_info_request`` and ``shutdown_request``, so
  jupyter_server drops an ``execute_request`` on any channel and with either websocket protocol; the kernel
  stays alive.
- A websocket message larger than ``websocket_max_message_size`` closes that connection before it reaches
  the kernel, which stays alive. (Files that do reach the kernel, empty, binary, not UTF-8 or over
  ``qdpv.io.MAX_CSV_BYTES``, are refused with a message by the app itself:
  ``tests/test_app_carriers_stability.py::test_bad_upload_gives_message_and_app_keeps_working``.)
- Nothing outside ``notebooks/`` is served, whatever the encoding of ``..``; notebook sources are not served.
- The template and theme cannot be switched from the URL; idle kernels without an open page are culled.
- Preheated kernels (``voila.json``: a pool of kernels that have already run each notebook, kept by
  ``qdpv.serving.kernel_manager.PoolAwareKernelManager``) reach a page alive: a kernel that waited in the pool
  longer than the cull timeout is not culled between the page and its websocket, a pooled kernel that died is
  replaced, and a kernel a page took but never connected to is still culled.

Every server these tests start listens on 127.0.0.1 and is stopped by the test (``qdpv_testing.server.voila_server``).
"""

from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
import pytest
import websocket
from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_client.provisioning import KernelProvisionerFactory
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
from voila.app import Voila
from voila.configuration import VoilaConfiguration
from voila.execute import VoilaExecutor
from voila.voila_kernel_manager import voila_kernel_manager_factory

from qdpv.serving.kernel_manager import PoolAwareKernelManager
from qdpv.serving.provisioner import ForkingProvisioner
from qdpv_testing import GALLERY, NOTEBOOKS, ROOT
from qdpv_testing.browser import KERNEL_ID_JS, PageWatch, key_latency_ms, open_app
from qdpv_testing.server import kernels, voila_server, wait_until_quiet

CONFIG = json.loads((ROOT / "voila.json").read_text())
V1 = "v1.kernel.websocket.jupyter.org"
# GALLERY is the lightest notebook: its kernel only writes HTML
REPLY_TIMEOUT_S = 60.0  # a loaded 2-core machine may still be filling the preheated pool when a test starts

pytestmark = pytest.mark.app


# ---------------------------------------------------------------------------------------------- helpers


def _get(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` exactly as written (no client-side normalisation of ``..`` or of %-escapes)."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REPLY_TIMEOUT_S)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def _render(base: str, notebook: str, query: str = "") -> tuple[str, str]:
    """Render ``notebook``; return the page and the id of the kernel Voila gave it."""
    with urllib.request.urlopen(f"{base}/voila/render/{notebook}{query}", timeout=120) as resp:
        page = resp.read().decode()
    return page, re.search(r'"kernelId": "([0-9a-f-]{36})"', page).group(1)


def _message(msg_type: str, content: dict) -> dict:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": uuid.uuid4().hex,
              "username": "test", "version": "5.3", "date": datetime.datetime.now(datetime.UTC).isoformat()}
    return {"header": header, "parent_header": {}, "metadata": {}, "content": content, "buffers": []}


def _connect(base: str, kernel_id: str, protocol: str = "json", **kwargs) -> websocket.WebSocket:
    url = f"{base.replace('http://', 'ws://')}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    subprotocols = [V1] if protocol == "v1" else None
    ws = websocket.create_connection(url, timeout=REPLY_TIMEOUT_S, subprotocols=subprotocols, **kwargs)
    assert ws.getsubprotocol() == (V1 if protocol == "v1" else None)
    return ws


def _send(ws: websocket.WebSocket, msg: dict, channel: str, protocol: str) -> None:
    if protocol == "v1":
        ws.send_binary(serialize_msg_to_ws_v1(msg, channel, pack=lambda part: json.dumps(part).encode()))
    else:
        ws.send(json.dumps({**msg, "channel": channel}))


def _receive(ws: websocket.WebSocket, protocol: str) -> dict:
    """One kernel message from the server, as a dict with at least header and parent_header."""
    frame = ws.recv()
    if protocol == "v1":
        channel, parts = deserialize_msg_from_ws_v1(frame)
        return {"channel": channel, "header": json.loads(parts[0]), "parent_header": json.loads(parts[1])}
    return deserialize_binary_message(frame) if isinstance(frame, bytes) else json.loads(frame)


def _messages_until_kernel_info_reply(ws: websocket.WebSocket, protocol: str,
                                      channel: str = "shell") -> list[dict]:
    """Ask for kernel_info on ``channel``; return all the server sent until the reply (the kernel lives).

    The kernel handles the requests of one channel in order, so anything it did with an earlier request on
    that channel (a reply, a status message naming it as parent) arrives before this reply.
    """
    request = _message("kernel_info_request", {})
    _send(ws, request, channel, protocol)
    seen = []
    deadline = time.monotonic() + REPLY_TIMEOUT_S
    while time.monotonic() < deadline:
        msg = _receive(ws, protocol)
        seen.append(msg)
        if msg["parent_header"].get("msg_id") == request["header"]["msg_id"] \
                and msg["header"]["msg_type"] == "kernel_info_reply":
            return seen
    raise AssertionError(f"no kernel_info_reply within {REPLY_TIMEOUT_S} s")


# --------------------------------------------------------------------------------------------- fixtures


# The shipped pools, but only for the notebooks these tests open: pre-running all seven at server start would
# cost ~850 MB and compete with the first tests on 2 cores.
POOLED_APP = "02_qd_sizing.ipynb"
SOME_POOLS = "--VoilaKernelManager.kernel_pools_config=" + json.dumps(
    {"default": {"pool_size": 0}, GALLERY: {"pool_size": 1}, POOLED_APP: {"pool_size": 1}})


@pytest.fixture(scope="module")
def server():
    """Voila serving notebooks/ with the shipped voila.json (from the repository root): its pages get their
    kernels from the pool, through the kit's kernel manager. (A page that comes before its notebook's pooled
    kernel has started gets a kernel of its own, so the fixture waits for the pools.)"""
    with voila_server(NOTEBOOKS, SOME_POOLS, preheat=True) as srv:
        _pools_ready(srv.pid, 2)
        yield srv


def _pools_ready(server_pid: int, expected: int,
                 not_pooled: set[str] = frozenset()) -> dict[str, psutil.Process]:
    """The kernels waiting in the pools, once there are ``expected`` of them and they have run their notebooks
    (their processes have gone quiet: under 0.05 CPU s in 0.5 s); ``not_pooled``: kernels pages took, or
    killed by a test."""

    def waiting() -> list[psutil.Process] | None:
        found = [p for k, p in kernels(server_pid).items() if k not in not_pooled]
        return found if len(found) == expected else None

    quiet = wait_until_quiet(waiting, poll_s=0.5, quiet_s=0.0, timeout_s=REPLY_TIMEOUT_S,
                             what=f"{expected} kernel(s) waiting in the pools")
    return {k: p for k, p in kernels(server_pid).items() if p in quiet}


def _preheated(server, kernel_id: str, asked_at: float) -> bool:
    """Whether the page's kernel came from a pool: it was running before the page was asked for at ``asked_at``
    (time.time()), where a kernel started for the page starts after. (Voila also starts pooled kernels with
    VOILA_PREHEAT=True, but a kernel forked from the template shows the template's /proc environment.)"""
    return kernels(server.pid)[kernel_id].create_time() < asked_at


@pytest.fixture(scope="module")
def gallery_kernel(server) -> tuple[str, float]:
    """The gallery page's kernel id, and when the page was asked for."""
    asked_at = time.time()
    return _render(server.url, GALLERY)[1], asked_at


@pytest.fixture(scope="module")
def kernel_id(gallery_kernel) -> str:
    return gallery_kernel[0]


@pytest.fixture
def outside_png(tmp_path) -> Path:
    """A served-looking file (allowlisted extension) next to, not inside, a served folder of its own."""
    path = tmp_path / "outside.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"outside-the-served-folder " * 40)
    return path


# ------------------------------------------------------------------------------------------ configuration

CONFIG_CLASSES = {"Voila": Voila, "VoilaConfiguration": VoilaConfiguration,
                  "MappingKernelManager": MappingKernelManager, "VoilaExecutor": VoilaExecutor,
                  "KernelManager": KernelManager, "AsyncKernelManager": AsyncKernelManager,
                  "KernelProvisionerFactory": KernelProvisionerFactory,
                  "ForkingProvisioner": ForkingProvisioner,
                  # the class Voila builds from the configured one when preheat_kernel is on (voila/app.py)
                  "VoilaKernelManager": voila_kernel_manager_factory(PoolAwareKernelManager, True, 1)}


@pytest.mark.parametrize("section", sorted(CONFIG))
def test_every_option_in_voila_json_is_a_configurable_trait(section):
    cls = CONFIG_CLASSES[section]
    unknown = set(CONFIG[section]) - set(cls.class_trait_names(config=True))
    assert not unknown, f"{section} has no configurable option(s) {sorted(unknown)} in the installed version"


def test_shipped_options_are_the_locked_down_ones():
    app, kernels = CONFIG["Voila"], CONFIG["MappingKernelManager"]
    voila = VoilaConfiguration(**CONFIG["VoilaConfiguration"])  # validates values (e.g. the "NO" enums)
    assert app["ip"] == "127.0.0.1" and app["tornado_settings"]["allow_remote_access"] is False
    assert voila.show_tracebacks is False and voila.strip_sources is True
    assert voila.allow_template_override == "NO" and voila.allow_theme_override == "NO"
    # Preheated kernels, with the kit's kernel manager that keeps them alive until a page has them (the tests
    # under "preheated kernels" below); culling stays on for kernels without a page.
    assert voila.preheat_kernel is True and voila.default_pool_size >= 1
    assert voila.multi_kernel_manager_class is PoolAwareKernelManager
    assert voila.prelaunch_hook is None and voila.progressive_rendering is False  # both would exclude preheating
    assert kernels["cull_idle_timeout"] > 0 and kernels["cull_interval"] > 0
    # a page has cull_idle_timeout - cull_interval to open its websocket after taking a pooled kernel
    assert kernels["cull_idle_timeout"] - kernels["cull_interval"] >= 600
    assert kernels["cull_connected"] is False  # an idle open page keeps working (a culled app goes dead)
    # a class opening apps at once keeps 2 cores busy for minutes; with nbclient's default 4 s for a cell's
    # output, pages rendered without their widgets (benchmarks/load_test.py: 0 of 30 learners succeeded)
    assert CONFIG["VoilaExecutor"]["iopub_timeout"] >= 120
    # the kernels' ZeroMQ channels are encrypted (CurveZMQ) wherever the kernel says it can be ("auto": a kernel
    # that cannot still starts, unencrypted, as before)
    assert CONFIG["KernelManager"]["transport_encryption"] == "auto"


def test_pages_get_preheated_kernels_as_shipped(server, gallery_kernel):
    """So the tests on this server check kernels from the pool."""
    assert _preheated(server, *gallery_kernel)


@pytest.mark.browser
def test_gallery_and_an_app_from_the_pool_work_in_a_browser(server, page):
    """The shipped path end to end in Chromium (tests/test_browser.py starts a kernel per page): the gallery
    and an app served from kernels that ran them before the page asked, the app answers the keyboard, and
    nothing fails in either page (a preheated page also opens Voila's /voila/query websocket)."""
    asked_at = time.time()
    page.goto(f"{server.url}/voila/render/{GALLERY}")
    page.locator(f"a[href$='{POOLED_APP}']").first.wait_for(state="attached", timeout=REPLY_TIMEOUT_S * 1000)
    app = page.context.new_page()  # as the gallery's links do (target=_blank): the gallery stays open
    app.qdpv_watch = PageWatch(app)
    open_app(app, f"{server.url}/voila/render/{POOLED_APP}")
    before = app.inner_text(".qdpv-results")
    key_latency_ms(app, 0, "ArrowRight")
    assert app.inner_text(".qdpv-results") != before
    for pg in (page, app):
        assert _preheated(server, pg.evaluate(KERNEL_ID_JS), asked_at)
        assert "Traceback" not in pg.inner_text("body")
        assert pg.qdpv_watch.problems() == []


def test_server_listens_on_loopback_only_and_answers_only_local_host_names(server):
    listening = [c.laddr for c in psutil.Process(server.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening and all(addr.ip == "127.0.0.1" for addr in listening), listening
    port = urllib.parse.urlsplit(server.url).port
    for path in ("/", f"/voila/render/{GALLERY}"):  # the second would start a kernel if it got through
        status, _, body = _get(server.url, path, {"Host": f"attacker.example:{port}"})
        assert status == 403 and b"kernelId" not in body, (path, status)
    assert _get(server.url, "/", {"Host": f"localhost:{port}"})[0] == 200


def test_kernel_websocket_from_another_origin_is_refused(server, kernel_id):
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        _connect(server.url, kernel_id, origin="http://attacker.example")
    assert refused.value.status_code == 403
    ws = _connect(server.url, kernel_id)  # same origin (websocket-client sends the server's own)
    try:
        _messages_until_kernel_info_reply(ws, "json")
    finally:
        ws.close()


# ------------------------------------------------------------------------------------ code from the browser


@pytest.mark.parametrize("channel", ["shell", "control"])
@pytest.mark.parametrize("protocol", ["json", "v1"])
def test_execute_request_over_the_kernel_websocket_is_not_executed(server, kernel_id, tmp_path, protocol,
                                                                   channel):
    marker = tmp_path / "executed.txt"
    execute = _message("execute_request", {
        "code": f"open({str(marker)!r}, 'w').write('code from the browser ran')",
        "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False,
        "stop_on_error": True})
    allowed = _message("comm_info_request", {})  # positive control: an allowed request on the same way
    ws = _connect(server.url, kernel_id, protocol)
    try:
        _send(ws, execute, channel, protocol)
        _send(ws, allowed, channel, protocol)
        seen = _messages_until_kernel_info_reply(ws, protocol, channel)  # the kernel is alive and answers
    finally:
        ws.close()

    def answers_to(request: dict) -> list[str]:
        msg_id = request["header"]["msg_id"]
        return [m["header"]["msg_type"] for m in seen if m["parent_header"].get("msg_id") == msg_id]

    assert "comm_info_reply" in answers_to(allowed)
    assert answers_to(execute) == [], "the kernel saw the execute_request"
    assert not marker.exists()


def test_oversized_websocket_message_closes_only_that_connection(server, kernel_id):
    limit = CONFIG["Voila"]["tornado_settings"]["websocket_max_message_size"]
    huge = _message("comm_msg", {"comm_id": uuid.uuid4().hex, "data": {"blob": "x" * limit}})
    ws = _connect(server.url, kernel_id)
    try:
        ws.send(json.dumps({**huge, "channel": "shell"}))
        opcode, frame = ws.recv_data_frame(control_frame=True)
        while opcode != websocket.ABNF.OPCODE_CLOSE:  # kernel status messages may come first
            opcode, frame = ws.recv_data_frame(control_frame=True)
        closed_with = int.from_bytes(frame.data[:2], "big")
    except (ConnectionError, websocket.WebSocketConnectionClosedException):
        closed_with = "reset"  # tornado reads the frame's length first and may hang up while it is being sent
    finally:
        ws.close()
    # 1009: RFC 6455 "message too big"; had the server taken the message, no close frame would come and the
    # receive above would time out instead
    assert closed_with in (1009, "reset")
    ws = _connect(server.url, kernel_id)
    try:
        _messages_until_kernel_info_reply(ws, "json")
    finally:
        ws.close()


# ------------------------------------------------------------------------------------------- files served


def _outside_targets() -> list[Path]:
    """Files outside notebooks/: configuration, documentation, library and notebook sources, the system."""
    targets = [ROOT / "voila.json", ROOT / "README.md", ROOT / "lib/qdpv/paper.py",
               ROOT / "docs/img/02_qd_sizing.png",  # an allowlisted extension: only the root check stops it
               ROOT / "benchmarks/floor/trivial.ipynb", Path("/etc/passwd")]
    return [p for p in targets if p.is_file()]


def _piece(path: Path) -> bytes:
    """64 bytes from the middle of a file: present in any response that carries it, absent otherwise."""
    data = path.read_bytes()
    return data[len(data) // 2: len(data) // 2 + 64]


# How a request names ``target``: ``rel`` is its path relative to the folder served (fewest ``..``), ``abs_``
# its absolute path without the leading slash. Twelve ``..`` reach ``/`` from any folder on this machine, so
# the deep forms work for every prefix, whatever folder it serves from.
ENCODINGS = {
    "dotdot": lambda rel, abs_: rel,
    "dotdot-deep": lambda rel, abs_: "../" * 12 + abs_,
    "percent-dots": lambda rel, abs_: rel.replace("..", "%2e%2e"),
    "percent-dots-and-slashes": lambda rel, abs_: rel.replace("..", "%2e%2e").replace("/", "%2f"),
    "percent-deep": lambda rel, abs_: ("%2e%2e/" * 12 + abs_).replace("/", "%2f"),
    "double-encoded": lambda rel, abs_: rel.replace("..", "%252e%252e").replace("/", "%252f"),
    "backslashes": lambda rel, abs_: rel.replace("/", "%5c"),
    "absolute": lambda rel, abs_: "/" + abs_,
    "absolute-encoded": lambda rel, abs_: "%2f" + abs_.replace("/", "%2f"),
}


def _url(prefix: str, encoding: str, target: Path, served: Path) -> str:
    return prefix + ENCODINGS[encoding](os.path.relpath(target, served), str(target).lstrip("/"))


PREFIXES = ["/", "/voila/files/", "/voila/static/", "/voila/render/", "/voila/tree/", "/voila/api/contents/",
            "/voila/templates/qdpv/static/", "/voila/labextensions/", "/voila/api/themes/"]


def _assert_refused(base: str, url: str, target: Path, prefix: str) -> None:
    status, headers, body = _get(base, url)
    if status in (301, 302, 307) and headers.get("location", "").startswith("/"):
        status, _, body = _get(base, headers["location"])  # /voila/render/ sends other files to /voila/files/
    # Voila 0.5.13's template-static handler answers a path that leaves its folder with an internal error (an
    # assertion in TemplateStaticFileHandler), still without content or traceback; everything else 403/404.
    allowed = (403, 404, 500) if prefix.startswith("/voila/templates/") else (403, 404)
    assert status in allowed, f"{url} -> {status}"
    assert _piece(target) not in body, f"{url} served {target}"
    assert b"Traceback" not in body


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_files_outside_notebooks_are_refused(server, prefix, encoding):
    for target in _outside_targets():
        _assert_refused(server.url, _url(prefix, encoding, target, NOTEBOOKS), target, prefix)


def test_only_images_inside_the_served_folder_are_served(tmp_path, outside_png):
    """A folder of our own; its image is served (the positive control: these requests can succeed)."""
    served = tmp_path / "served"
    (served / ".ipynb_checkpoints").mkdir(parents=True)
    image = outside_png.read_bytes().replace(b"outside", b"inside!")
    files = {"figure.png": image, ".hidden.png": image, ".ipynb_checkpoints/figure-checkpoint.png": image,
             "helper.py": b"SECRET = 'helper source'\n" * 8, "data.csv": b"time_h,retained\n0,1\n" * 8,
             "notes.txt": b"private notes " * 8}
    for name, data in files.items():
        (served / name).write_bytes(data)
    with voila_server(served) as srv:
        status, _, body = _get(srv.url, "/voila/files/figure.png")
        assert (status, body) == (200, image)
        for name in files.keys() - {"figure.png"}:
            status, _, body = _get(srv.url, "/voila/files/" + name)
            assert status == 403 and files[name] not in body, name
        for encoding in ENCODINGS:  # outside.png sits next to the served folder: "../outside.png"
            for prefix in ("/voila/files/", "/voila/static/"):
                _assert_refused(srv.url, _url(prefix, encoding, outside_png, served), outside_png, prefix)


def test_notebook_sources_are_not_served(server):
    cells = json.loads((NOTEBOOKS / GALLERY).read_text())["cells"]
    code = "".join(next(c["source"] for c in cells if c["cell_type"] == "code"))
    status, _, body = _get(server.url, f"/voila/files/{GALLERY}")
    assert status == 403 and code.encode() not in body
    status, _, body = _get(server.url, f"/voila/api/contents/{GALLERY}?content=1")
    assert status == 200 and json.loads(body)["content"] is None
    status, _, body = _get(server.url, "/voila/api/contents")
    names = [item["name"] for item in json.loads(body)["content"]]
    listed = sorted(p.name for p in NOTEBOOKS.iterdir()
                    if p.suffix == ".ipynb" or (p.is_dir() and not p.name.startswith(".")))  # img/: thumbnails
    assert status == 200 and names == listed
    page, _ = _render(server.url, GALLERY)
    assert "gallery_html" not in page  # strip_sources: the page has the cell's output, not its code


def test_template_and_theme_cannot_be_switched_from_the_url(server):
    page, _ = _render(server.url, GALLERY, "?template=lab&theme=dark")
    assert "cdn.jsdelivr.net" not in page  # the lab template links Font Awesome from this CDN; qdpv drops it
    assert '"jupyterLabTheme": "light"' in page


# ------------------------------------------------------------------------------------------------ culling


def _write_notebook(path: Path, code: str) -> Path:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(code)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(notebook, path)
    return path


def test_idle_kernel_without_a_page_is_culled_and_one_with_an_open_page_is_kept(tmp_path):
    """The culling option names work in Voila 0.5.13; as shipped (cull_connected false) a kernel nobody is
    connected to (a page closed without saying so, or fetched by a script) is culled, an open page keeps its
    kernel. The timeout is shortened here. Kernels start per page here (``voila_server``'s default, no pool): pooled
    kernels are the next tests' subject."""
    _write_notebook(tmp_path / "tiny.ipynb", "1 + 1")
    timeout_s, interval_s = 3, 1
    args = [f"--MappingKernelManager.cull_idle_timeout={timeout_s}",
            f"--MappingKernelManager.cull_interval={interval_s}"]
    with voila_server(tmp_path, *args) as srv:
        _, kept = _render(srv.url, "tiny.ipynb")
        ws = _connect(srv.url, kept)  # within the timeout: the render has just finished
        try:
            _messages_until_kernel_info_reply(ws, "json")
            _, left = _render(srv.url, "tiny.ipynb")
            deadline = time.monotonic() + 60  # culled after > 3 s idle, checked every 1 s: 60 s is ample
            while _get(srv.url, f"/api/kernels/{left}")[0] == 200:
                assert time.monotonic() < deadline, "the kernel nobody is connected to was not culled"
                time.sleep(0.5)
            assert _get(srv.url, f"/api/kernels/{left}")[0] == 404
            time.sleep(timeout_s + 2 * interval_s)  # the open page's kernel is as idle by now, and checked
            assert _get(srv.url, f"/api/kernels/{kept}")[0] == 200
        finally:
            ws.close()


# ------------------------------------------------------------------------------------------ preheated kernels

# A server with the shipped pools and culler, on one widget notebook, with the culler's clock shortened.
CULL_TIMEOUT_S, CULL_INTERVAL_S = 5, 1
BROWSER_START_S = 2  # a browser runs the page's scripts (13 MB, seconds) before it opens the kernel websocket
WIDGET_NB = "slider.ipynb"


@dataclass
class PoolServer:
    url: str
    pid: int
    not_pooled: set[str] = field(default_factory=set)  # kernels pages took, and ones killed by a test


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pool")
    _write_notebook(folder / WIDGET_NB, "import ipywidgets\nipywidgets.IntSlider(value=3)")
    args = [f"--MappingKernelManager.cull_idle_timeout={CULL_TIMEOUT_S}",
            f"--MappingKernelManager.cull_interval={CULL_INTERVAL_S}"]
    with voila_server(folder, *args, preheat=True) as srv:
        yield PoolServer(srv.url, srv.pid)


def _waiting_kernel(pool: PoolServer) -> tuple[str, psutil.Process]:
    """The kernel waiting in the pool, once it has run the notebook."""
    (kernel_id, proc), = _pools_ready(pool.pid, 1, pool.not_pooled).items()
    return kernel_id, proc


def _open_comms(base: str, kernel_id: str) -> set[str]:
    """The comms (widget models) in the kernel, asked over its websocket as a page's widget manager does."""
    ws = _connect(base, kernel_id)
    try:
        request = _message("comm_info_request", {})
        _send(ws, request, "shell", "json")
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while time.monotonic() < deadline:
            msg = _receive(ws, "json")
            if msg["parent_header"].get("msg_id") == request["header"]["msg_id"] \
                    and msg["header"]["msg_type"] == "comm_info_reply":
                return set(msg["content"]["comms"])
    finally:
        ws.close()
    raise AssertionError(f"no comm_info_reply within {REPLY_TIMEOUT_S} s")


def _model_id(page: str) -> str:
    """The widget model the page shows (its view is rendered from the pre-run's output)."""
    return re.search(r'"model_id": "([0-9a-f]{32})"', page).group(1)


def test_pooled_kernel_that_waited_past_the_cull_timeout_still_serves_a_live_app(pool):
    """The race Voila 0.5.13 alone loses: a kernel that waited in the pool longer than cull_idle_timeout is
    exempt while it waits, but once a page has taken it the next culler pass (within CULL_INTERVAL_S) shut it
    down before the browser connected; the page showed the app and nothing answered."""
    kernel_id, _ = _waiting_kernel(pool)
    time.sleep(CULL_TIMEOUT_S + 2 * CULL_INTERVAL_S)  # waits in the pool past the timeout, through culls
    page, taken = _render(pool.url, WIDGET_NB)
    pool.not_pooled.add(taken)
    assert taken == kernel_id, "the page did not get the pooled kernel"
    time.sleep(BROWSER_START_S)
    assert _model_id(page) in _open_comms(pool.url, taken), "the page's slider is not alive in its kernel"


def test_kernel_a_page_took_but_never_connected_to_is_culled(pool):
    """The pool's exemption ends when a page takes the kernel: a page fetched by a script, or closed before
    its websocket opened, does not keep a kernel for ever."""
    _waiting_kernel(pool)
    _, taken = _render(pool.url, WIDGET_NB)
    pool.not_pooled.add(taken)
    deadline = time.monotonic() + REPLY_TIMEOUT_S  # culled > CULL_TIMEOUT_S after the take: 60 s is ample
    while _get(pool.url, f"/api/kernels/{taken}")[0] == 200:
        assert time.monotonic() < deadline, "a taken kernel nobody connected to was not culled"
        time.sleep(0.5)


def test_pooled_kernel_that_died_is_replaced_before_a_page_takes_it(pool):
    """jupyter_client restarts a dead kernel empty (or drops it); Voila alone would hand that kernel to the
    next page, whose widgets no kernel knows. The kit's manager takes it out of the pool and refills it."""
    kernel_id, proc = _waiting_kernel(pool)
    proc.kill()
    pool.not_pooled.add(kernel_id)  # restarted under the same id, empty
    replacement, _ = _waiting_kernel(pool)
    page, taken = _render(pool.url, WIDGET_NB)
    pool.not_pooled.add(taken)
    assert taken == replacement != kernel_id
    assert _model_id(page) in _open_comms(pool.url, taken)

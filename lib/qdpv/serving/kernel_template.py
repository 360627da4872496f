"""The warm template process that :mod:`qdpv.serving.provisioner` forks kernels from.

Not a physics module, and not imported by the server: the provisioner starts it as
``python -m qdpv.serving.kernel_template FD MODULE ...`` with the interpreter and environment of the kernels it
will make, FD being its end of a socket pair whose other end the server keeps. It

1. imports the modules named on its command line (``module`` or ``module:function``, the function then called
   with no argument: a cache filled here is inherited by every kernel), then those a kernel imports while it
   starts (``KERNEL_MODULES``), and
   refuses to serve (answering ``{"error": ...}``) if any of that left a second thread running: ``fork`` copies
   only the calling thread, so a kernel forked from a threaded process could inherit a lock held by a thread it
   does not have;
2. moves every object it made to the garbage collector's permanent generation (``gc.freeze``), so that a
   collection in a kernel does not write to, and so copy, the memory pages the kernels share with it;
3. answers ``{"ready": ..., "pid": ...}`` and then one JSON line per request line:

   - ``{"op": "fork", "argv": [...], "env": {...}, "cwd": "...", "title": "..."}``, optionally sent with the
     write end of a pipe (SCM_RIGHTS), forks a kernel, which writes one byte to that pipe once its sockets are
     bound (a client that connects after that is answered without waiting for ZeroMQ to retry), which
     takes ``title`` (the normal kernel's command) as its process title, becomes the leader of
     a new session and process group (as ``start_new_session`` makes a normal kernel), reads nothing from
     standard input, takes ``env`` as its environment (plus what the preloaded modules add when imported, as
     they would in the kernel, unless ``env`` names it) and ``cwd`` as its working directory, draws new
     seeds for numpy's global random state (the one thing a forked interpreter would otherwise share with its
     siblings; the standard ``random`` module reseeds itself), and runs ``ipykernel.kernelapp`` with ``argv``
     (the arguments after ``-m ipykernel_launcher``) and the ``sys.path`` a normal kernel has (the interpreter's,
     without the working directory that ``python -m`` puts first and ``ipykernel_launcher`` takes out); once
     the kernel exists, it does what preloaded modules do at import only inside a kernel (``_now_in_a_kernel``:
     ipywidgets' comm targets).
     The answer ``{"pid": N}`` comes once the kernel has its own process group.
   - ``{"op": "status", "pid": N}`` answers ``{"exit": code}`` with the kernel's exit code once it has ended
     (the template is its parent and reaps it), ``{"exit": null}`` before;

4. when the server's end closes (the server stopped or died), sends SIGTERM to the process group of every
   kernel it forked and still running, and exits.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import socket
import sys
import traceback

# What ipykernel 7 imports while a kernel starts (kernelapp, then lazily: the kernel, its shell, the debugger with
# debugpy, IPython's completer/inspector/store magic, sqlite3 for the history, pyzmq's zero-copy sending of large
# messages): imported here, so that a forked
# kernel only builds its objects. A module missing from a later ipykernel is skipped.
KERNEL_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "ipykernel.comm",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "sqlite3",
    "tornado.platform.asyncio",
    "zmq.utils.garbage",
)

_children: dict[int, int | None] = {}
# Variables the preloaded modules put into the environment when imported (debugpy sets PYDEVD_USE_FRAME_EVAL);
# a kernel that imported them itself would have them too, unless its environment already names them.
_set_by_imports: dict[str, str] = {}  # kernel pid -> exit code, None while it runs


def _reap(_signum: int = 0, _frame: object = None) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _children[pid] = os.waitstatus_to_exitcode(status)


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _preload(names: list[str]) -> None:
    for name in names:
        module, _, function = name.partition(":")
        loaded = importlib.import_module(module)
        if function:
            getattr(loaded, function)()
    importlib.import_module("ipykernel.kernelapp")
    for name in KERNEL_MODULES[1:]:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _become_kernel(request: dict, channel: socket.socket, ready_w: int, bound_w: int | None) -> None:
    """Runs in the forked child; never returns."""
    code = 1
    try:
        os.setsid()
        if request.get("title"):  # before the environment changes: setproctitle finds its room from it
            _set_title(request["title"])
        os.write(ready_w, b"x")
        os.close(ready_w)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        channel.close()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        cwd = request.get("cwd") or os.getcwd()
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(request["env"])
        for name, value in _set_by_imports.items():
            os.environ.setdefault(name, value)
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        import ipykernel_launcher
        from ipykernel import kernelapp

        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]

        # The default of this setting was read from the template's environment when kernelapp was imported.
        parent = int(request["env"].get("JPY_PARENT_PID") or 0)
        app = kernelapp.IPKernelApp.instance(parent_handle=parent)
        app.initialize(list(request["argv"]))
        _now_in_a_kernel()
        if bound_w is not None:  # the kernel's sockets are bound: a client connecting now is answered at once
            os.write(bound_w, b"x")
            os.close(bound_w)
        app.start()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _now_in_a_kernel() -> None:
    """What preloaded modules do at import only when they find a running IPython, done now that there is one:
    ipywidgets registers its comm targets (without them a page finds none of the app's widgets)."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        widgets.register_comm_target()


def _set_title(title: str) -> None:
    """The kernel's command line as ``ps`` and /proc/PID/cmdline show it: the command a normal kernel would
    have run, so that tools finding kernels by their connection file's name find forked ones too."""
    try:
        import setproctitle
    except ImportError:
        return
    setproctitle.setproctitle(title)


def _fork(request: dict, channel: socket.socket, bound_w: int | None) -> dict:
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        _become_kernel(request, channel, ready_w, bound_w)
    os.close(ready_w)
    if bound_w is not None:
        os.close(bound_w)
    try:
        os.read(ready_r, 1)  # the child is the leader of its own process group from here on
    finally:
        os.close(ready_r)
    _children.setdefault(pid, None)
    return {"pid": pid}


def _lines(channel: socket.socket):
    """(request, the file descriptor sent with it or None); a request and its descriptor come in one message."""
    buffer, fds = b"", []
    while True:
        chunk, received, _flags, _address = socket.recv_fds(channel, 1 << 20, 4)
        if not chunk:
            return
        buffer += chunk
        fds.extend(received)
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield json.loads(line), (fds.pop(0) if fds else None)


def _send(channel: socket.socket, answer: dict) -> None:
    channel.sendall(json.dumps(answer).encode() + b"\n")


def _stop_children() -> None:
    _reap()
    for pid, code in _children.items():
        if code is None:
            try:
                os.killpg(pid, signal.SIGTERM)
            except OSError:
                pass


def main(argv: list[str]) -> int:
    channel = socket.socket(fileno=int(argv[0]))
    # ``python -m`` put the template's working directory first on sys.path; ipykernel_launcher takes it out too.
    if sys.path and os.path.abspath(sys.path[0]) == os.getcwd():
        del sys.path[0]
    before = dict(os.environ)
    try:
        _preload(argv[1:])
    except BaseException as error:  # any failure is reported to the server, which falls back
        _send(channel, {"error": f"preloading {argv[1:]} failed: {error!r}"})
        return 1
    _set_by_imports.update({k: v for k, v in os.environ.items() if before.get(k) != v})
    threads = _threads()
    if threads != 1:
        _send(channel, {"error": f"the template runs {threads} threads after preloading; forking needs one"})
        return 1
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, _reap)
    _send(channel, {"ready": sorted(argv[1:]), "pid": os.getpid()})
    for request, fd in _lines(channel):
        if request.get("op") == "fork":
            _send(channel, _fork(request, channel, fd))
            continue
        if fd is not None:
            os.close(fd)
        if request.get("op") == "status":
            _reap()
            _send(channel, {"exit": _children.get(int(request["pid"]))})
        else:
            _send(channel, {"error": f"unknown request {request.get('op')!r}"})
    _stop_children()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Kernels forked from a warm template: a jupyter_client kernel provisioner.

Not a physics module: it imports jupyter_client and runs only inside the Jupyter/Voila server. It is registered
as the ``qdpv-forking-provisioner`` entry point of ``jupyter_client.kernel_provisioners`` (``pyproject.toml``)
and chosen for every kernel whose kernel spec names no provisioner by
``KernelProvisionerFactory.default_provisioner_name`` (``voila.json``; ``binder/postBuild`` copies it into the
Jupyter server's settings for Binder and JupyterHub).

Why: a new kernel is a new Python process that spends most of its first second importing numpy, scipy, bokeh,
ipywidgets, ipykernel and the kit (0.9-1.9 s, measured in ``docs/performance.md``), once per learner and app. Here
one template process per interpreter and start-up environment (:mod:`qdpv.serving.kernel_template`) imports
them once, and each kernel is a ``fork`` of it: it starts with those modules loaded and shares their memory
pages with the template until it writes to them (copy-on-write), so a learner costs the memory his kernel
writes, not a whole interpreter.

What stays as for a normal kernel (``LocalProvisioner``, whose port and connection-file handling this class
inherits unchanged; ``tests/test_provisioner.py`` compares the two): the connection file and its keys, the
command line that ``ps`` shows (set with ``setproctitle``), the kernel's environment (the ``env`` the kernel
manager passes) and working directory, the module search path and ``sys.argv``, standard input, the session and process
group (signals, interrupt, kill and terminate reach the kernel's group), restart (a new fork with the same
connection file), shutdown, culling, and the kernel ending with the server. What differs: the kernel's parent is
the template, not the server (the template reaps it and reports its exit code); /proc/PID/environ shows the
template's environment, not the kernel's (the kernel's ``os.environ`` is right); modules are imported before
the kernel's environment is set, so a variable that a module reads once when it is imported takes the
template's value; and the template starts with one thread for OpenBLAS/OpenMP/MKL unless its environment says
otherwise (a forked process must start with one thread; on a shared class server one thread per kernel is also
what keeps learners from slowing each other).

It falls back to a normal start, and says why in the log (once per reason: a warning, or a note off Linux, where
that is expected), when it cannot fork: not Linux, a kernel command other than ``python -m ipykernel_launcher``
or ``-m ipykernel``, a template that could not start or preload within ``template_timeout`` seconds, more
start-up environments than ``max_templates``, or a fork request that failed.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Float, Int, List, Unicode

from qdpv.serving import kernel_template

# Environment variables that decide how the interpreter starts and which code it loads: kernels whose values
# differ get different templates. Any other variable a kernel gets as given (after the fork), and the template
# starts with the environment of the first kernel that needed it, less the variables Voila and the kernel
# manager set per kernel or per request (PER_KERNEL_ENV, PER_KERNEL_PREFIXES).
STARTUP_PREFIXES = ("PYTHON", "LD_", "VIRTUAL_ENV", "CONDA_PREFIX")
PER_KERNEL_ENV = frozenset(
    {"JPY_SESSION_NAME", "JPY_PARENT_PID", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING"}
)
PER_KERNEL_PREFIXES = ("VOILA_", "SERVER_")
# Thread pools that must not start in the template (see the module docstring); also part of the key.
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# What a kernel command looks like when it can be forked: python -m <one of these> <arguments>
KERNEL_LAUNCHERS = ("ipykernel_launcher", "ipykernel")


def template_env(env: dict[str, str]) -> dict[str, str]:
    """A kernel's environment less what Voila and the kernel manager set per kernel: the template's."""
    return {
        key: value
        for key, value in env.items()
        if key not in PER_KERNEL_ENV and not key.startswith(PER_KERNEL_PREFIXES)
    }


def startup_key(env: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The variables of a kernel's environment whose values must be the template's (STARTUP_PREFIXES)."""
    return tuple(sorted((k, v) for k, v in env.items() if k.startswith(STARTUP_PREFIXES) or k in ONE_THREAD))


def forkable(cmd: list[str]) -> list[str] | None:
    """The ipykernel arguments of a ``python -m ipykernel_launcher ...`` command, or None for any other."""
    if len(cmd) >= 3 and cmd[1] == "-m" and cmd[2] in KERNEL_LAUNCHERS:
        return list(cmd[3:])
    return None


def readable(fd: int, timeout_s: float | None) -> bool:
    """Whether ``fd`` becomes readable (or reaches its end) within ``timeout_s`` seconds (None: no limit). With
    poll, not select: a server with dozens of kernels has file descriptors beyond select's limit of 1024."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(None if timeout_s is None else max(0, int(timeout_s * 1000))))


class TemplateError(RuntimeError):
    """The template could not start or could not fork a kernel."""


class Template:
    """One template process and the server's end of its socket pair; requests are one at a time."""

    def __init__(self, python: str, env: dict[str, str], preload: list[str], timeout_s: float) -> None:
        env = dict(env)
        for name in ONE_THREAD:
            env.setdefault(name, "1")
        ours, theirs = socket.socketpair()
        self._lock = threading.Lock()
        self._channel = ours
        self._buffer = b""
        started = time.perf_counter()
        try:
            self.process = subprocess.Popen(  # the kernel spec's own interpreter
                [python, "-m", kernel_template.__name__, str(theirs.fileno()), *preload],
                pass_fds=(theirs.fileno(),),
                env=env,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            theirs.close()
        answer = self._receive(timeout_s)
        if "error" in answer:
            self.close()
            raise TemplateError(answer["error"])
        self.pid = int(answer["pid"])
        self.ready_s = time.perf_counter() - started

    def _receive(self, timeout_s: float | None) -> dict:
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not readable(self._channel.fileno(), left):
                raise TemplateError(f"no answer from the template within {timeout_s} s")
            chunk = self._channel.recv(65536)
            if not chunk:
                raise TemplateError("the template closed its end (it exited)")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def request(self, message: dict, timeout_s: float = 30.0, fd: int | None = None) -> dict:
        """Send ``message`` (with the file descriptor ``fd``, if given) and return the template's answer."""
        with self._lock:
            try:
                data = json.dumps(message).encode() + b"\n"
                if fd is None:
                    self._channel.sendall(data)
                else:
                    socket.send_fds(self._channel, [data], [fd])
            except OSError as error:
                raise TemplateError(f"the template is gone: {error}") from error
            answer = self._receive(timeout_s)
        if "error" in answer:
            raise TemplateError(answer["error"])
        return answer

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Closing the server's end makes the template stop the kernels it forked and exit."""
        self._channel.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class ForkedKernel:
    """The part of ``subprocess.Popen`` that ``LocalProvisioner`` uses, for a kernel that is not our child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, template: Template) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._template = template
        self._pidfd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        if not readable(self._pidfd, 0.0):
            return None
        code = None
        for _ in range(50):  # the template reaps on SIGCHLD, a moment after the kernel ends
            try:
                code = self._template.request({"op": "status", "pid": self.pid}, timeout_s=5)["exit"]
            except TemplateError:
                code = -1  # the template died with its kernels' exit codes
            if code is not None:
                break
            time.sleep(0.01)
        self.returncode = -1 if code is None else int(code)
        os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(["kernel", str(self.pid)], timeout)
            readable(self._pidfd, 0.1)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# One template per (interpreter, start-up environment, preload list), shared by every kernel of the server.
_templates: dict[tuple, Template] = {}
_starting: dict[tuple, asyncio.Future] = {}
_warned: set[str] = set()


class ForkingProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose kernels are forked from a warm template process (see the module docstring)."""

    preload = List(
        Unicode(),
        default_value=["numpy", "scipy", "ipywidgets", "bokeh.plotting"],
        config=True,
        help="Modules the template imports before forking (``module`` or ``module:function``, the function "
        "then called once, e.g. to fill a cache that every kernel inherits).",
    )
    template_timeout = Float(
        120.0, config=True, help="Seconds a template may take to start and preload before kernels start normally."
    )
    bind_timeout = Float(
        30.0, config=True, help="Seconds to wait for a forked kernel to bind its sockets before returning anyway."
    )
    max_templates = Int(
        4, config=True, help="At most this many templates (interpreters x start-up environments) per server."
    )

    def _warn_once(self, reason: str, level: int = logging.WARNING) -> None:
        if reason not in _warned:
            _warned.add(reason)
            self.log.log(level, "qdpv: kernels start normally, not forked from a template: %s", reason)

    async def _template(self, python: str, env: dict[str, str]) -> Template | None:
        base = template_env(env)
        key = (os.path.realpath(python), startup_key(env), tuple(self.preload))
        template = _templates.get(key)
        if template is not None and template.alive:
            return template
        if key not in _starting:
            if len(_templates) >= self.max_templates and key not in _templates:
                self._warn_once(f"more than {self.max_templates} start-up environments (max_templates)")
                return None
            loop = asyncio.get_running_loop()
            _starting[key] = loop.run_in_executor(
                None, Template, python, base, list(self.preload), self.template_timeout
            )
        future = _starting[key]
        try:
            template = await asyncio.shield(future)
        except Exception as error:  # any failure falls back to a normal start
            self._warn_once(f"the template did not start: {error}")
            return None
        finally:
            if _starting.get(key) is future:
                del _starting[key]
        if _templates.get(key) is not template:
            _templates[key] = template
            self.log.info(
                "qdpv: kernels are forked from a template (pid %d, %s preloaded in %.1f s)",
                template.pid,
                ", ".join(self.preload),
                template.ready_s,
            )
        return template

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Fork the kernel from the template when possible, else start it as ``LocalProvisioner`` does."""
        if not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"):
            # expected off Linux (a learner's own Mac or Windows machine): said, but not as a warning
            self._warn_once(f"forking is implemented for Linux only (this is {sys.platform})", logging.INFO)
            return await super().launch_kernel(cmd, **kwargs)
        argv = forkable(cmd)
        if argv is None:
            self._warn_once(f"the kernel command {cmd[:3]} is not 'python -m ipykernel_launcher'")
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        if "JPY_PARENT_PID" not in env and not kwargs.get("independent"):
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        template = await self._template(os.path.expanduser(cmd[0]), env)
        if template is None:
            return await super().launch_kernel(cmd, **kwargs)
        loop = asyncio.get_running_loop()
        request = {"op": "fork", "argv": argv, "env": env, "cwd": cwd, "title": " ".join(cmd)}
        bound_r, bound_w = os.pipe()
        try:
            answer = await loop.run_in_executor(None, functools.partial(template.request, request, fd=bound_w))
        except TemplateError as error:
            self._warn_once(f"the template could not fork a kernel: {error}")
            return await super().launch_kernel(cmd, **kwargs)
        finally:
            os.close(bound_w)
        try:
            # Return once the kernel's sockets are bound (or it died trying: end of file): clients that connect
            # before then wait for ZeroMQ's next reconnection attempt, 0.1 s later.
            await loop.run_in_executor(None, readable, bound_r, self.bind_timeout)
        finally:
            os.close(bound_r)
        self.process = ForkedKernel(int(answer["pid"]), template)
        self.pid = self.pgid = self.process.pid  # the kernel leads its own process group (setsid)
        self.cwd = cwd
        return self.connection_info


def close_templates() -> None:
    """Stop every template and the kernels forked from it (a server that exits closes them as well)."""
    while _templates:
        _, template = _templates.popitem()
        template.close()

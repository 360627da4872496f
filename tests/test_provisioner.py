"""Kernels forked from the warm template (qdpv.serving.provisioner) behave as normal kernels: the same connection
file and key, environment, working directory, session and process group, standard input, interrupt, signals to
the group, restart, shutdown; they start with the kit's modules loaded, draw their own random numbers, end with
the server, and a template that cannot serve leaves kernels to start normally, saying so in the log."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from importlib.metadata import entry_points

import pytest

from qdpv.serving import provisioner as forking
from qdpv_testing import ROOT
from qdpv_testing.kernels import FORKING, NORMAL, gone, hooks, kernel, kit_preload, parent, probe, run

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux only")

PRELOADED = ("scipy", "bokeh.plotting", "qdpv.ui.device_jv")
SEEN = "result = sorted(m for m in " + repr(PRELOADED) + " if m in sys.modules)"


def _env() -> dict[str, str]:
    return {**os.environ, "QDPV_PROBE": "one value for both kernels"}


def _template_pid(manager) -> int:
    return manager.provisioner.process._template.pid


def test_voila_json_selects_the_registered_forking_provisioner():
    config = json.loads((ROOT / "voila.json").read_text())
    assert config["KernelProvisionerFactory"]["default_provisioner_name"] == FORKING
    (entry,) = entry_points(group="jupyter_client.kernel_provisioners", name=FORKING)
    assert entry.load() is forking.ForkingProvisioner


def test_a_forked_kernel_is_a_normal_kernel_that_starts_with_the_kit_loaded(tmp_path):
    async def both():
        seen = {}
        for name in (NORMAL, FORKING):
            async with kernel(parent(name, kit_preload()), env=_env(), cwd=str(tmp_path)) as (manager, client):
                loaded = await run(client, "import sys\n" + SEEN)
                found = await probe(client)
                found["loaded"] = loaded
                found["manager"] = {
                    "connection_file": manager.connection_file,
                    "key": manager.session.key.decode(),
                    "provisioner": type(manager.provisioner).__name__,
                    "template": _template_pid(manager) if name == FORKING else None,
                }
                seen[name] = found
        return seen

    seen = asyncio.run(both())
    normal, forked = seen[NORMAL], seen[FORKING]
    assert forked["manager"]["provisioner"] == "ForkingProvisioner"
    assert normal["ppid"] == os.getpid() and forked["ppid"] == forked["manager"]["template"]
    assert normal["loaded"] == [] and forked["loaded"] == sorted(PRELOADED)
    for found in (normal, forked):
        assert found["connection_file"] == found["manager"]["connection_file"]
        assert found["key"] == found["manager"]["key"]
        assert found["pgid"] == found["sid"] == found["pid"]  # its own session and process group
        assert found["cwd"] == str(tmp_path)
        assert found["stdin"] == "eof"
    for found in (normal, forked):  # what ps shows, and how qdpv_testing.server finds a server's kernels
        assert found["cmdline"][1:] == ["-m", "ipykernel_launcher", "-f", found["connection_file"]]
    for same in ("executable", "path", "stdin"):
        assert forked[same] == normal[same], same
    assert forked["argv"][0] == normal["argv"][0] and forked["argv"][1:] == ["-f", forked["connection_file"]]
    assert forked["env"] == normal["env"]
    assert forked["env"]["QDPV_PROBE"] == "one value for both kernels"


def test_an_app_imported_in_a_forked_kernel_hooks_into_the_kernel_as_in_a_normal_one():
    """ipywidgets registers its comm targets at import only if a kernel runs (without them a page finds none of
    its widgets); the template imported it before any kernel existed."""

    async def both():
        found = {}
        for name in (NORMAL, FORKING):
            async with kernel(parent(name, kit_preload())) as (_manager, client):
                found[name] = await hooks(client, "qdpv.ui.qd_sizing")
        return found

    found = asyncio.run(both())
    assert "jupyter.widget" in found[NORMAL]["comm_targets"]
    assert found[FORKING] == found[NORMAL]


TAKE = """
from ipywidgets.widgets import widget as ipw
from qdpv.ui.kit import ahead
ready_before, registry_before = sorted(ahead.ready()), len(ipw._instances)
from qdpv.ui.qd_sizing import build
app = build()
second = build()
result = {
    "ready_before": ready_before, "ready_after": sorted(ahead.ready()),
    "registry_before": registry_before, "registry_after": len(ipw._instances),
    "opened": sum(type(w.comm).__name__ not in ("NoneType", "DummyComm") for w in ipw._instances.values()),
    "app_widgets": len(app.widget.children[1].children[0].children),
}
"""


def test_a_forked_kernel_takes_the_app_its_template_built_ahead_and_builds_any_other():
    """voila.json has the template build every app (qdpv.ui.kit.ahead.prepare): a forked kernel starts with them
    ready and none of their widgets in its registry, so a page without an app (the gallery) is sent none; the
    app's first build() takes its ready app, whose widgets then have comms of this kernel."""

    async def take():
        async with kernel(parent(FORKING, kit_preload())) as (_manager, client):
            return await run(client, TAKE)

    found = asyncio.run(take())
    assert "qdpv.ui.kit.ahead:prepare" in kit_preload()
    apps = sorted(f"qdpv.ui.{m}" for m in ("msn_templating", "qd_sizing", "band_alignment", "device_jv",
                                           "carriers_stability", "design_your_cell"))
    assert found["ready_before"] == apps
    assert found["ready_after"] == [m for m in apps if m != "qdpv.ui.qd_sizing"]
    assert found["registry_before"] < 5, "a ready app's widgets would be sent to every page"
    assert found["registry_after"] > 100  # the taken app's widgets and the second, built, app's
    assert found["opened"] >= found["registry_after"] - found["registry_before"]


def test_a_forked_kernel_takes_its_own_environment_not_the_first_kernels(tmp_path):
    async def two():
        owner = parent(FORKING, kit_preload())
        first_env = {**os.environ, "QDPV_ONLY_FIRST": "1"}
        async with kernel(owner, env=first_env, cwd=str(tmp_path)) as (manager, client):
            first = await run(client, "import os\nresult = os.environ.get('QDPV_ONLY_FIRST')")
            template = _template_pid(manager)
        async with kernel(owner, env=dict(os.environ), cwd="/") as (manager, client):
            second = await probe(client)
            assert _template_pid(manager) == template  # one template for both
        return first, second

    first, second = asyncio.run(two())
    assert first == "1"
    assert "QDPV_ONLY_FIRST" not in second["env"] and second["cwd"] == "/"


def test_kernels_forked_from_one_template_draw_their_own_random_numbers():
    code = "import random, numpy\nresult = [random.random(), *numpy.random.rand(2).tolist()]"

    async def draws():
        owner = parent(FORKING, kit_preload())
        found = []
        for _ in range(2):
            async with kernel(owner) as (_manager, client):
                found.append(await run(client, code))
        return found

    first, second = asyncio.run(draws())
    assert all(a != b for a, b in zip(first, second, strict=True))


def test_interrupt_stops_the_running_cell_of_a_forked_kernel():
    async def interrupted():
        async with kernel(parent(FORKING, kit_preload())) as (manager, client):
            msg_id = client.execute("import time\ntime.sleep(60)")
            await asyncio.sleep(0.5)
            await manager.interrupt_kernel()
            while True:
                reply = await client.get_shell_msg(timeout=15)
                if reply["parent_header"].get("msg_id") == msg_id:
                    return reply["content"]

    content = asyncio.run(interrupted())
    assert content["status"] == "error" and content["ename"] == "KeyboardInterrupt"


def test_killing_a_forked_kernel_reaches_its_process_group_and_the_template_reaps_it():
    async def killed():
        async with kernel(parent(FORKING, kit_preload())) as (manager, client):
            child = await run(client, "import subprocess\nresult = subprocess.Popen(['sleep', '600']).pid")
            pid = manager.provisioner.pid
            await manager.shutdown_kernel(now=True)  # SIGKILL to the kernel's process group
            return pid, child

    pid, child = asyncio.run(killed())
    assert gone(pid, within_s=10)  # not even a zombie: the template reaped it
    assert gone(child, within_s=10, zombie_counts=True)


def test_restart_forks_a_fresh_kernel_on_the_same_connection_file():
    async def restarted():
        async with kernel(parent(FORKING, kit_preload())) as (manager, client):
            await run(client, "x = 1\nresult = None")
            before = await probe(client)
            await manager.restart_kernel(now=True)
            await client.wait_for_ready(timeout=120)
            after = await probe(client)
            kept = await run(client, "result = 'x' in dir()")
            return before, after, kept, _template_pid(manager)

    before, after, kept, template = asyncio.run(restarted())
    assert after["pid"] != before["pid"] and after["ppid"] == template
    assert after["connection_file"] == before["connection_file"] and after["key"] == before["key"]
    assert kept is False
    assert gone(before["pid"], within_s=10)


def test_shutdown_ends_a_forked_kernel_with_exit_code_zero():
    async def shut():
        async with kernel(parent(FORKING, kit_preload())) as (manager, _client):
            process = manager.provisioner.process
            await manager.shutdown_kernel()
            return process.pid, process.returncode, await manager.is_alive()

    pid, code, alive = asyncio.run(shut())
    assert (code, alive) == (0, False)
    assert gone(pid, within_s=10)


def test_kernels_end_when_their_template_is_closed_as_when_the_server_exits():
    async def orphaned():
        async with kernel(parent(FORKING, ["json"])) as (manager, _client):
            pid = manager.provisioner.pid
            manager.provisioner.process._template.close()
            return pid

    assert gone(asyncio.run(orphaned()), within_s=15)


def test_forking_works_in_a_server_with_more_than_1024_open_files():
    """A class server holds dozens of kernels' sockets: its file descriptors pass select()'s limit of 1024 (the
    load test's server failed pages with "filedescriptor out of range in select()")."""
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:

        async def forked():
            async with kernel(parent(FORKING, kit_preload())) as (manager, client):
                return await run(client, "import os\nresult = os.getppid()"), _template_pid(manager)

        ppid, template = asyncio.run(forked())
    finally:
        for fd in held:
            os.close(fd)
    assert ppid == template


@pytest.mark.parametrize(
    ("preload", "reason"),
    [
        (["qdpv_no_such_module"], "No module named 'qdpv_no_such_module'"),
        (["qdpv_testing.kernels:start_a_thread"], "the template runs 2 threads after preloading; forking needs one"),
    ],
)
def test_a_template_that_cannot_serve_leaves_kernels_to_start_normally_and_says_why(preload, reason, caplog):
    async def fallen_back():
        async with kernel(parent(FORKING, preload)) as (manager, client):
            return await run(client, "import os\nresult = os.getppid()"), type(manager.provisioner.process).__name__

    with caplog.at_level(logging.WARNING):
        ppid, process = asyncio.run(fallen_back())
    assert ppid == os.getpid() and process == "Popen"
    warned = [r.getMessage() for r in caplog.records if "kernels start normally" in r.getMessage()]
    assert any(reason in message for message in warned), warned


def test_off_linux_kernels_start_normally_with_a_note_not_a_warning(monkeypatch, caplog):
    """A learner's own Mac: no fork, and a normal start-up log (the note is information, not a warning)."""
    monkeypatch.setattr(forking.sys, "platform", "darwin")

    async def started():
        async with kernel(parent(FORKING, kit_preload())) as (manager, client):
            return await run(client, "import os\nresult = os.getppid()"), type(manager.provisioner.process).__name__

    with caplog.at_level(logging.INFO):
        ppid, process = asyncio.run(started())
    assert ppid == os.getpid() and process == "Popen"
    said = [r for r in caplog.records if "kernels start normally" in r.getMessage()]
    assert said and all(r.levelno == logging.INFO for r in said) and "Linux only" in said[0].getMessage()


@pytest.mark.parametrize(
    ("cmd", "argv"),
    [
        (["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "k.json"], ["-f", "k.json"]),
        (["python", "-m", "ipykernel", "-f", "k.json", "--debug"], ["-f", "k.json", "--debug"]),
        (["python", "-m", "other_kernel", "-f", "k.json"], None),
        (["R", "--slave", "-e", "IRkernel::main()", "--args", "k.json"], None),
        (["python"], None),
    ],
)
def test_only_python_m_ipykernel_commands_are_forked(cmd, argv):
    assert forking.forkable(cmd) == argv


def test_the_template_is_keyed_on_what_decides_how_python_starts():
    base = {"PATH": "/usr/bin", "HOME": "/h", "PYTHONPATH": "/lib"}
    assert forking.startup_key(base) == forking.startup_key({**base, "HOME": "/other", "QUERY_STRING": "a=1"})
    assert forking.startup_key(base) != forking.startup_key({**base, "PYTHONPATH": "/elsewhere"})
    assert forking.template_env({**base, "VOILA_KERNEL_ID": "k", "JPY_SESSION_NAME": "s"}) == base

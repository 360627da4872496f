"""The Zero to JupyterHub deployment (deploy/jupyterhub, docs/deploy.md) held to the project it serves: the image
installs the project's own pins on the project's Python, its jupyterhub matches the chart's hub, the landing page
is a notebook that exists, culling matches voila.json, and memory and CPU cover the measured figures."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from qdpv_testing import quoted

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy" / "jupyterhub"
DOC = ROOT / "docs" / "deploy.md"

# z2jh chart version -> the JupyterHub version its hub runs. Source: the z2jh changelog
# (zero-to-jupyterhub-k8s, docs/source/changelog.md): "4.4.0 - 2026-06-10 ... upgrades JupyterHub to 5.5.0".
CHART_HUB = {"4.4.0": "5.5.0"}

# Voila pages a learner has open at once, and the memory limit's headroom over them: docs/deploy.md's arithmetic,
# which qdpv_testing.quoted does for the figures the document quotes.
APPS_OPEN_AT_ONCE = quoted.APPS_OPEN_AT_ONCE
LIMIT_HEADROOM = quoted.LIMIT_HEADROOM
# Longest acceptable time to open the heaviest app, s, when every learner on a full node opens one at once and
# each gets only its CPU guarantee: a few times what a lone learner waits (docs/performance.md).
WORST_OPEN_S = 20.0
# The hub culls a whole server no sooner than voila.json culls an idle kernel on one machine, and within the
# same order of magnitude: a break shorter than the kernel timeout keeps the learner's apps either way.
CULL_RATIO_RANGE = (1.0, 10.0)

# JupyterHub's ByteSpecification (jupyterhub/traitlets.py), which KubeSpawner uses for singleuser.memory:
# an integer number of bytes, or a number with one suffix K, M, G or T, each a power of 1024.
BYTE_SUFFIXES = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def byte_spec(value: int | float | str) -> int:
    """Bytes of a singleuser.memory value, read as JupyterHub reads it; ValueError for what it rejects."""
    if isinstance(value, bool):
        raise ValueError(f"not a memory specification: {value!r}")
    if isinstance(value, int | float):
        return int(value)
    number, suffix = value[:-1], value[-1:]
    if suffix not in BYTE_SUFFIXES or not re.fullmatch(r"\d+(\.\d+)?", number):
        raise ValueError(f"not a memory specification (a number with K, M, G or T): {value!r}")
    return int(float(number) * BYTE_SUFFIXES[suffix])


def cores(value: object) -> float:
    """Cores of a singleuser.cpu value: KubeSpawner's cpu_limit and cpu_guarantee are floats, not '500m'."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"not a positive number of cores: {value!r}")
    return float(value)


def _values() -> dict:
    return yaml.safe_load((DEPLOY / "values.yaml").read_text())


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (op.upper(), args.strip())
        for op, _, args in (line.partition(" ") for line in lines if line and not line.startswith("#"))
    ]


def _copies() -> list[tuple[list[str], str]]:
    """(sources, destination) of every COPY, its --flags dropped."""
    copies = []
    for op, args in _instructions():
        if op == "COPY":
            words = [w for w in args.split() if not w.startswith("--")]
            copies.append((words[:-1], words[-1]))
    return copies


def _runs() -> str:
    return "\n".join(args for op, args in _instructions() if op == "RUN")


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.split("==")[0].strip() for line in lines if "==" in line.split("#")[0]]


def _largest_app_kernel_mb() -> float:
    """Largest 'kernel RSS, MB' of an app (median / max cells: the max) in docs/performance.md's table."""
    lines = (ROOT / "docs" / "performance.md").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| app |"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")]
    col = header.index("kernel RSS, MB")
    largest = 0.0
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] != "floor":
            largest = max(largest, *(float(x) for x in cells[col].split("/")))
    assert largest > 0, "no app rows in docs/performance.md"
    return largest


def _doc_figure(label: str) -> float:
    """A value of the 'Figures measured for this deployment' table in docs/deploy.md."""
    match = re.search(rf"^\| {re.escape(label)} \| ([\d.]+) \|", quoted.plain(DOC.read_text()), re.MULTILINE)
    assert match, f"docs/deploy.md has no figure row {label!r}"
    return float(match.group(1))


SERVER_MB_LABEL = "single-user server RSS after a learner's session, MB"
OPEN_CPU_S_LABEL = "CPU time to open the heaviest app (server + kernel), s"


@pytest.mark.parametrize(
    ("spec", "expected"), [("512M", 512 * 2**20), ("1G", 2**30), ("1.5G", 3 * 2**29), (1000, 1000)]
)
def test_memory_values_are_read_as_jupyterhub_reads_them(spec, expected):
    assert byte_spec(spec) == expected


@pytest.mark.parametrize("spec", ["1Gi", "512MB", "G", "lots", True])
def test_memory_values_jupyterhub_rejects_are_rejected(spec):
    with pytest.raises(ValueError, match="memory specification"):
        byte_spec(spec)


@pytest.mark.parametrize("value", ["500m", 0, -1, None, True])
def test_cpu_values_that_are_not_cores_are_rejected(value):
    with pytest.raises(ValueError, match="cores"):
        cores(value)


def test_image_installs_the_projects_requirements_file_not_retyped_pins():
    assert any(sources == ["requirements.txt"] for sources, _ in _copies())
    assert "pip install --no-cache-dir -r requirements.txt" in _runs()
    pinned = set(re.findall(r"([A-Za-z0-9_.\-]+)==", (DEPLOY / "Dockerfile").read_text()))
    assert pinned == {"jupyterhub"}, f"pins typed into the Dockerfile: {pinned - {'jupyterhub'}}"
    assert not pinned & set(_requirements())


def test_base_image_is_an_official_stack_pinned_to_the_projects_python():
    image = next(args for op, args in _instructions() if op == "FROM").split()[0]
    name, _, tag = image.partition("@")[0].partition(":")  # a digest may follow the tag
    assert name.startswith("quay.io/jupyter/"), f"not a Jupyter Docker Stacks image: {image}"
    assert tag and tag != "latest", f"base image not pinned by tag: {image}"
    match = re.fullmatch(r"python-(\d+)\.(\d+)\.\d+", tag)
    assert match, f"the tag does not name the image's Python: {tag}"
    image_python = (int(match.group(1)), int(match.group(2)))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    target = re.fullmatch(r"py(\d)(\d+)", pyproject["tool"]["ruff"]["target-version"])
    assert image_python == (int(target.group(1)), int(target.group(2)))
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"])
    assert image_python >= (int(minimum.group(1)), int(minimum.group(2)))


def test_image_jupyterhub_matches_the_hub_of_the_chart_in_values():
    header = re.search(r"z2jh chart (\S+), which runs JupyterHub (\S+) ", (DEPLOY / "values.yaml").read_text())
    assert header, "values.yaml must name its z2jh chart and that chart's JupyterHub"
    chart, hub = header.groups()
    assert CHART_HUB.get(chart) == hub, f"chart {chart} is not known to run JupyterHub {hub}"
    arg = next(args for op, args in _instructions() if op == "ARG" and args.startswith("JUPYTERHUB_VERSION="))
    assert arg.partition("=")[2] == hub
    assert 'jupyterhub==${JUPYTERHUB_VERSION}"' in _runs()
    for path in (DEPLOY / "values.yaml", DOC):
        assert f"--version={chart} " in path.read_text(), f"{path.name}: helm command not on chart {chart}"


def test_image_runs_binder_post_build_and_copies_what_it_needs():
    assert "bash binder/postBuild" in _runs()
    sources = {src for srcs, _ in _copies() for src in srcs}
    assert all((ROOT / src).exists() for src in sources), sources
    readme = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["readme"]
    needed = {"requirements.txt", "pyproject.toml", readme, "voila.json", "lib", "share", "binder", "notebooks"}
    assert needed <= sources, f"not copied into the image: {needed - sources}"


def test_landing_page_is_the_gallery_where_the_image_puts_it():
    url = _values()["singleuser"]["defaultUrl"]
    prefix = "/voila/render/"
    assert url.startswith(prefix)
    notebook = url.removeprefix(prefix)
    assert (ROOT / notebook).is_file() and notebook.endswith(".ipynb")
    home = "/home/${NB_USER}"
    folder = Path(notebook).parts[0]
    assert ([folder], f"{home}/{folder}") in _copies(), f"{folder}/ is not copied into {home}"
    assert [args for op, args in _instructions() if op == "WORKDIR"][-1] == home, "the server's root is not home"
    assert notebook in (ROOT / "README.md").read_text(), "not the path the README gives for Binder"


def test_no_home_volume_to_hide_what_post_build_put_in_home():
    assert _values()["singleuser"]["storage"]["type"] == "none"


def test_image_tag_is_pinned():
    tag = _values()["singleuser"]["image"]["tag"]
    assert isinstance(tag, str) and tag and tag != "latest"


def test_memory_covers_the_measured_server_and_app_kernels():
    server_mb = _doc_figure(SERVER_MB_LABEL)
    kernel_mb = _largest_app_kernel_mb()
    memory = _values()["singleuser"]["memory"]
    guarantee, limit = byte_spec(memory["guarantee"]), byte_spec(memory["limit"])
    assert guarantee >= (server_mb + kernel_mb) * 1e6
    assert limit >= LIMIT_HEADROOM * (server_mb + APPS_OPEN_AT_ONCE * kernel_mb) * 1e6
    assert guarantee <= limit
    # the walk-through shows this arithmetic with the current figures
    doc = quoted.plain(DOC.read_text())
    assert f"{server_mb:g} + {kernel_mb:g} = {server_mb + kernel_mb:g} MB" in doc
    total = LIMIT_HEADROOM * (server_mb + APPS_OPEN_AT_ONCE * kernel_mb)
    assert f"{LIMIT_HEADROOM:g} x ({server_mb:g} + {APPS_OPEN_AT_ONCE} x {kernel_mb:g}) = {total:.0f} MB" in doc


def test_cpu_covers_opening_the_heaviest_app():
    cpu = _values()["singleuser"]["cpu"]
    guarantee, limit = cores(cpu["guarantee"]), cores(cpu["limit"])
    assert limit >= 1.0, "an app kernel is one process using up to one core: less stretches every app start"
    assert guarantee >= _doc_figure(OPEN_CPU_S_LABEL) / WORST_OPEN_S
    assert guarantee <= limit


def test_culling_matches_voila_json():
    cull = _values()["cull"]
    kernel_timeout_s = json.loads((ROOT / "voila.json").read_text())["MappingKernelManager"]["cull_idle_timeout"]
    assert cull["enabled"] is True
    low, high = CULL_RATIO_RANGE
    assert low <= cull["timeout"] / kernel_timeout_s < high
    assert 0 < cull["every"] < cull["timeout"]


def test_login_is_a_marked_placeholder():
    text = (DEPLOY / "values.yaml").read_text()
    assert _values()["hub"]["config"]["JupyterHub"]["authenticator_class"]
    assert re.search(r"# PLACEHOLDER: .*log in", text)
    assert "## Who may log in" in DOC.read_text()


# login values file -> (authenticator_class, the section of that authenticator's own options)
LOGINS = {"login-shared-password.yaml": ("shared-password", "SharedPasswordAuthenticator"),
          "login-github.yaml": ("github", "GitHubOAuthenticator")}


@pytest.mark.parametrize("name", LOGINS)
def test_login_files_let_in_only_the_class_and_keep_their_secrets_placeholders(name):
    authenticator, section = LOGINS[name]
    text = (DEPLOY / name).read_text()
    config = yaml.safe_load(text)["hub"]["config"]
    assert set(config) == {"JupyterHub", "Authenticator", section}
    assert config["JupyterHub"] == {"authenticator_class": authenticator}
    auth = config["Authenticator"]
    assert auth["admin_users"] and "allow_all" not in auth  # instructors named; nobody let in by default
    if authenticator == "shared-password":
        shared = config["SharedPasswordAuthenticator"]
        assert auth["allowed_users"]
        # JupyterHub 5.5's rules: user password >= 8 characters, admin password >= 32 and different
        assert len(shared["user_password"]) >= 8 and len(shared["admin_password"]) >= 32
        assert shared["user_password"] != shared["admin_password"]
        secrets = [shared["user_password"], shared["admin_password"]]
    else:
        github = config["GitHubOAuthenticator"]
        assert github["allowed_organizations"] and github["scope"] == ["read:org"]
        assert github["oauth_callback_url"].startswith("https://") and github["oauth_callback_url"].endswith(
            "/hub/oauth_callback")
        secrets = [github["client_id"], github["client_secret"]]
    assert all(s.startswith("CHANGE-ME") for s in secrets), "a login file in git must hold no real secret"
    assert f"`{name}`" in DOC.read_text() and "--values class-login.yaml" in text

"""The layers of the library, checked on the source: physics imports no UI, serving or Jupyter package, no module
of qdpv imports another in a circle, and no app computes the device itself.

The rules (``docs/style.md``): physics modules import only the standard library, numpy, scipy and each other;
``qdpv.ui`` and ``qdpv.serving`` import the physics, never the other way round; an app reads its controls, calls
the library and draws, so the quantities the illustrative device is made of (lifetimes, interface velocities,
saturation currents, diode parameters) are computed by :func:`qdpv.device.device_from_knobs`, not in an app.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[1] / "lib"
PACKAGE = LIB / "qdpv"
NON_PHYSICS = ("qdpv.ui", "qdpv.serving")
PHYSICS_MAY_IMPORT = {"numpy", "scipy", "qdpv"}

# Functions that turn knobs into the device: an app calling one of them is computing the device itself.
DEVICE_INTERNALS = {
    "srh_lifetime_s",
    "effective_density_of_states_cm3",
    "intrinsic_density_cm3",
    "radiative_j0_mA_cm2",
    "bulk_j0_mA_cm2",
    "interface_j0_mA_cm2",
    "j0_at_ideality_mA_cm2",
    "passivated_velocity_cm_s",
    "size_match",
    "device_parameters",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(LIB).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_module(name: str) -> bool:
    return name in MODULES


def _imports(name: str) -> set[str]:
    """Every module ``name`` imports, at module level or inside functions (absolute names)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                base_name = ".".join(base + ([node.module] if node.module else []))
            else:
                base_name = node.module or ""
            found.add(base_name)
            found |= {f"{base_name}.{a.name}" for a in node.names if _is_module(f"{base_name}.{a.name}")}
    return {m for m in found if m}


def _physics_modules() -> list[str]:
    return [m for m in MODULES if not m.startswith(NON_PHYSICS)]


def test_the_layout_has_physics_ui_and_serving_apart():
    physics = _physics_modules()
    assert "qdpv.device" in physics and "qdpv.recombination" in physics
    assert any(m.startswith("qdpv.ui.") for m in MODULES)


@pytest.mark.parametrize("module", _physics_modules())
def test_physics_imports_only_the_standard_library_numpy_scipy_and_physics(module):
    for imported in _imports(module):
        top = imported.split(".")[0]
        assert top in sys.stdlib_module_names or top in PHYSICS_MAY_IMPORT, f"{module} imports {imported}"
        assert not imported.startswith(NON_PHYSICS), f"{module} imports {imported}"


def test_no_module_of_qdpv_imports_another_in_a_circle():
    graph = {m: {i for i in _imports(m) if i in MODULES and i != m} for m in MODULES}
    # a package's __init__ re-exporting its submodules is not a circle with them
    graph = {m: {i for i in deps if not (m.startswith(i + ".") and MODULES[i].name == "__init__.py")}
             for m, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle = [*path[path.index(n):], n] if n in path else [m, n]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if n not in state:
                visit(n, [*path, n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])


def _app_modules() -> list[str]:
    return [m for m in MODULES if m.startswith("qdpv.ui.") and not m.startswith("qdpv.ui.kit")]


@pytest.mark.parametrize("module", _app_modules())
def test_no_app_computes_the_device_itself(module):
    tree = ast.parse(MODULES[module].read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert called not in DEVICE_INTERNALS, (
                f"{module} line {node.lineno} calls {called}: use qdpv.device.device_from_knobs"
            )
        if isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            assert not names & DEVICE_INTERNALS, f"{module} imports {names & DEVICE_INTERNALS}"
    imported = {i.split(".")[0] for i in _imports(module)}
    assert "scipy" not in imported, f"{module} imports scipy: numerical physics belongs in the library"


def test_the_device_check_would_catch_an_app_that_derives_a_lifetime():
    # the check above must be able to fail: the code an app used to carry is caught by it
    snippet = "tau = recombination.srh_lifetime_s(10.0 ** v['log_nt'], 1e-16, 1e7)"
    calls = [n for n in ast.walk(ast.parse(snippet)) if isinstance(n, ast.Call)]
    assert any(getattr(c.func, "attr", "") in DEVICE_INTERNALS for c in calls)

"""Input validation at the library's edge.

Every public function of :mod:`qdpv` checks its arguments with these helpers, so that a bad value always
produces the same kind of message: a ``ValueError`` that names the parameter, the offending value and the
allowed range, e.g. ``ValueError("size_nm must be in (0, 100] nm, got -3")``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["check_array", "check_choice", "check_increasing"]


def _fmt(x: float) -> str:
    if np.isposinf(x):
        return "inf"
    if np.isneginf(x):
        return "-inf"
    return f"{x:g}"


def _interval(lo: float, hi: float, lo_closed: bool, hi_closed: bool) -> str:
    left = "[" if lo_closed and np.isfinite(lo) else "("
    right = "]" if hi_closed and np.isfinite(hi) else ")"
    return f"{left}{_fmt(lo)}, {_fmt(hi)}{right}"


def check_array(
    name: str,
    value: object,
    lo: float = -np.inf,
    hi: float = np.inf,
    *,
    unit: str = "",
    lo_closed: bool = False,
    hi_closed: bool = True,
    min_size: int = 0,
) -> np.ndarray:
    """Return ``value`` as a float array after checking every element lies in the interval.

    Parameters
    ----------
    name : str
        Parameter name used in the message (write it as the caller spells it, with its unit suffix).
    value : array_like
        Scalar or array of numbers.
    lo, hi : float
        Interval bounds; ``lo_closed``/``hi_closed`` say whether each bound is allowed.
    unit : str
        Unit shown after the interval in the message.
    min_size : int
        Minimum number of elements.

    Raises
    ------
    ValueError
        If ``value`` is not numeric, contains NaN, has fewer than ``min_size`` elements, or leaves the interval.
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} values, got {arr.size}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN, got {_preview(arr)}")
    below = arr < lo if lo_closed else arr <= lo
    above = arr > hi if hi_closed else arr >= hi
    bad = below | above
    if bad.any():
        first = arr[bad].flat[0]
        unit_txt = f" {unit}" if unit else ""
        raise ValueError(
            f"{name} must be in {_interval(lo, hi, lo_closed, hi_closed)}{unit_txt}, got {_fmt(first)}"
        )
    return arr


def check_choice(name: str, value: str, choices: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise raise ``ValueError`` listing them."""
    options = list(choices)
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")
    return value


def check_increasing(name: str, arr: np.ndarray, *, strict: bool = True) -> np.ndarray:
    """Raise ``ValueError`` naming ``name`` unless the 1-D array ``arr`` increases (strictly by default)."""
    steps = np.diff(np.asarray(arr, dtype=float))
    bad = steps <= 0 if strict else steps < 0
    if bad.any():
        i = int(np.argmax(bad))
        kind = "strictly increasing" if strict else "non-decreasing"
        raise ValueError(f"{name} must be {kind}, got {_fmt(arr[i])} followed by {_fmt(arr[i + 1])}")
    return arr


def _preview(arr: np.ndarray) -> str:
    flat = arr.ravel()
    text = ", ".join(_fmt(x) for x in flat[:5])
    return f"[{text}{', ...' if flat.size > 5 else ''}]"

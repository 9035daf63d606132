"""Probability distributions for the assumptions of a projection (issue 7).

A distribution describes what an assumption (the LCFF COLA, ADA change, expenditure
growth, the health trend, turnover, ...) might turn out to be. It is plain data: built in
Python or read from a ``[assumptions.<name>]`` table of a scenario or assumptions file
(:func:`from_table`), compared, hashed.

The *location* of a distribution (the mean of a normal, the median of a lognormal, the
mode of a triangular) defaults to the assumption's **central value** in each year, the one
the deterministic projection uses (``center``): a spread around the district's own
figures. Give it explicitly to move the distribution.

Every distribution is sampled by transforming standard draws, so the draws of one
assumption can be shared by every scenario (common random numbers: the difference
between two scenarios in a draw is their cost difference, not noise):

==============  ==========================================  =============================
kind            value for a standard normal ``z`` /          parameters
                uniform ``u``
==============  ==========================================  =============================
``normal``      ``mean + sd z``                              ``sd``, ``mean`` (center)
``lognormal``   ``median exp(sigma z)``                      ``sigma``, ``median`` (center)
``triangular``  inverse CDF of ``u`` on ``(low, mode, high)``  ``low``, ``high`` or ``width``;
                                                             ``mode`` (center)
``uniform``     ``low + (high - low) u``                     ``low``, ``high`` or ``width``
``resample``    ``values[floor(u n)]`` (with replacement)    ``values``
``fixed``       ``value`` (no spread)                        ``value`` (center)
==============  ==========================================  =============================

``width`` gives a range ``center - width`` to ``center + width`` that follows the central
value year by year. ``years`` says how the draws relate across fiscal years:
``"independent"`` (a fresh draw each year, the default) or ``"common"`` (one draw per
simulation, the same every year: a persistent error).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from statistics import NormalDist
from typing import Any, ClassVar

import numpy as np

__all__ = [
    "DISTRIBUTIONS",
    "Distribution",
    "DistributionError",
    "Fixed",
    "LogNormal",
    "Normal",
    "Resample",
    "Triangular",
    "Uniform",
    "from_table",
]

YEAR_MODES = ("independent", "common")
_STD_NORMAL = NormalDist()


class DistributionError(ValueError):
    """A distribution that cannot be sampled (bad parameters, unknown kind); the message
    names the input."""


def _num(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | np.floating | np.integer):
        raise DistributionError(f"{what} must be a number, got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise DistributionError(f"{what} must be a finite number, got {value!r}")
    return x


@dataclass(frozen=True, kw_only=True)
class Distribution:
    """Base class: ``years`` is ``"independent"`` or ``"common"`` (see the module)."""

    kind: ClassVar[str] = ""
    uses: ClassVar[str] = "normal"  # the standard draw transformed: "normal" or "uniform"
    years: str = "independent"

    def __post_init__(self) -> None:
        if self.years not in YEAR_MODES:
            raise DistributionError(f"{self.kind}: years must be one of {', '.join(YEAR_MODES)}, got {self.years!r}")

    # -- the transform every subclass defines -------------------------------------
    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def quantile(self, q: float, center: np.ndarray | float = 0.0) -> np.ndarray:
        """The ``q`` quantile (0 < q < 1) in each year of ``center``."""
        if not 0 < float(q) < 1:
            raise DistributionError(f"quantile must be strictly between 0 and 1, got {q!r}")
        std = _STD_NORMAL.inv_cdf(float(q)) if self.uses == "normal" else float(q)
        return self.transform(np.asarray(std, dtype=float), np.asarray(center, dtype=float))

    def mean(self, center: np.ndarray | float = 0.0) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def variance(self, center: np.ndarray | float = 0.0) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, draws: int, center: np.ndarray | float) -> np.ndarray:
        """``draws`` values for every year of ``center`` (shape ``(draws, *center.shape)``).

        ``center``'s last axis is fiscal years; with ``years="common"`` one standard
        draw serves every year, otherwise each year has its own. Leading axes of
        ``center`` (e.g. tiers of a health plan) share the draw: they move together.
        """
        center = np.asarray(center, dtype=float)
        T = center.shape[-1] if center.ndim else 1
        n = 1 if self.years == "common" else T
        std = rng.standard_normal((draws, n)) if self.uses == "normal" else rng.random((draws, n))
        std = std.reshape((draws,) + (1,) * max(center.ndim - 1, 0) + (n,))
        out = self.transform(std, center)
        return np.broadcast_to(out, (draws, *center.shape)) if center.ndim else out.reshape(draws)

    # -- as data -----------------------------------------------------------------
    def to_table(self) -> dict[str, Any]:
        """The distribution as a ``[assumptions.<name>]`` table (values as in code)."""
        out: dict[str, Any] = {"distribution": self.kind}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "years" and v == "independent":
                continue
            if v is None:
                continue
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out

    def describe(self, scale: float = 1.0, unit: str = "") -> str:
        """A short readable description, values multiplied by ``scale`` (100 for percent)."""
        parts = []
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "years" or v is None:
                continue
            if isinstance(v, tuple):
                parts.append(f"{f.name} = {len(v)} values")
            else:
                parts.append(f"{f.name} = {v * scale:g}{unit}")
        years = "" if self.years == "independent" else ", one draw for all years"
        return f"{self.kind}({', '.join(parts) or 'central value'}{years})"


@dataclass(frozen=True, kw_only=True)
class Normal(Distribution):
    """``mean + sd z``; ``mean`` defaults to the central value.

    >>> Normal(sd=0.01).quantile(0.5, center=0.03).item()
    0.03
    """

    kind: ClassVar[str] = "normal"
    sd: float
    mean_value: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if _num(self.sd, "normal: sd") < 0:
            raise DistributionError(f"normal: sd must be 0 or more, got {self.sd}")
        if self.mean_value is not None:
            _num(self.mean_value, "normal: mean")

    def _loc(self, center: np.ndarray) -> np.ndarray:
        return center if self.mean_value is None else np.full_like(center, float(self.mean_value))

    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:
        return self._loc(np.asarray(center, float)) + float(self.sd) * std

    def mean(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        return self._loc(np.asarray(center, float))

    def variance(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        return np.full(np.shape(center), float(self.sd) ** 2)


@dataclass(frozen=True, kw_only=True)
class LogNormal(Distribution):
    """``median exp(sigma z)`` for a positive quantity; ``median`` defaults to the central
    value, which must then be above 0.

    >>> round(float(LogNormal(sigma=0.5, median_value=2.0).mean()), 4)  # 2 exp(0.125)
    2.2663
    """

    kind: ClassVar[str] = "lognormal"
    sigma: float
    median_value: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if _num(self.sigma, "lognormal: sigma") < 0:
            raise DistributionError(f"lognormal: sigma must be 0 or more, got {self.sigma}")
        if self.median_value is not None and _num(self.median_value, "lognormal: median") <= 0:
            raise DistributionError(f"lognormal: median must be above 0, got {self.median_value}")

    def _median(self, center: np.ndarray) -> np.ndarray:
        if self.median_value is not None:
            return np.full_like(center, float(self.median_value))
        if np.any(center <= 0):
            raise DistributionError(f"lognormal: the central value must be above 0 to serve as the median, got "
                                    f"{np.asarray(center).ravel()[:5].tolist()}; give median")
        return center

    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:
        return self._median(np.asarray(center, float)) * np.exp(float(self.sigma) * std)

    def mean(self, center: np.ndarray | float = 1.0) -> np.ndarray:
        return self._median(np.asarray(center, float)) * math.exp(float(self.sigma) ** 2 / 2)

    def variance(self, center: np.ndarray | float = 1.0) -> np.ndarray:
        s2 = float(self.sigma) ** 2
        return self._median(np.asarray(center, float)) ** 2 * math.exp(s2) * (math.exp(s2) - 1)


def _range(d: Any, center: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if d.width is not None:
        return center - float(d.width), center + float(d.width)
    return np.full_like(center, float(d.low)), np.full_like(center, float(d.high))


def _check_range(d: Any) -> None:
    name = d.kind
    if d.width is not None:
        if d.low is not None or d.high is not None:
            raise DistributionError(f"{name}: give low and high, or width, not both")
        if _num(d.width, f"{name}: width") < 0:
            raise DistributionError(f"{name}: width must be 0 or more, got {d.width}")
        return
    if d.low is None or d.high is None:
        raise DistributionError(f"{name}: give low and high (or width, around the central value)")
    if _num(d.low, f"{name}: low") > _num(d.high, f"{name}: high"):
        raise DistributionError(f"{name}: low ({d.low}) is above high ({d.high})")


@dataclass(frozen=True, kw_only=True)
class Triangular(Distribution):
    """Triangular on ``(low, mode, high)``; ``mode`` defaults to the central value, which
    must then lie in the range.

    >>> Triangular(low=0.0, high=3.0, mode_value=1.0).mean().item()  # (0 + 1 + 3) / 3
    1.3333333333333333
    """

    kind: ClassVar[str] = "triangular"
    uses: ClassVar[str] = "uniform"
    low: float | None = None
    high: float | None = None
    width: float | None = None
    mode_value: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_range(self)
        if self.mode_value is not None:
            _num(self.mode_value, "triangular: mode")

    def _abc(self, center: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b = _range(self, center)
        c = center if self.mode_value is None else np.full_like(center, float(self.mode_value))
        if np.any(c < a) or np.any(c > b):
            raise DistributionError(f"triangular: the mode must lie between low and high; got mode "
                                    f"{np.asarray(c).ravel()[:5].tolist()} for {float(a.ravel()[0])} to "
                                    f"{float(b.ravel()[0])}")
        return a, c, b

    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:
        a, c, b = self._abc(np.asarray(center, float))
        span = b - a
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(span > 0, (c - a) / np.where(span > 0, span, 1.0), 0.0)
        left = a + np.sqrt(std * span * (c - a))
        right = b - np.sqrt((1.0 - std) * span * (b - c))
        return np.where(std < f, left, right)

    def mean(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        a, c, b = self._abc(np.asarray(center, float))
        return (a + b + c) / 3.0

    def variance(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        a, c, b = self._abc(np.asarray(center, float))
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0


@dataclass(frozen=True, kw_only=True)
class Uniform(Distribution):
    """Uniform from ``low`` to ``high`` (or the central value +/- ``width``).

    >>> Uniform(low=0.01, high=0.03).quantile(0.25).item()
    0.015
    """

    kind: ClassVar[str] = "uniform"
    uses: ClassVar[str] = "uniform"
    low: float | None = None
    high: float | None = None
    width: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_range(self)

    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:
        a, b = _range(self, np.asarray(center, float))
        return a + (b - a) * std

    def mean(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        a, b = _range(self, np.asarray(center, float))
        return (a + b) / 2.0

    def variance(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        a, b = _range(self, np.asarray(center, float))
        return (b - a) ** 2 / 12.0


@dataclass(frozen=True, kw_only=True)
class Resample(Distribution):
    """Draw with replacement from observed ``values`` (e.g. the LCFF COLAs of past years,
    or the district's past forecast errors); the central value is ignored. The ``u``
    quantile is the sorted values' ``floor(u n)``-th (0-based).

    >>> Resample(values=(0.05, 0.0, 0.01)).quantile(0.5).item()  # sorted[floor(0.5 x 3)]
    0.01
    """

    kind: ClassVar[str] = "resample"
    uses: ClassVar[str] = "uniform"
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.values, str | bytes) or not isinstance(self.values, Sequence | np.ndarray):
            raise DistributionError(f"resample: values must be a list of numbers, got {self.values!r}")
        vals = tuple(_num(v, f"resample: values[{i}]") for i, v in enumerate(self.values))
        if not vals:
            raise DistributionError("resample: values is empty (nothing to resample)")
        object.__setattr__(self, "values", vals)

    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:
        v = np.sort(np.asarray(self.values, dtype=float))  # sorted: u is then a quantile
        idx = np.minimum((np.asarray(std) * len(v)).astype(np.int64), len(v) - 1)
        out = v[idx]
        return out + np.zeros_like(np.asarray(center, float))

    def mean(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        return np.full(np.shape(center), float(np.mean(self.values)))

    def variance(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        return np.full(np.shape(center), float(np.var(self.values)))


@dataclass(frozen=True, kw_only=True)
class Fixed(Distribution):
    """No spread: ``value`` (default the central value) in every draw.

    >>> Fixed().quantile(0.9, center=0.0308).item()
    0.0308
    """

    kind: ClassVar[str] = "fixed"
    value: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.value is not None:
            _num(self.value, "fixed: value")

    def transform(self, std: np.ndarray, center: np.ndarray) -> np.ndarray:
        c = np.asarray(center, float)
        base = c if self.value is None else np.full_like(c, float(self.value))
        return base + np.zeros_like(np.asarray(std, float))

    def mean(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        c = np.asarray(center, float)
        return c if self.value is None else np.full_like(c, float(self.value))

    def variance(self, center: np.ndarray | float = 0.0) -> np.ndarray:
        return np.zeros(np.shape(center))


DISTRIBUTIONS: dict[str, type[Distribution]] = {
    c.kind: c for c in (Normal, LogNormal, Triangular, Uniform, Resample, Fixed)
}
#: file key -> dataclass field, where they differ (``mean`` would shadow the method)
_FILE_KEYS = {"mean": "mean_value", "median": "median_value", "mode": "mode_value"}
_CODE_KEYS = {v: k for k, v in _FILE_KEYS.items()}
#: parameters in the assumption's own unit (scaled from percent in files); ``sigma`` is
#: unitless (a lognormal's log-scale spread)
_SCALED = {"sd", "mean", "median", "mode", "low", "high", "width", "value", "values"}


def from_table(table: Mapping[str, Any], *, scale: float = 1.0, where: str = "<assumptions>") -> Distribution:
    """A distribution from a ``[assumptions.<name>]`` table: ``distribution`` (one of
    :data:`DISTRIBUTIONS`), its parameters and optionally ``years``. Values in the
    assumption's file unit are multiplied by ``scale`` (0.01 for an assumption given in
    percent) except ``sigma``. ``where`` names the table in error messages.

    >>> from_table({"distribution": "normal", "sd": 1.0}, scale=0.01)
    Normal(years='independent', sd=0.01, mean_value=None)
    """
    if not isinstance(table, Mapping):
        raise DistributionError(f"{where}: expected a table with a distribution key, got {table!r}")
    kind = table.get("distribution")
    if kind not in DISTRIBUTIONS:
        raise DistributionError(f"{where}: distribution must be one of {', '.join(DISTRIBUTIONS)}, got {kind!r}")
    cls = DISTRIBUTIONS[kind]
    allowed = {_CODE_KEYS.get(f.name, f.name) for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key == "distribution":
            continue
        if key not in allowed:
            raise DistributionError(f"{where}: unknown key {key!r} for a {kind} distribution; expected "
                                    f"{', '.join(sorted(allowed))}")
        if key in _SCALED:
            if key == "values":
                if not isinstance(value, list | tuple):
                    raise DistributionError(f"{where}: values must be a list of numbers, got {value!r}")
                value = tuple(_scaled(v, scale, f"{where}: values") for v in value)
            else:
                value = _scaled(value, scale, f"{where}: {key}")
        kwargs[_FILE_KEYS.get(key, key)] = value
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise DistributionError(f"{where}: {exc}") from exc
    except DistributionError as exc:
        raise DistributionError(f"{where}: {exc}") from exc


def _scaled(value: Any, scale: float, what: str) -> float:
    if isinstance(value, Decimal):
        return float(value * Decimal(str(scale))) if scale != 1.0 else float(value)
    return _num(value, what) * scale


def to_file_table(d: Distribution, *, scale: float = 1.0) -> dict[str, Any]:
    """The inverse of :func:`from_table`: values divided by ``scale`` (percent in files)."""
    out: dict[str, Any] = {}
    for key, value in d.to_table().items():
        key = _CODE_KEYS.get(key, key)
        if key in _SCALED and scale != 1.0:
            if isinstance(value, list):
                value = [_unscale(v, scale) for v in value]
            else:
                value = _unscale(value, scale)
        out[key] = value
    return out


def _unscale(value: float, scale: float) -> Decimal:
    return (Decimal(repr(float(value))) / Decimal(str(scale))).normalize()

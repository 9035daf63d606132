"""What-if controls for the notebooks: sliders over a pure function.

In JupyterLab, :func:`controls` is ``ipywidgets.interact`` with one ``FloatSlider`` per
argument: moving a slider calls the function again. Run headless (``COSTING_NO_WIDGETS``
set in the environment, as the test suite and ``costing report`` do) it calls the
function once with the sliders' starting values and creates no widget: executing a
widget cell without a front end intermittently left the kernel's reply to that cell
undelivered (the executor then waited out its whole timeout), a known problem of
executing ipywidgets headless (jupyter/nbclient#312).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["HEADLESS_ENV", "controls", "headless"]

HEADLESS_ENV = "COSTING_NO_WIDGETS"


def headless() -> bool:
    """True when widgets are not to be created (``COSTING_NO_WIDGETS`` set, not "0")."""
    return os.environ.get(HEADLESS_ENV, "") not in ("", "0")


def controls(function: Callable[..., Any], **sliders: Mapping[str, Any]) -> Any:
    """Sliders over ``function``: each keyword is one argument, given as the
    ``FloatSlider`` settings ``value``, ``min``, ``max``, ``step`` and ``description``.

    Returns the ``ipywidgets.interact`` controls, or headless the function's result.

    >>> os.environ[HEADLESS_ENV] = "1"
    >>> controls(lambda a, b: a + b, a={"value": 1.0, "min": 0, "max": 5}, b={"value": 2.0, "min": 0, "max": 5})
    3.0
    >>> del os.environ[HEADLESS_ENV]
    """
    for name, spec in sliders.items():
        if "value" not in spec:
            raise ValueError(f"slider {name!r} needs a starting value")
    if headless():
        return function(**{name: spec["value"] for name, spec in sliders.items()})
    import ipywidgets as widgets

    made = widgets.interact(function, **{name: widgets.FloatSlider(**spec) for name, spec in sliders.items()})
    if made.widget.result is None:
        raise RuntimeError("the what-if failed to draw (see the traceback above)")
    return made

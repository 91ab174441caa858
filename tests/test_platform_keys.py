"""No key the app binds is one a terminal on Windows or macOS keeps for itself.

Textual switches the Windows console to VT input, where conhost takes none of its ctrl shortcuts
(Find, Mark, Select all, paste) and sends F-keys as an xterm does; what is left to the window is
below, with Windows Terminal's default key bindings and the common macOS ones. A key added to
the app from this list would never reach it there."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import tvm_vote_tui.app

KEPT_BY_TERMINALS = {
    # Windows Terminal (its default key bindings) and the classic console
    "f11": "full screen (Windows Terminal)",
    "alt+enter": "full screen (both)",
    "alt+f4": "close the window",
    "alt+space": "the window menu",
    "alt+up": "move between panes",
    "alt+down": "move between panes",
    "alt+left": "move between panes",
    "alt+right": "move between panes",
    "ctrl+tab": "next tab",
    "ctrl+shift+tab": "previous tab",
    "ctrl+comma": "settings",
    "ctrl+plus": "font size",
    "ctrl+minus": "font size",
    "ctrl+0": "font size",
    "ctrl+insert": "copy",
    "shift+insert": "paste",
    "ctrl+escape": "the Start menu",
    # macOS (Mission Control, Spaces, the Terminal app's own menu keys arrive as cmd+, never here)
    "ctrl+up": "Mission Control (macOS)",
    "ctrl+down": "application windows (macOS)",
    "ctrl+left": "the Space to the left (macOS)",
    "ctrl+right": "the Space to the right (macOS)",
}


def _bindings() -> dict[str, str]:
    """Every key bound in the app's modules, and where."""
    found: dict[str, str] = {}
    for module_info in pkgutil.walk_packages(tvm_vote_tui.app.__path__, "tvm_vote_tui.app."):
        module = importlib.import_module(module_info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or cls.__module__ != module.__name__:
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                keys = binding.key if isinstance(binding, Binding) else binding[0]
                for key in keys.split(","):
                    found[key.strip()] = f"{module.__name__}.{name}"
    return found


def test_no_key_the_app_binds_is_kept_by_a_terminal() -> None:
    bound = _bindings()
    assert {"ctrl+q", "f1", "f4", "f9", "ctrl+s", "ctrl+z"} <= bound.keys(), sorted(bound)
    clashes = {k: (where, KEPT_BY_TERMINALS[k]) for k, where in bound.items() if k in KEPT_BY_TERMINALS}
    assert not clashes, clashes

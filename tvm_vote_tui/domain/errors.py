"""The one error a refused change raises, whatever refused it (the session, a roster check)."""

from __future__ import annotations


class ChangeRefused(ValueError):
    """A change that is not allowed (the vote is closed, a value is wrong), said plainly."""

"""Sentences every published text shares, so the announcement and the results never differ."""

from __future__ import annotations

from tvm_vote_tui.domain.model import Kind
from tvm_vote_tui.domain.proposal import bare_title
from tvm_vote_tui.domain.rules import Rule

__all__ = ["bare_title", "rule_sentence"]


def rule_sentence(rule: Rule, kind: Kind, *, applied: bool) -> str:
    """Which rule decides the vote and how it reads 'at least 3 votes': before (the call for
    votes) or after (the result)."""
    if applied:
        text = f"Rule applied: {rule.title.lower()} ({rule.name}): {rule.description}"
    else:
        text = f"This vote follows the {rule.title.lower()} rule ({rule.name}): {rule.description}"
    if rule.reading:
        text += f" We {'applied' if applied else 'apply'} the {rule.reading}."
    if kind is Kind.RELEASE:
        text += " A release cannot be vetoed."
    return text

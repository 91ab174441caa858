"""What a check found: one line each, naming people and numbers, with its kind for --json."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tvm_vote_tui.domain.text import one_line


@dataclass(frozen=True)
class Finding:
    kind: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def line(self) -> str:
        """The finding as printed: one line, control and bidi characters made visible."""
        return one_line(self.detail)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, **self.data}


@dataclass
class Report:
    """Findings (each one makes the result inconsistent) and notes (what was not checked, or how)."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.findings

    def add(self, kind: str, detail: str, **data: Any) -> None:
        self.findings.append(Finding(kind, detail, data))

    def note(self, text: str) -> None:
        self.notes.append(text)

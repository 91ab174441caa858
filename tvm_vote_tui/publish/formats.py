"""The export formats by name, shared by the export screen and `tvm-vote-tui export`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.publish.announce import announcement
from tvm_vote_tui.publish.json_export import json_text
from tvm_vote_tui.publish.markdown import result_markdown
from tvm_vote_tui.publish.result import result_text


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    suffix: str
    render: Callable[[Session], str]
    private: bool
    """True when the output holds e-mail addresses: the file is made readable by its owner only."""


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("result", "[RESULT][VOTE] text", "result.txt", result_text, False),
        ExportFormat("markdown", "Markdown", "result.md", result_markdown, False),
        ExportFormat("json", "JSON (everything)", "json", json_text, True),
        ExportFormat(
            "announce", "[VOTE] announcement", "announce.txt", lambda s: announcement(s.proposal), False
        ),
    )
}

"""The export formats by name, shared by the export screen and `tvm-vote-tui export`.

The renderers are imported when first used: the command line builds its `--format` choices from
this table on every start, the app's included, which exports nothing until asked."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tvm_vote_tui.domain.model import Session


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    suffix: str
    render: Callable[[Session], str]
    private: bool
    """True when the output always holds e-mail addresses (the JSON has the roster's)."""
    subject: Callable[[Session], str] | None = None
    """The subject the text goes out under, when it is not part of the text (the announcement's)."""

    def private_for(self, text: str) -> bool:
        """Whether a file of `text` is made readable by its owner only: it holds an e-mail address
        (always in the JSON; in the others when a note, summary or name carries one)."""
        return self.private or EMAIL.search(text) is not None


_PART = r"[^\s@<>()\[\]\"',;:]"
EMAIL = re.compile(rf"{_PART}@{_PART}+\.{_PART}")
"""Something shaped like an e-mail address, broadly: a false alarm only makes a file private."""


def _result(session: Session) -> str:
    from tvm_vote_tui.publish.result import result_text

    return result_text(session)


def _markdown(session: Session) -> str:
    from tvm_vote_tui.publish.markdown import result_markdown

    return result_markdown(session)


def _json(session: Session) -> str:
    from tvm_vote_tui.publish.json_export import json_text

    return json_text(session)


def _announcement(session: Session) -> str:
    from tvm_vote_tui.publish.announce import announcement

    return announcement(session.proposal)


def _announcement_subject(session: Session) -> str:
    from tvm_vote_tui.publish.announce import announcement_subject

    return announcement_subject(session.proposal)


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("result", "[RESULT][VOTE] text", "result.txt", _result, False),
        ExportFormat("markdown", "Markdown", "result.md", _markdown, False),
        ExportFormat("json", "JSON (everything)", "json", _json, True),
        ExportFormat(
            "announce", "[VOTE] announcement", "announce.txt", _announcement, False, _announcement_subject
        ),
    )
}

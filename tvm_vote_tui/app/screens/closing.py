"""F8: close the vote (asking for a reason when it is early) or reopen a closed one."""

from __future__ import annotations

from typing import cast

from textual.app import App
from textual.message import Message

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.controller import NO_SESSION, READ_ONLY
from tvm_vote_tui.app.screens.base import Shell
from tvm_vote_tui.app.widgets.modals import ConfirmModal, TextPrompt
from tvm_vote_tui.domain.times import format_local, format_utc


def ask_close_or_reopen(app: App[None]) -> None:
    """Ask what F8 needs to know, then post the change; the time logged is when it is confirmed."""
    shell = cast(Shell, app)
    current = shell.meeting.current
    if current is None:
        app.notify(NO_SESSION, severity="warning")
        return
    if current.read_only:
        app.notify(READ_ONLY, severity="warning")
        return
    session = current.session
    if session.is_draft:
        app.notify("This vote is a draft: it has not opened, so there is nothing to close (F2, o opens it).")
        return
    if session.is_closed:
        app.push_screen(
            TextPrompt(
                "Reopen the vote: why? The reason goes into the audit log.",
                hint="escape keeps the vote closed",
            ),
            lambda reason: _post(app, msg.ReopenVote(reason) if reason else None),
        )
        return
    verdict = session.tally().verdict(closed=False)
    early = session.early_close_reasons(shell.meeting.now())
    ends = session.opened_window[1]
    early = [
        reason.replace(format_utc(ends), format_local(ends)) for reason in early
    ]  # as elsewhere on screen
    if early:
        app.push_screen(
            TextPrompt(
                f"Close the vote early? {_first_upper('; and '.join(early))}.\n\n"
                f"As it stands the vote is {verdict.text}. Once closed it is read-only and the result "
                "can be published; F8 reopens it, with a reason.\n\n"
                "Give the reason for closing early; it goes into the audit log:",
                hint="escape keeps the vote open",
                validate=lambda text: None if text.strip() else "Closing early needs a reason.",
            ),
            lambda reason: _post(app, msg.CloseVote(reason) if reason else None),
        )
        return
    app.push_screen(
        ConfirmModal(
            f"Close the vote now? As it stands it is {verdict.text}. A closed vote is read-only "
            "(F8 reopens it, with a reason).",
            yes="Close vote",
        ),
        lambda yes: _post(app, msg.CloseVote("") if yes else None),
    )


def _post(app: App[None], message: Message | None) -> None:
    if message is not None:
        app.post_message(message)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]

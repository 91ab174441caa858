"""F2 `o`: open a draft. The ways a vote opens are rows of one table (WAYS): each has a line in
the choice, its own fields under it, and a function that reads them into what the dialog answers:
an `Opening` (posted elsewhere, or now), or a `PostVote` request (post the [VOTE] to GitHub: the
app shows the issue first, posts it on ctrl+s, and the vote opens when GitHub has created it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from tvm_vote_tui.app.controller import Clock
from tvm_vote_tui.app.widgets.modals import Dialog, field
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.model import MIN_WINDOW_HOURS, Proposal
from tvm_vote_tui.domain.opening import Opening, PostVote, opened_now, post_vote, posted_elsewhere
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import TimeInputError, format_local, parse_when, span_words

if TYPE_CHECKING:
    from pendulum import DateTime


Chosen = Opening | PostVote
"""What the dialog answers: how the vote opened, or a request to post its [VOTE] first."""


class OpenVoteDialog(Dialog[Chosen | None]):
    """Choose how the vote opens, fill in that way's fields, open it (or escape: still a draft)."""

    DEFAULT_CSS = """
    OpenVoteDialog RadioSet { width: 100%; margin-bottom: 1; }
    OpenVoteDialog .way { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Open the vote", priority=True),
    ]

    def __init__(self, proposal: Proposal, clock: Clock) -> None:
        super().__init__()
        self.proposal = proposal
        self.clock = clock

    def compose(self) -> ComposeResult:
        p = self.proposal
        runs = f"It runs {span_words(p.window)} from when it opens"
        if p.window_hours < MIN_WINDOW_HOURS:
            runs += f" (shorter than {MIN_WINDOW_HOURS} hours, the ASF minimum)"
        with Vertical():
            yield Static(f"Open the vote: {one_line(p.title)}", classes="title", markup=False)
            yield Static(f"{runs}. Ballots are taken from then. How did it open?", markup=False)
            with RadioSet(id="ways"):
                for index, way in enumerate(WAYS):
                    yield RadioButton(Content(way.label), value=index == 0, id=f"way-{way.key}")
            for index, way in enumerate(WAYS):
                with Vertical(id=f"fields-{way.key}", classes="way") as fields:
                    fields.display = index == 0
                    yield from way.fields(self.proposal)
            yield Static("", classes="error", id="error", markup=False)
            yield Static("", classes="hint", id="closes", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button(f"{WAYS[0].action} (ctrl+s)", id="ok", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ways", RadioSet).focus()
        self._show_closing()

    @property
    def way(self) -> Way:
        index = self.query_one("#ways", RadioSet).pressed_index
        return WAYS[max(index, 0)]

    @on(RadioSet.Changed)
    def _way_changed(self) -> None:
        for way in WAYS:
            self.query_one(f"#fields-{way.key}").display = way is self.way
        ok = self.query_one("#ok", Button)
        ok.label = f"{self.way.action} (ctrl+s)"
        ok.refresh(layout=True)  # the labels differ in length
        self.query_one("#error", Static).update("")
        self._show_closing()

    @on(Input.Changed)
    def _show_closing(self) -> None:
        """When the window would end, opened the way the fields say (or why they cannot be read)."""
        try:
            opening = self.way.read(self, self.clock())
        except (ChangeRefused, TimeInputError):
            self.query_one("#closes", Static).update("")
            return
        if isinstance(opening, PostVote):
            self.query_one("#closes", Static).update(
                f"Opens when GitHub creates the issue; ballots count for {span_words(self.proposal.window)} "
                "from then."
            )
            return
        closes = opening.opens_at + self.proposal.window
        self.query_one("#closes", Static).update(
            f"Opens {format_local(opening.opens_at)}; ballots count until {format_local(closes)}."
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def action_submit(self) -> None:
        try:
            opening = self.way.read(self, self.clock())
        except (ChangeRefused, TimeInputError) as err:
            self.query_one("#error", Static).update(one_line(str(err)[:1].upper() + str(err)[1:]))
            return
        self.dismiss(opening)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value


@dataclass(frozen=True)
class Way:
    """One way a vote opens: its line in the choice, its fields, and how they read."""

    key: str
    label: str
    fields: Callable[[Proposal], ComposeResult]
    read: Callable[[OpenVoteDialog, DateTime], Chosen]
    """What the dialog's fields say (ChangeRefused or TimeInputError when they cannot)."""
    action: str = "Open the vote"
    """The button that answers."""


def _elsewhere_fields(proposal: Proposal) -> ComposeResult:
    yield field("Where", "", id="where", placeholder="https://github.com/apache/tvm/issues/…")
    yield field("Posted", "now", id="posted", placeholder="now, or 2026-12-01 17:00")
    yield Static(
        "The [VOTE]'s GitHub issue or its lists.apache.org thread, and when it was posted.",
        classes="hint",
        markup=False,
    )


def _elsewhere(dialog: OpenVoteDialog, now: DateTime) -> Opening:
    posted_at = parse_when(dialog.value("#posted") or "now", now=now)
    return posted_elsewhere(dialog.value("#where"), posted_at)


def _now_fields(proposal: Proposal) -> ComposeResult:
    yield Static("It opens now, with no thread yet; F9 can read one later.", classes="hint", markup=False)


def _now(dialog: OpenVoteDialog, now: DateTime) -> Opening:
    return opened_now(now)


def _github_fields(proposal: Proposal) -> ComposeResult:
    yield field("Repo", proposal.repo, id="repo", placeholder="apache/tvm")
    yield Static(
        "ctrl+s shows the issue exactly as it will be posted; nothing is posted before you confirm. "
        "Needs a token in GITHUB_TOKEN (or GH_TOKEN) that may write issues there.",
        classes="hint",
        markup=False,
    )


def _github(dialog: OpenVoteDialog, now: DateTime) -> PostVote:
    return post_vote(dialog.value("#repo") or dialog.proposal.repo)


WAYS: tuple[Way, ...] = (
    Way("elsewhere", "Posted elsewhere: a GitHub issue or a dev@ thread", _elsewhere_fields, _elsewhere),
    Way("now", "Open now: a vote called in a meeting", _now_fields, _now),
    Way("github", "Post the [VOTE] to GitHub as a new issue", _github_fields, _github, "Show the issue"),
)
"""The ways a draft opens, in the order offered."""

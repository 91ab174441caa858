"""A closed vote is read-only on every screen: no key changes it, in memory or on disk."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from textual.widgets._footer import FooterKey

from tests.app_helpers import NOW, running
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.screens.proposal import ProposalScreen
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.store.journal import journal_path

# Everything a hurried manager might press on a screen (but F8, which asks to reopen, and quit).
KEYS = [
    *"xyz",
    "plus",
    "minus",
    "0",
    "space",
    "backspace",
    "delete",
    "enter",
    "tab",
    *"New words",
    "enter",
    "ctrl+s",
    "ctrl+z",
    "ctrl+n",
    *"guest",
    "enter",
    "escape",
    *"aer",
    "escape",
    "escape",
]


async def test_every_screen_leaves_a_closed_vote_alone(isolated_data_dir: Path) -> None:
    session = sample_session()
    session.close(NOW, "agreed at the meeting")
    async with running(isolated_data_dir, session) as r:
        disk = (r.path.read_bytes(), journal_path(r.path).read_bytes())
        memory = r.session.ballots[:], r.session.roster, r.session.proposal, len(r.session.log)
        for key in ("f2", "f3", "f4", "f5", "f6", "f7", "f9", "f1"):
            await r.press(key)
            for press in KEYS:
                await r.press(press)
                while not isinstance(r.app.screen, VoteScreen):  # a dialog opened: close it
                    await r.press("escape")
        assert (r.session.ballots[:], r.session.roster, r.session.proposal, len(r.session.log)) == memory
        assert (r.path.read_bytes(), journal_path(r.path).read_bytes()) == disk


async def test_closing_while_the_proposal_is_shown_locks_its_fields(isolated_data_dir: Path) -> None:
    """The bug: close the vote (F8) on the Proposal screen, then edit the title: it changed unaudited."""
    async with running(isolated_data_dir, screen="proposal") as r:
        assert isinstance(r.app.screen, ProposalScreen)
        title = r.app.screen.query_one("#title", Input)
        assert not title.disabled
        await r.press("f8", *"agreed at the meeting", "enter")
        assert r.saved().is_closed
        assert title.disabled
        await r.pilot.pause()
        keys = {key.description for key in r.app.screen.query(FooterKey)}
        assert "Save fields" not in keys  # nothing to save in a closed vote: the key is not offered
        await r.press("shift+tab", "shift+tab", *"Sneaky", "tab")  # wherever the focus lands
        title.value = "Sneaky title"  # even typed around the lock
        await r.press("ctrl+s")
        await r.press("f8", *"a late ballot", "enter")  # reopened: the next save must not carry it
        await r.press("f2")
        await r.pilot.pause()
        assert "Save fields" in {key.description for key in r.app.screen.query(FooterKey)}  # open again
        await r.press("f4")
        assert r.saved().proposal.title == "Establish the TVM FFI module"
        assert not any("Sneaky" in entry.detail for entry in r.saved().log)


async def test_a_refusal_is_said_once_and_taken_down_when_another_vote_opens(isolated_data_dir: Path) -> None:
    session = sample_session()
    session.close(NOW, "agreed at the meeting")
    async with running(isolated_data_dir, session) as r:
        await r.press("plus", "plus", "plus")
        said = [n.message for n in r.app._notifications if "closed" in n.message]
        assert len(said) == 1, said
        await r.press("f1", "n", *"Another vote", "enter")
        assert r.app.meeting.session is not None and r.app.meeting.session.proposal.title == "Another vote"
        assert not any("closed" in n.message for n in r.app._notifications)

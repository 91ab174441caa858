"""What the app does with the open session, without Textual: open, create, change, undo, close.

The app is a thin shell around a `Meeting`: screens ask for changes, the meeting applies them
through the session's methods (which check them, make them durable, then apply and log them)
and answers with an `Outcome` the shell shows. Nothing here imports Textual, so it is tested
without Pilot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.model import Proposal, Session, Status, checked_title
from tvm_vote_tui.domain.opening import Opening
from tvm_vote_tui.domain.proposal import Published
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.domain.rules import UnknownRuleError, count_change
from tvm_vote_tui.domain.text import plural
from tvm_vote_tui.domain.times import format_local, format_utc
from tvm_vote_tui.domain.votes import Vote
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.paths import manager_name
from tvm_vote_tui.store.sessions import (
    COMPACT_EVERY,
    LockLost,
    OpenSession,
    Store,
    StoreError,
    held_elsewhere,
)

if TYPE_CHECKING:
    from pendulum import DateTime

Clock = Callable[[], "DateTime"]
Severity = Literal["information", "warning", "error"]
Edit = Callable[[Session, "DateTime"], object]
"""A change to make: calls one Session method with the time it happens."""

NO_SESSION = "Open or create a session first (F1: sessions)."
READ_ONLY = "This session is open read-only (another instance holds it): nothing is saved here."
CLOSED = "The vote is closed; reopen it (F8) to change it."


@dataclass(frozen=True)
class Outcome:
    """What became of a requested change, in words for the screen."""

    ok: bool
    message: str = ""
    severity: Severity = "information"
    voter: str | None = None
    """The one voter a ballot change touched (so a screen redraws just that row)."""


@dataclass(frozen=True)
class FlagChange:
    """A member's `binding` or `recused` flag set to `value` by one key: one undo step."""

    member_id: str
    name: str
    value: bool


@dataclass(frozen=True)
class RosterChange:
    """A member added, removed or edited on the session's roster by one key: one undo step."""

    before: tuple[Member, ...]
    after: tuple[Member, ...]
    what: str
    """What was done, as the log said it ('removed Dave Diaz (dave)')."""
    undone: str
    """What taking it back does, for the manager ('Dave Diaz (dave) is back on the roster')."""


@dataclass(frozen=True)
class Barrier:
    """A point ctrl+z never reaches past: a close or reopen, or a change of the count it cannot
    take back (the rule, members imported); taking back an older ballot then would change the
    state a result or a decision was based on."""

    since: str
    """'the vote was reopened': what stands in the way, for 'Nothing to undo since …'."""


UndoStep = tuple[Ballot, ...] | FlagChange | RosterChange | Barrier
"""Ballots recorded by one action (one ballot, or one thread import), a roster flag or member
changed, or a barrier."""


def flag_words(name: str, value: bool) -> str:
    """'binding', 'non-binding', 'recused', 'not recused': what a member is after a flag change."""
    if name == "binding":
        return "binding" if value else "non-binding"
    return "recused" if value else "not recused"


def undone_words(who: str, name: str, value: bool) -> str:
    """'Ada is binding again', 'Ada is no longer recused': a flag change set to `value`, taken back."""
    return (
        f"{who} is no longer recused"
        if name == "recused" and value
        else f"{who} is {flag_words(name, not value)} again"
    )


def not_recorded(err: OSError) -> Outcome:
    if isinstance(err, LockLost):  # not the disk: the session may be someone else's to write now
        return Outcome(False, f"NOT recorded: {err}. Nothing changed here.", "error")
    reason = err.strerror or str(err)
    return Outcome(
        False,
        f"NOT recorded: the change could not be written to disk ({reason}). Nothing changed; "
        "free some space or fix the folder, then do it again.",
        "error",
    )


class Meeting:
    """The open session of a running app, its undo steps, and the rules for changing it."""

    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.clock = clock
        self.current: OpenSession | None = None
        self.undo_stack: list[UndoStep] = []
        """Ballot actions of this run (one ballot, or one thread import), roster flags and members
        changed by one key, and the barriers ctrl+z stops at, most recent last."""
        self.opening: Path | None = None
        """A session being opened in a worker thread (the one named on the command line)."""
        self.by = manager_name()
        """Who runs the app: the audit log says who opened, closed, reopened and published."""

    @property
    def session(self) -> Session | None:
        return self.current.session if self.current is not None else None

    def now(self) -> DateTime:
        return self.clock().replace(microsecond=0)

    # -- sessions --------------------------------------------------------------------------

    def open(self, path: Path, *, set_aside: bool = False) -> OpenSession:
        """Open `path` (read-only if another instance holds it), letting go of the one we hold.

        Raises SessionFileError (JournalMismatch among them) or StoreError; then nothing is open."""
        self.release()
        self.current = OpenSession.open(self.store, path, set_aside=set_aside)
        return self.current

    def adopt(self, opened: OpenSession) -> None:
        """Make a session opened elsewhere (in a worker thread) the current one."""
        if self.current is not None and self.current is not opened:
            self.release()
        self.current = opened
        self.opening = None

    def create(self, title: str) -> tuple[Path, str]:
        """Save a new session with a snapshot of the shared roster: its path, and a warning when the
        shared roster could not be read (the session then starts with none). Raises ChangeRefused
        or OSError."""
        title = checked_title(title)
        warning = ""
        try:
            roster = self.store.load_roster()
        except (SessionFileError, StoreError) as err:
            roster = []
            warning = (
                f"The shared roster could not be read ({err}), so the new vote starts with an empty roster."
            )
        at = self.now()
        kind = Proposal(title).kind
        draft = Proposal(
            title, kind, status=Status.DRAFT, opens_at=None, closes_at=None, window=kind.default_window
        )
        session = Session.new(draft, roster, at, self.by)
        return self.store.create(session), warning

    def create_sample(self) -> Path:
        """Save the sample vote a first start offers (fictional people, its own file, its own
        roster: the shared roster is left alone). Raises OSError."""
        from tvm_vote_tui.demo import sample_to_explore

        return self.store.create(sample_to_explore(self.now()))

    def duplicate(self, source: Session, source_path: Path) -> Path:
        return self.store.create(source.duplicate(self.now(), source_path.name, self.by))

    def delete(self, path: Path) -> None:
        """Delete a session (StoreError while another instance holds it: nothing is deleted, and
        the open session stays open)."""
        current = self.current
        if current is not None and current.path == path:
            if current.read_only:
                raise held_elsewhere(path, current.holder)
            self.release()
        self.store.delete(path)

    def release(self) -> None:
        """Let go of the open session: leave a tidy TOML file behind (the journal was durable)."""
        current, self.current = self.current, None
        self.undo_stack.clear()
        if current is None:
            return
        if not current.read_only and current.pending:
            try:
                current.compact()
            except OSError:
                pass  # the journal still holds every change
        current.close()

    # -- changes ---------------------------------------------------------------------------

    def why_locked(self) -> str | None:
        """Why the open session cannot change (read-only, closed), before a form is filled in."""
        current = self.current
        if current is None:
            return None
        if current.read_only:
            return READ_ONLY
        if current.lost:
            return f"Nothing is saved here any more: {current.lost}."
        return CLOSED if current.session.is_closed else None

    def edit(self, what: Edit, *, done: str = "") -> Outcome:
        """Make one change through a Session method; refused or unwritten changes change nothing.

        One that moves the count (the rule, members imported) is not an undo step: ctrl+z stops
        there rather than take back an older ballot past it."""
        session = self.session
        before = session.tally() if session is not None and not session.is_draft else None
        outcome = self._apply(what, done=done)
        if outcome.ok and before is not None and session is not None and self.undo_stack:
            after = session.tally()
            if before.rule != after.rule:
                self.undo_stack.append(Barrier("the rule changed"))
            elif (before.binding, before.non_binding) != (after.binding, after.non_binding):
                self.undo_stack.append(Barrier("the roster changed (members imported or linked)"))
        return outcome

    def _apply(self, what: Edit, *, done: str = "") -> Outcome:
        """Make one change through a Session method, as it is (the undo steps are the caller's)."""
        current = self.current
        if current is None:
            return Outcome(False, NO_SESSION, "warning")
        if current.read_only:
            return Outcome(False, READ_ONLY, "warning")
        try:
            what(current.session, self.now())
        except (ChangeRefused, UnknownRuleError) as err:
            return Outcome(False, _sentence(str(err)), "warning")
        except OSError as err:
            return not_recorded(err)
        return Outcome(True, done)

    def record(self, voter: str, vote: Vote | None, *, note: str = "", justification: str = "") -> Outcome:
        """Record a ballot (None withdraws the voter's vote) and remember it for undo."""
        recorded: list[Ballot] = []
        same: list[Ballot] = []

        def cast(session: Session, at: DateTime) -> None:
            if vote is None:
                recorded.append(session.withdraw(voter, at))
                return
            current = (
                None if session.is_closed else session.already_recorded(voter, vote, note, justification)
            )
            if current is not None:
                same.append(current)  # the same vote again: nothing to append, nothing to log
            else:
                recorded.append(session.record(voter, vote, note=note, justification=justification, at=at))

        outcome = self._apply(cast)
        if not outcome.ok:
            return outcome
        if same:
            name = self.session.display_name(same[0].voter) if self.session else voter
            return Outcome(
                False,
                f"Already recorded: {name} {same[0].vote.text if same[0].vote else ''}; nothing changed.",
            )
        ballot = recorded[0]
        self.undo_stack.append((ballot,))
        session = self.session
        assert session is not None
        name = session.display_name(ballot.voter)
        if vote is None:
            return Outcome(True, f"Withdrew the vote of {name} (ctrl+z undoes it).", voter=ballot.voter)
        ends = session.proposal.closes_at
        if ends is not None and ballot.cast_at > ends:
            return Outcome(
                True,
                f"Recorded for {name}, after the vote window ended ({format_utc(ends)}). F8 closes the vote.",
                "warning",
                voter=ballot.voter,
            )
        return Outcome(True, voter=ballot.voter)

    def import_ballots(self, ballots: Sequence[Ballot], description: str) -> Outcome:
        """Record ballots accepted from a vote thread as one change and one undo step."""
        recorded: list[Ballot] = []
        same: list[Ballot] = []

        def add(session: Session, at: DateTime) -> None:
            fresh = []
            for ballot in ballots:
                if ballot.vote is not None and session.already_recorded(ballot.voter, ballot.vote):
                    same.append(ballot)  # the same vote again: nothing to append
                else:
                    fresh.append(ballot)
            recorded.extend(session.import_ballots(fresh, description, at))

        outcome = self._apply(add)
        left_out = f" ({plural(len(same), 'ballot')} the same as recorded, left out)" if same else ""
        if outcome.ok and not recorded:
            return Outcome(False, f"Already recorded: nothing new to record{left_out}.")
        if not outcome.ok:
            return outcome
        self.undo_stack.append(tuple(recorded))
        count = plural(len(recorded), "ballot")
        return Outcome(True, f"Recorded {count} as one change (ctrl+z undoes it){left_out}.")

    def set_flag(self, member_id: str, name: str, value: bool) -> Outcome:
        """Set a member's `binding` or `recused` flag in the session's roster (one undo step), and
        say what it did to the count."""
        session = self.session
        member = session.member(member_id) if session is not None else None
        effect: list[str] = []
        changed: list[object] = []

        def flag(s: Session, at: DateTime) -> None:
            effect.append(s.flag_effect(member_id, name, value))
            changed.append(
                s.set_binding(member_id, value, at)
                if name == "binding"
                else s.set_recused(member_id, value, at)
            )

        outcome = self._apply(flag)
        if not outcome.ok or member is None or changed[0] is None:
            return outcome
        self.undo_stack.append(FlagChange(member.id, name, value))
        return Outcome(
            True, f"{member.name} is now {flag_words(name, value)} ({effect[0]}). ctrl+z undoes it."
        )

    def change_member(self, old: Member | None, new: Member | None) -> Outcome:
        """Add (`old` None), remove (`new` None) or edit a member of the session's roster as one
        undo step, and say what it did and what it did to the count."""
        session = self.session
        if session is None:
            return Outcome(False, NO_SESSION, "warning")
        before = session.roster
        tally = session.tally() if not session.is_draft else None
        who = old or new
        assert who is not None
        name = f"{who.name} ({who.id})"
        if old is None:
            what, undone, said = f"added {name}", f"{name} is off the roster again", f"Added {name} to"
        elif new is None:
            what, undone, said = f"removed {name}", f"{name} is back on the roster", f"Removed {name} from"
        else:
            what, undone, said = f"edited {name}", f"the edit of {name} is taken back", f"Edited {name} on"

        def change(s: Session, at: DateTime) -> None:
            if old is None:
                s.add_member(who, at)
            elif new is None:
                s.remove_member(old.id, at)
            else:
                s.update_member(old.id, new, at)

        outcome = self._apply(change)
        if not outcome.ok or session.roster == before:
            return outcome
        self.undo_stack.append(RosterChange(before, session.roster, what, undone))
        effect = f" ({count_change(tally, session.tally())})" if tally is not None else ""
        return Outcome(True, f"{said} this vote's roster{effect}. ctrl+z undoes it.")

    def undo(self) -> Outcome:
        session = self.session
        if session is None:
            return Outcome(False, NO_SESSION, "warning")
        if not self.undo_stack:
            return Outcome(False, "Nothing to undo.", "warning")
        step = self.undo_stack[-1]
        if isinstance(step, Barrier):
            if session.is_closed:
                return Outcome(False, CLOSED, "warning")
            return Outcome(
                False, f"Nothing to undo since {step.since}: ctrl+z never reaches past it.", "warning"
            )
        if isinstance(step, FlagChange):
            return self._undo_flag(session, step)
        if isinstance(step, RosterChange):
            return self._undo_roster(session, step)
        ballots = step
        outcome = self._apply(lambda s, at: s.undo(ballots, at))
        if not outcome.ok:
            return outcome
        self.undo_stack.pop()
        if len(ballots) == 1:
            ballot = ballots[0]
            what = ballot.vote.text if ballot.vote else "withdrawal"
            # No one row to redraw: a guest whose only ballot is taken back leaves the table.
            return Outcome(True, f"Undone: {session.display_name(ballot.voter)} {what}")
        return Outcome(True, f"Undone: the import of {plural(len(ballots), 'ballot')}")

    def _undo_flag(self, session: Session, step: FlagChange) -> Outcome:
        effect: list[str] = []

        def back(s: Session, at: DateTime) -> None:
            effect.append(s.flag_effect(step.member_id, step.name, not step.value))
            s.undo_flag(step.member_id, step.name, step.value, at)

        outcome = self._apply(back)
        if not outcome.ok:
            return outcome
        self.undo_stack.pop()
        name = session.display_name(step.member_id)
        return Outcome(True, f"Undone: {undone_words(name, step.name, step.value)} ({effect[0]}).")

    def _undo_roster(self, session: Session, step: RosterChange) -> Outcome:
        tally = session.tally() if not session.is_draft else None
        outcome = self._apply(lambda s, at: s.undo_roster(step.before, step.after, step.what, at))
        if not outcome.ok:
            return outcome
        self.undo_stack.pop()
        effect = f" ({count_change(tally, session.tally())})" if tally is not None else ""
        return Outcome(True, f"Undone: {step.undone}{effect}.")

    def open_vote(self, opening: Opening) -> Outcome:
        """Open the draft as `opening` says (posted elsewhere, now ...); ballots are taken from then."""
        o = opening

        def open_it(session: Session, at: DateTime) -> None:
            session.open_vote(o.opens_at, thread=o.thread, venue=o.venue, posted=o.posted, by=self.by, at=at)

        outcome = self._apply(open_it)
        session = self.session
        if not outcome.ok or session is None:
            return outcome
        closes_at = session.opened_window[1]
        return Outcome(True, f"The vote is open: ballots count until {format_local(closes_at)} (F4).")

    def record_post(self, post: Published) -> Outcome:
        """Record a step just posted (its URL, its time on GitHub); a step already recorded is refused."""
        outcome = self.edit(
            lambda s, at: s.record_post(post.step, post.url, post.at, post.number, by=self.by, logged_at=at)
        )
        if not outcome.ok and outcome.severity == "error":
            return Outcome(
                False,
                f"{post.step} was posted ({post.url}) but NOT recorded: {outcome.message} Do the same "
                "again once it can be written: the post is found by its marker and recorded, never "
                "posted twice.",
                "error",
            )
        return outcome

    def close_vote(self, reason: str) -> Outcome:
        session = self.session
        outcome = self._apply(lambda s, at: s.close(at, reason, by=self.by))
        if outcome.ok and session is not None:
            self.undo_stack.append(Barrier("the vote was closed"))
            verdict = session.tally().verdict(closed=True)
            return Outcome(True, f"The vote is closed: it {verdict.word}.")
        return outcome

    def reopen(self, reason: str) -> Outcome:
        outcome = self._apply(lambda s, at: s.reopen(at, reason, by=self.by), done="The vote is open again.")
        if outcome.ok:
            self.undo_stack.append(Barrier("the vote was reopened"))
        return outcome

    def save_shared_roster(self, members: Sequence[Member]) -> Outcome:
        try:
            self.store.save_roster(members)
        except OSError as err:
            return Outcome(False, f"Could not save the shared roster: {err.strerror or err}", "error")
        return Outcome(True)

    # -- folding the journal ---------------------------------------------------------------

    def compaction_due(self, force: bool = False) -> tuple[OpenSession, Session] | None:
        """(session, snapshot) to fold into the TOML file in a worker thread, when it is time."""
        current = self.current
        if current is None or current.read_only or not (force or current.pending >= COMPACT_EVERY):
            return None
        return current, current.snapshot()


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ")")) else text + "."

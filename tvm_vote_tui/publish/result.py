"""The [RESULT][VOTE] post: every count and every name list comes from one Tally."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tvm_vote_tui.domain.model import Ballot, Kind, Session
from tvm_vote_tui.domain.rules import CountedBallot, Tally
from tvm_vote_tui.domain.text import one_line, plural
from tvm_vote_tui.domain.thread_ref import thread_url
from tvm_vote_tui.domain.times import format_utc, span_words
from tvm_vote_tui.domain.votes import Counted
from tvm_vote_tui.publish.mentions import quiet_mentions
from tvm_vote_tui.publish.proof import fingerprint_line
from tvm_vote_tui.publish.wording import bare_title, rule_sentence

if TYPE_CHECKING:
    from pendulum import DateTime

GROUPS = ((Counted.PLUS, "+1"), (Counted.ZERO, "0"), (Counted.MINUS, "-1"))


@dataclass(frozen=True)
class ResultFacts:
    """What every result format says, derived once from the session's tally."""

    session: Session
    tally: Tally

    @property
    def title(self) -> str:
        return one_line(bare_title(self.session.proposal.title))

    @property
    def subject(self) -> str:
        return f"[RESULT][VOTE] {self.title}"

    def outcome_sentence(self) -> str:
        if self.session.is_draft:
            return f'The vote on "{self.title}" has not opened yet: it is a draft, and this is not a result.'
        b = self.tally.binding
        verdict = self.tally.verdict(self.session.is_closed)
        verb = f"has {verdict.word}" if verdict.closed else f"is {verdict.word} so far"
        sentence = (
            f'The vote on "{self.title}" {verb} with {b.plus} binding +1, '
            f"{b.zero} binding 0 and {b.minus} binding -1."
        )
        if not self.session.is_closed:
            sentence += " The vote is still open; this is not a final result."
        late = self.late_sentence()
        if late:
            sentence += f" {late[0].upper()}{late[1:]}"
        if (
            self.session.proposal.kind is Kind.NEW_CODEBASE
            and self.session.is_closed
            and not self.tally.passes
        ):
            sentence += " The existing codebase stays."
        return sentence

    def rule_sentence(self) -> str:
        return rule_sentence(self.tally.rule, self.session.proposal.kind, applied=True)

    def count_line(self, counted: Counted, label: str) -> str:
        total = len(self.tally.voters(counted))
        binding = len(self.tally.voters(counted, binding=True))
        return f"{label}: {total} ({binding} binding)"

    def voters(self, counted: Counted) -> list[CountedBallot]:
        """Binding voters first, each group in the order they first voted."""
        group = self.tally.voters(counted)
        return [b for b in group if b.binding] + [b for b in group if not b.binding]

    def standing(self, voter: str) -> str:
        """'binding', 'non-binding' (not on the roster too) or 'recused' (counted as non-binding)."""
        member = self.session.member(voter)
        if member is not None and member.recused:
            return "recused"
        return "binding" if voter in self.session.keys.binding else "non-binding"

    def label(self, ballot: CountedBallot) -> str:
        return voter_label(ballot, self.standing(ballot.voter))

    def minus_reasons(self) -> list[tuple[CountedBallot, str]]:
        """Every current -1 but the vetoes (listed with their justifications), with the voter's
        words: the reasons they gave and the note recorded with the vote."""
        vetoes = {b.voter for b, _ in self.vetoes()}
        current = self.session.current_votes()
        reasons = []
        for b in self.voters(Counted.MINUS):
            ballot = current.get(b.voter)
            if b.voter in vetoes or ballot is None:
                continue
            words = ballot.justification or ballot.note
            if ballot.justification and ballot.note:
                words += f" (note: {ballot.note})"
            reasons.append((b, words))
        return reasons

    def late(self) -> list[Ballot]:
        """Ballots recorded after the vote window ended."""
        return self.session.after_window()

    def late_verdict(self) -> tuple[str, bool, Tally]:
        """What the vote would be without the ballots recorded after the window: the word
        (PASSED, FAILING ...), whether the outcome depends on them, and that tally."""
        closed = self.session.is_closed
        without = self.session.tally_in_window()
        word = without.verdict(closed).word
        return word, word != self.tally.verdict(closed).word, without

    def late_sentence(self) -> str:
        """One sentence for the outcome: how many ballots came late and whether it matters."""
        late = self.late()
        if not late:
            return ""
        depends = self.late_verdict()[1]
        count = plural(len(late), "ballot was", "ballots were")
        it = "it" if len(late) == 1 else "them"
        return (
            f"{count} recorded after the vote window ended; the outcome "
            f"{'depends' if depends else 'does not depend'} on {it} (see below)."
        )

    def closings(self) -> list[tuple[str, str, DateTime]]:
        """Every close and reopen, in order: (what happened, its reason, when), from the log."""
        found = []
        for entry in self.session.log:
            if entry.action == "close":
                early = "; closed early (" in entry.detail
                reason = entry.detail.partition("; reason: ")[2] or entry.detail.partition("; note: ")[2]
                found.append(("closed early" if early else "closed", reason, entry.at))
            elif entry.action == "reopen":
                found.append(("reopened", entry.detail.partition("; reason: ")[2], entry.at))
        return found

    def vetoes(self) -> list[tuple[CountedBallot, str]]:
        if not self.session.proposal.veto_applies:
            return []
        latest = self.session.current_votes()
        return [(b, latest[b.voter].justification) for b in self.tally.voters(Counted.MINUS, binding=True)]

    def not_voted(self) -> list[str]:
        return [self.session.display_name(v) for v in self.tally.not_voted]

    def window(self, escape: Callable[[str], str]) -> str:
        """When the vote ran, in the right tense; an early close says so, with its reason."""
        p = self.session.proposal
        if p.opens_at is None or p.closes_at is None:
            return f"The vote is a draft: it has not opened yet (it will run {span_words(p.window)})."
        if p.closed_at is None:
            return f"The vote is open from {format_utc(p.opens_at)} to {format_utc(p.closes_at)}."
        text = f"The vote was open from {format_utc(p.opens_at)} to {format_utc(p.closes_at)}"
        if p.closed_at < p.closes_at:
            reason = self.session.early_close_reason
            text += f"; it was closed early, at {format_utc(p.closed_at)}"
            return text + (f". Reason: {escape(reason)}" if reason else ".")
        if p.closed_at != p.closes_at:
            text += f"; it was closed at {format_utc(p.closed_at)}"
        closings = self.closings()
        reason = closings[-1][1] if closings and closings[-1][0] == "closed" else ""
        return text + (f". Reason: {escape(reason)}" if reason else ".")


def facts(session: Session) -> ResultFacts:
    return ResultFacts(session, session.tally())


def voter_label(ballot: CountedBallot, standing: str) -> str:
    """'Ada Lindqvist (binding)', 'Priya Nair (non-binding)', 'Ivan Petrov (recused)' as the ASF
    custom has it, with the vote when it is not exactly +1/0/-1 (e.g. +0.5)."""
    text = f"{ballot.name} ({standing})"
    if ballot.vote.text not in ("+1", "1", "0", "-1"):
        text += f" [{ballot.vote.text}]"
    return text


def result_text(session: Session) -> str:
    """The plain-text post for the mailing list, the forum and GitHub: an @mention in a name or a
    note pings no one (publish/mentions.py)."""
    f = facts(session)
    lines = [f"Subject: {f.subject}", "", "Hi all,", "", f.outcome_sentence(), "", f.rule_sentence(), ""]
    lines += [f.count_line(counted, label) for counted, label in GROUPS]
    for counted, label in GROUPS:
        voters = f.voters(counted)
        lines += ["", f"{label} votes:"]
        lines += [f"- {one_line(f.label(b))}" for b in voters] or ["- (none)"]
    lines += closing_lines(
        f, one_line, one_line, "Vetoes (binding -1 under consensus) and their justifications:"
    )
    lines += ["", "Thank you to everyone who voted.", "", fingerprint_line(session)]
    return quiet_mentions("\n".join(lines) + "\n")


def closing_lines(
    f: ResultFacts,
    escape: Callable[[str], str],
    link: Callable[[str], str],
    veto_heading: str,
    heading: Callable[[str], str] = lambda text: text,
) -> list[str]:
    """Vetoes, -1 reasons, late ballots, who did not vote, the window and its closes and reopens,
    and the links: the same in every result format (`heading` styles the headings)."""
    lines: list[str] = []
    vetoes = f.vetoes()
    if vetoes:
        lines += ["", veto_heading, ""]
        lines += [
            f"- {escape(b.name)}: {escape(reason) or '(no justification recorded)'}" for b, reason in vetoes
        ]
    reasons = f.minus_reasons()
    if reasons:
        lines += ["", heading("Reasons given with the -1 votes:"), ""]
        lines += [
            f"- {escape(f.label(b))}: {escape(words) or '(no reason recorded)'}" for b, words in reasons
        ]
    lines += late_lines(f, escape, heading)
    missing = f.not_voted()
    if missing:
        lines += ["", f"Binding members who did not vote: {escape(', '.join(missing))}"]
    lines += ["", f.window(escape)]
    lines += closing_history(f, escape, heading)
    links = f.session.proposal.links
    if links:
        lines += ["", "Discussion:", ""] + [f"- {link(url)}" for url in links]
    thread = thread_url(f.session.proposal.thread)
    if thread and thread not in links:
        lines += ["", f"Vote thread: {link(thread)}"]
    return lines


def late_lines(f: ResultFacts, escape: Callable[[str], str], heading: Callable[[str], str]) -> list[str]:
    """The ballots recorded after the window, and whether the outcome depends on them."""
    late = f.late()
    closes_at = f.session.proposal.closes_at
    if not late or closes_at is None:
        return []
    ends = format_utc(closes_at)
    lines = ["", heading(f"Recorded after the vote window ended ({ends}):"), ""]
    for ballot in late:
        what = ballot.vote.text if ballot.vote else "withdrew their vote"
        name = f.session.display_name(ballot.voter)
        who = f"{name} ({f.standing(f.session.voter_key(ballot.voter))})"
        lines.append(f"- {escape(who)}: {escape(what)}, at {format_utc(ballot.cast_at)}")
    word, depends, without = f.late_verdict()
    b = without.binding
    would = "would have" if f.session.is_closed else "would be"
    counts = f"{b.plus} binding +1, {b.zero} binding 0 and {b.minus} binding -1"
    them = "it" if len(late) == 1 else "them"
    lines += [
        "",
        f"{'It is' if len(late) == 1 else 'They are'} counted above. Without {them} the vote {would} "
        f"{word} ({counts}): the outcome {'depends' if depends else 'does not depend'} on {them}.",
    ]
    return lines


def closing_history(f: ResultFacts, escape: Callable[[str], str], heading: Callable[[str], str]) -> list[str]:
    """Every close and reopen with its reason, once the vote has been reopened."""
    closings = f.closings()
    if not any(what == "reopened" for what, _, _ in closings):
        return []
    lines = ["", heading("The vote was closed and reopened:"), ""]
    for what, reason, at in closings:
        lines.append(f"- {format_utc(at)}: {what}" + (f". Reason: {escape(reason)}" if reason else ""))
    return lines

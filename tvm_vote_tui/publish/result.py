"""The [RESULT][VOTE] post: every count and every name list comes from one Tally."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tvm_vote_tui.domain.model import Kind, Session
from tvm_vote_tui.domain.rules import CountedBallot, Tally
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.thread_ref import thread_url
from tvm_vote_tui.domain.times import format_utc, span_words
from tvm_vote_tui.domain.votes import Counted
from tvm_vote_tui.publish.mentions import quiet_mentions
from tvm_vote_tui.publish.proof import fingerprint_line
from tvm_vote_tui.publish.wording import bare_title, rule_sentence

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
        return text + "."


def facts(session: Session) -> ResultFacts:
    return ResultFacts(session, session.tally())


def voter_label(ballot: CountedBallot) -> str:
    """'Ada Lindqvist (binding)', with the vote when it is not exactly +1/0/-1 (e.g. +0.5)."""
    text = ballot.name
    if ballot.binding:
        text += " (binding)"
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
        lines += [f"- {one_line(voter_label(b))}" for b in voters] or ["- (none)"]
    lines += closing_lines(
        f, one_line, one_line, "Vetoes (binding -1 under consensus) and their justifications:"
    )
    lines += ["", "Thank you to everyone who voted.", "", fingerprint_line(session)]
    return quiet_mentions("\n".join(lines) + "\n")


def closing_lines(
    f: ResultFacts, escape: Callable[[str], str], link: Callable[[str], str], veto_heading: str
) -> list[str]:
    """Vetoes, who did not vote, the window and the links: the same in every result format."""
    lines: list[str] = []
    vetoes = f.vetoes()
    if vetoes:
        lines += ["", veto_heading, ""]
        lines += [
            f"- {escape(b.name)}: {escape(reason) or '(no justification recorded)'}" for b, reason in vetoes
        ]
    missing = f.not_voted()
    if missing:
        lines += ["", f"Binding members who did not vote: {escape(', '.join(missing))}"]
    lines += ["", f.window(escape)]
    links = f.session.proposal.links
    if links:
        lines += ["", "Discussion:", ""] + [f"- {link(url)}" for url in links]
    thread = thread_url(f.session.proposal.thread)
    if thread and thread not in links:
        lines += ["", f"Vote thread: {link(thread)}"]
    return lines

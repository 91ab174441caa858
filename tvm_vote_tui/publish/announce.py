"""The [VOTE] announcement a vote manager posts to open a vote."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tvm_vote_tui.domain.model import Kind, Proposal, now
from tvm_vote_tui.domain.text import MULTILINE, one_line, visible
from tvm_vote_tui.domain.times import format_utc, span_words
from tvm_vote_tui.publish.mentions import quiet_mentions
from tvm_vote_tui.publish.wording import bare_title, rule_sentence

if TYPE_CHECKING:
    from pendulum import DateTime

COMMUNITY = "Apache TVM"

_ASK = {
    Kind.STRATEGY: "on adopting a guidance-level community strategy",
    Kind.NEW_MODULE: "on establishing a new module",
    Kind.NEW_CODEBASE: "on adopting a new codebase",
    Kind.RELEASE: "on a release",
    Kind.PROCEDURAL: "on a procedural matter",
    Kind.OTHER: "on the following proposal",
}


def announcement_subject(proposal: Proposal) -> str:
    """The subject of the mail (or the title of the GitHub issue): `[VOTE] <title>`."""
    return quiet_mentions(f"[VOTE] {one_line(bare_title(proposal.title))}")


def announcement(proposal: Proposal, at: DateTime | None = None) -> str:
    """The body and ballot template, ready to paste into the forum or dev@ or to post on GitHub
    under the subject `announcement_subject` (which is not part of the body: a pasted body never
    repeats it). An @mention in the title or summary pings no one (publish/mentions.py). A
    draft's window is given as if it opened at `at` (default now): when it is posted."""
    title = one_line(bare_title(proposal.title))
    lines = [
        f"Dear {COMMUNITY} community,",
        "",
        f"This is a call for a vote {_ASK[proposal.kind]}: {title}.",
    ]
    if proposal.kind is Kind.NEW_CODEBASE:
        lines.append("If this vote does not pass, the existing codebase stays.")
    if proposal.summary.strip():
        lines += [
            "",
            "Summary of the community discussion:",
            "",
            visible(proposal.summary.strip(), MULTILINE),
        ]
    if proposal.links:
        lines += ["", "Discussion:"] + [f"- {one_line(link)}" for link in proposal.links]
    opens_at = proposal.opens_at or (at or now())
    closes_at = proposal.closes_at or opens_at + proposal.window
    lines += [
        "",
        rule_sentence(proposal.rule_obj, proposal.kind, applied=False),
        "",
        f"The vote is open for {span_words(proposal.window)}, from {format_utc(opens_at)} "
        f"until {format_utc(closes_at)}.",
        "",
        "Please vote:",
        "- [ ] +1 approve",
        "- [ ] +0 no opinion",
        "- [ ] -1 disapprove (please say why)",
        "",
        "Votes of PMC members are binding; everyone is welcome to vote (non-binding).",
        "Please mark your vote (binding) or (non-binding).",
        "",
        "Thank you,",
        f"The {COMMUNITY} PMC",
    ]
    return quiet_mentions("\n".join(lines) + "\n")

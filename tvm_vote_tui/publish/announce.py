"""The [VOTE] announcement a vote manager posts to open a vote."""

from __future__ import annotations

from tvm_vote_tui.domain.model import Kind, Proposal
from tvm_vote_tui.domain.text import MULTILINE, one_line, visible
from tvm_vote_tui.domain.times import format_utc, span_words
from tvm_vote_tui.publish.mentions import quiet_mentions
from tvm_vote_tui.publish.wording import bare_title, rule_sentence

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


def announcement(proposal: Proposal) -> str:
    """The body and ballot template, ready to paste into the forum or dev@ or to post on GitHub
    under the subject `announcement_subject` (which is not part of the body: a pasted body never
    repeats it). An @mention in the title or summary pings no one (publish/mentions.py)."""
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
    window = span_words(proposal.closes_at - proposal.opens_at)
    lines += [
        "",
        rule_sentence(proposal.rule_obj, proposal.kind, applied=False),
        "",
        f"The vote is open for {window}, from {format_utc(proposal.opens_at)} "
        f"until {format_utc(proposal.closes_at)}.",
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

"""The posts a vote makes on GitHub, as steps the command line and the app share: the [VOTE] issue,
the [RESULT] issue, the comment linking it from the vote issue, the vote issue closed, and status
comments. Each step is made from the session as it stands (so the comment names the [RESULT]
issue once it is posted), says where it goes and shows its exact text, knows whether it is done
(recorded in the session) or cannot be done now and why, and is done by `do_step`, which never
posts a step twice (github_post.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from tvm_vote_tui.domain.proposal import GITHUB_RESULT_STEPS, Published
from tvm_vote_tui.domain.thread_ref import (
    GitHubApi,
    IssueRef,
    Repo,
    ThreadRefError,
    is_list_thread,
    parse_issue_ref,
    parse_repo,
)
from tvm_vote_tui.publish import posts
from tvm_vote_tui.venues.github_post import GitHubPoster, Posted
from tvm_vote_tui.venues.http import Progress

if TYPE_CHECKING:
    from pendulum import DateTime

    from tvm_vote_tui.domain.model import Session

Kind = Literal["issue", "comment", "close"]
LABELS = {
    "vote": "the [VOTE] issue",
    "result-issue": "the [RESULT] issue",
    "link-comment": "a comment on the vote issue linking the [RESULT]",
    "close-issue": "the vote issue closed",
}
LOOK_BACK = timedelta(days=1)
"""Posts are looked for from a day before the session was made (clocks disagree)."""


@dataclass(frozen=True)
class Step:
    """One post to make: what, where, its exact text, and whether it is done or cannot be done."""

    name: str
    kind: Kind
    label: str
    repo: Repo
    issue: IssueRef | None = None
    """The issue a comment goes on, or that is closed."""
    title: str = ""
    body: str = ""
    marker: str = ""
    done: Published | None = None
    blocked: str = ""
    """Why it cannot be done now ('' when it can)."""
    since: DateTime | None = None
    """Its earlier post, if any, is no older than this."""
    web_host: str = ""
    waits_for: str = ""
    """A step that must be done first (the comment links the [RESULT] issue), or ''."""

    @property
    def where(self) -> str:
        """'a new issue in apache/tvm on github.com', 'a comment on apache/tvm#18013' ..."""
        if self.kind == "issue":
            return f"a new issue in {self.repo} on {self.web_host}"
        assert self.issue is not None
        if self.kind == "comment":
            return f"a comment on {self.issue.short}"
        return f"close {self.issue.short} (as completed)"

    def preview(self) -> str:
        """Exactly what is posted."""
        if self.kind == "issue":
            return f"Title: {self.title}\n\n{self.body}"
        if self.kind == "comment":
            return self.body
        assert self.issue is not None
        return (
            f"The issue {self.issue.short} is closed (state: closed, reason: completed); nothing is written."
        )


def since_of(session: Session) -> DateTime | None:
    """How far back its own posts are looked for: from the session's first log entry (a day earlier)."""
    return session.log[0].at - LOOK_BACK if session.log else None


def vote_issue(session: Session, api: GitHubApi) -> IssueRef | None:
    """The vote's GitHub issue, as the session names it (its thread, or the [VOTE] post), read at
    `api`; None when the vote has none (a dev@ thread, or opened in a meeting). An issue on a host
    `api` does not serve is ThreadRefError (one line)."""
    thread = session.proposal.thread
    vote = session.post("vote")
    for named in (thread, vote.url if vote is not None else ""):
        if not named or is_list_thread(named):
            continue
        try:
            parse_issue_ref(named)
        except ThreadRefError:
            continue
        return api.issue("", named)
    return None


def vote_step(session: Session, repo: Repo | str, api: GitHubApi, at: DateTime) -> Step:
    """Posting the [VOTE] of a draft to `repo` as a new issue, as if it opens at `at`."""
    checked = parse_repo(repo) if isinstance(repo, str) else repo
    text = posts.vote_issue(session, at)
    blocked = "" if session.is_draft else "the vote is not a draft: it has opened already"
    return Step(
        "vote",
        "issue",
        LABELS["vote"],
        checked,
        title=text.title,
        body=text.body,
        marker=posts.marker(session.session_id, "vote"),
        done=session.post("vote"),
        blocked=blocked or posts.too_long(text.title, text.body),
        since=since_of(session),
        web_host=api.web_host,
    )


def result_steps(session: Session, api: GitHubApi) -> list[Step]:
    """The [RESULT] as TVM publishes it: a new issue, a comment on the vote issue linking it, the
    vote issue closed; in that order, each done or not."""
    issue = vote_issue(session, api)
    repo = Repo(issue.owner, issue.repo) if issue is not None else parse_repo(session.proposal.repo)
    closed = "" if session.is_closed else "the result is published once the vote is closed (F8)"
    no_issue = "" if issue is not None else "the vote has no GitHub issue (it opened elsewhere)"
    sid, since = session.session_id, since_of(session)
    text = posts.result_issue(session)
    result = session.post("result-issue")
    comment = posts.link_comment(session, result.url if result is not None else "")
    waits = "" if result is not None else "result-issue"
    return [
        Step(
            "result-issue",
            "issue",
            LABELS["result-issue"],
            repo,
            title=text.title,
            body=text.body,
            marker=posts.marker(sid, "result-issue"),
            done=result,
            blocked=closed or posts.too_long(text.title, text.body),
            since=since,
            web_host=api.web_host,
        ),
        Step(
            "link-comment",
            "comment",
            LABELS["link-comment"],
            repo,
            issue,
            body=comment,
            marker=posts.marker(sid, "link-comment"),
            done=session.post("link-comment"),
            blocked=closed or no_issue,
            since=since,
            waits_for=waits,
        ),
        Step(
            "close-issue",
            "close",
            LABELS["close-issue"],
            repo,
            issue,
            done=session.post("close-issue"),
            blocked=closed or no_issue,
        ),
    ]


def result_step(session: Session, name: str, api: GitHubApi) -> Step:
    """One of the result steps, as it stands now."""
    return next(step for step in result_steps(session, api) if step.name == name)


def status_step(session: Session, api: GitHubApi, at: DateTime) -> Step:
    """The next status comment: the tally as it stands at `at`, on the vote issue."""
    issue = vote_issue(session, api)
    name = session.next_status_step()
    repo = Repo(issue.owner, issue.repo) if issue is not None else parse_repo(session.proposal.repo)
    blocked = ""
    if session.is_draft:
        blocked = "the vote is a draft: open it first (F2, o)"
    elif session.is_closed:
        blocked = "the vote is closed: publish the result instead (F6, p)"
    elif issue is None:
        blocked = "the vote has no GitHub issue to comment on"
    body = posts.status_comment(session, at, name)
    return Step(
        name,
        "comment",
        f"a status comment ({name})",
        repo,
        issue,
        body=body,
        marker=posts.marker(session.session_id, name),
        blocked=blocked or posts.too_long("", body),
        since=since_of(session),
    )


def do_step(poster: GitHubPoster, step: Step, progress: Progress | None = None) -> Posted:
    """Post `step` (or find it posted earlier by its marker): PostError, one line, when not done."""
    if step.kind == "issue":
        return poster.create_issue(
            step.repo, step.name, step.title, step.body, step.marker, step.since, progress
        )
    assert step.issue is not None
    if step.kind == "comment":
        return poster.comment(step.issue, step.name, step.body, step.marker, step.since, progress)
    return poster.close_issue(step.issue, step.name, progress)


__all__ = [
    "GITHUB_RESULT_STEPS",
    "Step",
    "do_step",
    "result_step",
    "result_steps",
    "status_step",
    "vote_step",
]

"""Where a result and its thread are: the result post among a thread's posts, the vote thread
among the result's links. Pure: the command line fetches what these name."""

from __future__ import annotations

from collections.abc import Sequence

from tvm_vote_tui.domain.thread_ref import IssueRef, ThreadRefError, parse_issue_ref
from tvm_vote_tui.votethread.posts import Post
from tvm_vote_tui.votethread.result_posts import result_reason
from tvm_vote_tui.votethread.result_text import ResultText


class SourceError(ValueError):
    """The result or its thread cannot be found where it was said to be: one line."""


def comment_id(text: str) -> str:
    """The comment a URL points at ('...#issuecomment-123' -> '123'), '' when none."""
    _, _, fragment = text.partition("#issuecomment-")
    return fragment if fragment.isdigit() else ""


def result_post(posts: Sequence[Post], comment: str = "") -> Post:
    """The result among an issue's posts: the comment named, else the issue itself when it is the
    result, else the last post that reads as a result."""
    if comment:
        found = next((p for p in posts if p.key == comment), None)
        if found is None:
            raise SourceError(f"comment {comment} is not in this issue")
        return found
    opening = next((p for p in posts if p.opening), None)
    if opening is not None and _is_result(opening):
        return opening
    results = [p for p in posts if not p.opening and _is_result(p)]
    if not results:
        raise SourceError(
            "no [RESULT] post in this issue: name the result's comment (its URL) or give a file"
        )
    return results[-1]


def _is_result(post: Post) -> bool:
    as_reply = Post(
        post.index, post.handle, post.name, post.email, post.date, post.lines, subject=post.subject
    )
    return bool(result_reason(as_reply))


def post_text(post: Post) -> str:
    return "\n".join(([f"Subject: {post.subject}", ""] if post.subject else []) + post.lines)


def thread_ref_in(result: ResultText, own: IssueRef | None) -> IssueRef | None:
    """The vote thread the result links to: a GitHub issue other than the result's own, on a line
    naming the thread first ('Vote thread: URL'), else any other it links, but never one it gives
    as the discussion (our own results list the RFC's issue there)."""
    others = [
        text
        for text in [*result.links, *result.refs]
        if text not in result.thread_links and text not in result.discussion_links
    ]
    for text in [*result.thread_links, *others]:
        try:
            ref = parse_issue_ref(text)
        except ThreadRefError:
            continue
        if own is None or (ref.owner, ref.repo, ref.number) != (own.owner, own.repo, own.number):
            return ref
    return None

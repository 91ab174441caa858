"""`announce --github` and `publish --github`: the command line's posts to GitHub.

Without --yes each prints exactly what it would post and posts nothing (nor needs a token). With
--yes it holds the session's lock from before the first post until the last is recorded, does
only the steps not yet recorded, records each step as soon as GitHub has it (so a failure later
loses nothing), and never posts a step twice: a step whose answer was lost, or that an earlier
run posted without recording, is found by its marker and recorded (venues/github_post.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.model import now
from tvm_vote_tui.domain.opening import posted_to_github
from tvm_vote_tui.domain.proposal import GITHUB_RESULT_STEPS
from tvm_vote_tui.domain.text import MULTILINE, one_line, visible
from tvm_vote_tui.domain.thread_ref import GitHubApi, ThreadRefError, parse_issue_ref
from tvm_vote_tui.domain.times import format_local
from tvm_vote_tui.publish.json_export import dumps
from tvm_vote_tui.store.paths import manager_name
from tvm_vote_tui.store.sessions import OpenSession, Store, StoreError
from tvm_vote_tui.venues.github_post import GitHubPoster, Posted, PostError
from tvm_vote_tui.venues.http import FetchError
from tvm_vote_tui.venues.publishing import Step, do_step, result_step, result_steps, vote_step
from tvm_vote_tui.venues.token import token_from_env

if TYPE_CHECKING:
    from tvm_vote_tui.domain.model import Session
    from tvm_vote_tui.domain.proposal import Published

Read = Callable[[Path, Store], "Session"]
RULE = "-" * 72
NOT_RECORDED = (
    "{what} was posted ({url}) but could not be recorded: {why}. Run the same command again: it "
    "finds the post by its marker and records it, posting nothing twice"
)


def announce_on_github(args: argparse.Namespace, path: Path, store: Store, read: Read, api: GitHubApi) -> int:
    """Post the [VOTE] of a draft as a new issue; the vote opens at the issue's `created_at`."""
    session = read(path, store)
    repo = args.github or session.proposal.repo
    step = _vote_step(session, repo, api)
    if not args.yes:
        _print_plan([step], args.json, f"post the [VOTE] to {step.repo}")
        return 0
    poster = _poster(api, step)
    opened = _open(store, path)
    try:
        session = opened.session
        step = _vote_step(session, repo, api)  # as the writer holds it (its id, if it had none)
        try:
            posted = do_step(poster, step)
        except FetchError as err:
            raise PostError(f"{err}; the vote is still a draft") from None
        ref = parse_issue_ref(posted.url)
        at = now()
        opening = posted_to_github(ref, min(posted.at, at))
        try:
            session.open_vote(
                opening.opens_at,
                thread=opening.thread,
                venue=opening.venue,
                posted=opening.posted,
                by=manager_name(),
                at=at,
            )
        except OSError as err:
            raise StoreError(
                NOT_RECORDED.format(what="The [VOTE]", url=posted.url, why=err.strerror or err)
            ) from None
        _fold(opened)
    finally:
        opened.close()
    opens_at, closes_at = session.opened_window
    if args.json:
        print(
            dumps(
                {
                    "session": str(path),
                    "status": session.proposal.status.value,
                    "opens_at": opens_at.isoformat(),
                    "closes_at": closes_at.isoformat(),
                    "thread": session.proposal.thread,
                    "posted": [_posted_json(posted)],
                    "published": [_published_json(p) for p in session.proposal.published],
                }
            )
        )
        return 0
    how = "Found the [VOTE] posted earlier" if posted.found else "Posted the [VOTE]"
    print(one_line(f"{how}: {posted.url} (#{posted.number})."))
    print(
        one_line(
            f"Opened {path.stem}: ballots count from {format_local(opens_at)} "
            f"until {format_local(closes_at)}."
        )
    )
    return 0


def publish_on_github(args: argparse.Namespace, path: Path, store: Store, read: Read, api: GitHubApi) -> int:
    """The [RESULT] of a closed vote: the steps not yet done and not left out, in order."""
    skip = set(args.skip or ())
    session = read(path, store)
    if not session.is_closed:
        raise ChangeRefused("the vote is not closed: close it first (tvm-vote-tui close), then publish")
    steps = _steps(session, api)
    if not args.yes:
        _print_plan(steps, args.json, "publish the result", skip)
        return 0
    poster = _poster(api, steps[0])
    done: list[Posted] = []
    failure = ""
    opened = _open(store, path)
    try:
        session = opened.session
        for name in GITHUB_RESULT_STEPS:
            step = _step(session, name, api)
            if step.done is not None or name in skip or step.blocked or step.waits_for:
                continue
            try:
                posted = do_step(poster, step)
            except FetchError as err:
                failure = f"{name}: {err}"
                break
            try:
                session.record_post(posted.step, posted.url, posted.at, posted.number, by=manager_name())
            except OSError as err:
                what = step.label[:1].upper() + step.label[1:]
                failure = NOT_RECORDED.format(what=what, url=posted.url, why=err.strerror or err)
                break
            done.append(posted)
        _fold(opened)
    finally:
        opened.close()
    _print_done(session, path, done, skip, api, args.json, failure)
    if failure:
        print(f"tvm-vote-tui: {one_line(failure)}", file=sys.stderr)
        return 2
    return 0


# -- helpers -------------------------------------------------------------------------------------


def _vote_step(session: Session, repo: str, api: GitHubApi) -> Step:
    if not session.is_draft:
        state = "closed" if session.is_closed else "open"
        raise ChangeRefused(f"the vote is already {state}: only a draft is announced")
    try:
        step = vote_step(session, repo, api, now())
    except ThreadRefError as err:
        raise ChangeRefused(f"--github: {err}") from None
    if step.blocked:
        raise ChangeRefused(step.blocked)
    return step


def _steps(session: Session, api: GitHubApi) -> list[Step]:
    try:
        return result_steps(session, api)
    except ThreadRefError as err:
        raise ChangeRefused(str(err)) from None


def _step(session: Session, name: str, api: GitHubApi) -> Step:
    try:
        return result_step(session, name, api)
    except ThreadRefError as err:
        raise ChangeRefused(str(err)) from None


def _poster(api: GitHubApi, step: Step) -> GitHubPoster:
    return GitHubPoster(api, token_from_env(), repo=step.repo)


def _open(store: Store, path: Path) -> OpenSession:
    opened = OpenSession.open(store, path)
    if opened.read_only:
        opened.close()
        raise StoreError(f"{path}: another tvm-vote-tui ({opened.holder}) has it open; nothing posted")
    return opened


def _fold(opened: OpenSession) -> None:
    try:
        opened.compact()
    except OSError:
        pass  # what was recorded is in the journal, on disk; the next writer folds it in


def _print_plan(steps: list[Step], as_json: bool, what: str, skip: set[str] | None = None) -> None:
    """Exactly what would be posted, step by step; nothing is posted."""
    skip = skip or set()
    if as_json:
        print(dumps({"posted": [], "would_post": [_step_json(s, skip) for s in steps]}))
        return
    print(f"Would {what} (nothing is posted without --yes):")
    for number, step in enumerate(steps, start=1):
        head = f"{number}. {step.name}: {step.label}"
        if step.done is not None:
            print(one_line(f"{head}: done, {step.done.url} ({format_local(step.done.at)})"))
        elif step.name in skip:
            print(one_line(f"{head}: left out (--skip)"))
        elif _why_not(step, skip):
            print(one_line(f"{head}: not done: {_why_not(step, skip)}"))
        else:
            print(one_line(f"{head}: {step.where}"))
            print(RULE)
            print(visible(step.preview(), MULTILINE).rstrip("\n"))
            print(RULE)
    print("Add --yes to post. It needs a token in GITHUB_TOKEN (or GH_TOKEN) that may write issues there.")


def _print_done(
    session: Session,
    path: Path,
    done: list[Posted],
    skip: set[str],
    api: GitHubApi,
    as_json: bool,
    failure: str,
) -> None:
    posted_now = {p.step for p in done}
    steps = _steps(session, api)
    if as_json:
        print(
            dumps(
                {
                    "session": str(path),
                    "posted": [_posted_json(p) for p in done],
                    "already": [s.name for s in steps if s.done is not None and s.name not in posted_now],
                    "skipped": sorted(skip),
                    "not_done": [
                        {"step": s.name, "why": _why_not(s, skip) or "a step before it failed"}
                        for s in steps
                        if s.done is None and s.name not in skip
                    ],
                    "published": [_published_json(p) for p in session.proposal.published],
                    "error": failure or None,
                }
            )
        )
        return
    for step in steps:
        if step.name in posted_now:
            post = next(p for p in done if p.step == step.name)
            how = "found, posted earlier" if post.found else "posted"
            print(one_line(f"{step.name}: {how}: {post.url}"))
        elif step.done is not None:
            print(one_line(f"{step.name}: done before: {step.done.url}"))
        elif step.name in skip:
            print(f"{step.name}: left out (--skip)")
        else:
            print(one_line(f"{step.name}: not done: {_why_not(step, skip) or 'a step before it failed'}"))


def _why_not(step: Step, skip: set[str]) -> str:
    """Why a step not done cannot be done in this run ('' when it can)."""
    if step.blocked:
        return step.blocked
    if step.waits_for and step.waits_for in skip:
        return f"it needs {step.waits_for}, which is left out"
    return ""


def _posted_json(posted: Posted) -> dict[str, object]:
    return {
        "step": posted.step,
        "url": posted.url,
        "number": posted.number,
        "at": posted.at.isoformat(),
        "found_earlier": posted.found,
    }


def _published_json(post: Published) -> dict[str, object]:
    return {"step": post.step, "url": post.url, "at": post.at.isoformat(), "number": post.number}


def _step_json(step: Step, skip: set[str]) -> dict[str, object]:
    data: dict[str, object] = {"step": step.name, "where": step.where}
    if step.done is not None:
        data["done"] = _published_json(step.done)
    elif step.name in skip:
        data["left_out"] = True
    elif _why_not(step, skip):
        data["blocked"] = _why_not(step, skip)
    if step.kind == "issue":
        data["title"] = step.title
    if step.kind != "close":
        data["body"] = step.body
    return data

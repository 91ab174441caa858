"""Command line: no arguments starts the app; subcommands call the domain directly (no Textual)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tvm_vote_tui import __version__
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.rules import UnknownRuleError
from tvm_vote_tui.domain.text import MULTILINE, one_line, plural, visible
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import Store, StoreError
from tvm_vote_tui.votethread.posts import THREAD_FORMATS, ThreadError

if TYPE_CHECKING:
    from tvm_vote_tui.domain.model import Session
    from tvm_vote_tui.domain.rules import Tally
    from tvm_vote_tui.store.sessions import Listing
    from tvm_vote_tui.votethread.posts import Post

# The rest is imported by the commands that use it: starting the app needs none of it.

BAD_INPUT = 2


class UsageError(Exception):
    """A user error: printed as one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    from tvm_vote_tui.publish.formats import EXPORT_FORMATS

    parser = _Parser(
        prog="tvm-vote-tui",
        description="Run an Apache-style vote: draft a proposal, keep the roster of binding voters, "
        "record ballots live and publish the result. With no command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where sessions and the shared roster live (default: ${paths.ENV_VAR} or the "
        "platform's user data dir)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    tally = commands.add_parser("tally", help="print the tally of a session file")
    tally.add_argument("session", metavar="PATH", help="a session file, or a saved session's name")
    tally.add_argument("--json", action="store_true", help="print JSON instead of text")
    tally.add_argument("--rule", metavar="NAME", help="apply this rule instead of the session's")
    export = commands.add_parser("export", help="print or save the result, Markdown, JSON or announcement")
    export.add_argument("session", metavar="SESSION", help="a session file, or a saved session's name")
    export.add_argument(
        "--format", "-f", choices=list(EXPORT_FORMATS), default="result", help="default: result"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (never over an existing file)")
    export.add_argument("--force", action="store_true", help="with -o: replace FILE if it exists")
    opener = commands.add_parser("open", help="start the app on one session's ballots")
    opener.add_argument("session", metavar="SESSION", help="a session file, or a saved session's name")
    thread = commands.add_parser(
        "import-thread",
        help="propose ballots from a vote thread: a GitHub issue (--github), or a saved page, mbox or mails",
    )
    thread.add_argument("session", metavar="SESSION", help="a session file, or a saved session's name")
    thread.add_argument("file", metavar="FILE", nargs="?", help="the thread, saved as text or an mbox file")
    thread.add_argument(
        "--github",
        metavar="ISSUE",
        nargs="?",
        const="",
        help="read the issue and its comments through the GitHub API: apache/tvm#16368, a number or the "
        "issue's URL; with no ISSUE, the session's own thread (token from $GITHUB_TOKEN or $GH_TOKEN)",
    )
    thread.add_argument(
        "--api-url", metavar="URL", help="GitHub Enterprise's API, e.g. https://github.example.com/api/v3"
    )
    thread.add_argument("--dry-run", action="store_true", help="show what would be recorded; record nothing")
    thread.add_argument("--json", action="store_true", help="print JSON")
    thread.add_argument(
        "--format", choices=list(THREAD_FORMATS), default="auto", help="how to read FILE (default: auto)"
    )
    commands.add_parser("rules", help="list the vote rules and what they mean")
    lister = commands.add_parser("list", help="list saved sessions")
    lister.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`tvm-vote-tui tally S | head -1`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        store = Store(paths.data_dir(args.data_dir))
        if args.command is None:
            return _run_app(store)
        if args.command == "open":
            return _run_app(store, _session_path(args.session, store))
        handler = {
            "tally": cmd_tally,
            "rules": cmd_rules,
            "list": cmd_list,
            "export": cmd_export,
            "import-thread": cmd_import_thread,
        }[args.command]
        return handler(args, store)
    except (UsageError, UnknownRuleError, SessionFileError, StoreError, ThreadError, ChangeRefused) as err:
        print(f"tvm-vote-tui: {one_line(str(err))}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:
        raise  # the reader went away: main() stops quietly
    except OSError as err:  # a disk that says no (full, read-only) where no message was made for it
        where = f"{err.filename}: " if err.filename else ""
        print(f"tvm-vote-tui: {one_line(where + (err.strerror or str(err)))}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _run_app(store: Store, open_path: Path | None = None) -> int:
    from tvm_vote_tui.app.app import make_app  # Textual is imported only to run the app
    from tvm_vote_tui.app.crash import run_app

    store.ensure()
    return run_app(make_app(store, open_path=open_path), store.root)


def cmd_rules(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.domain.rules import RULES

    for rule in RULES.values():
        print(f"{rule.name}\n    {rule.label}: {rule.description}\n    Source: {rule.bylaw}")
    return 0


def _read(path: Path) -> Session:
    """Load a session for reading; a journal that is not this file's is said, not applied."""
    from tvm_vote_tui.store.sessions import load

    loaded = load(path)
    if loaded.unapplied:
        print(f"tvm-vote-tui: warning: {one_line(loaded.unapplied)}", file=sys.stderr)
    return loaded.session


def cmd_tally(args: argparse.Namespace, store: Store) -> int:

    from tvm_vote_tui.domain.rules import get_rule

    path = _session_path(args.session, store)
    session = _read(path)
    rule = get_rule(args.rule) if args.rule else session.rule
    result = session.tally(rule)
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps, tally_fields

        data = {"session": str(path), "title": session.proposal.title, **tally_fields(session, result)}
        print(dumps(data))
    else:
        print(f"{one_line(session.proposal.title)}\n{tally_text(session, result)}")
    return 0


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.publish.formats import EXPORT_FORMATS
    from tvm_vote_tui.store.exports import write_export

    path = _session_path(args.session, store)
    fmt = EXPORT_FORMATS[args.format]
    session = _read(path)
    text = fmt.render(session)
    if fmt.subject is not None:  # not part of the text: said apart, on stderr
        print(f"Subject: {one_line(fmt.subject(session))}", file=sys.stderr)
    if args.output and args.output != "-":  # "-" is the terminal, as for most tools
        write_export(Path(args.output), text, private=fmt.private_for(text), overwrite=args.force)
        print(f"Wrote {one_line(args.output)}", file=sys.stderr)
    else:
        sys.stdout.write(text if fmt.name == "json" else visible(text, MULTILINE))
    return 0


def cmd_import_thread(args: argparse.Namespace, store: Store) -> int:

    from tvm_vote_tui.domain.model import now
    from tvm_vote_tui.store.sessions import OpenSession
    from tvm_vote_tui.votethread.proposals import propose_posts
    from tvm_vote_tui.votethread.to_ballots import describe, to_ballot

    path = _session_path(args.session, store)
    posts, source, thread = _thread_posts(args, path)
    opened = None if args.dry_run else OpenSession.open(store, path)
    try:
        if opened is not None and opened.read_only:
            raise StoreError(f"{path}: another tvm-vote-tui ({opened.holder}) has it open; nothing recorded")
        session = opened.session if opened is not None else _read(path)
        report = propose_posts(posts, session, now())
        clear = report.clear  # only these are recorded: everything flagged waits for a person
        recorded: list[str] = []
        if opened is not None:
            try:
                if thread and not session.is_closed and session.proposal.thread != thread:
                    session.set_thread(thread, now())  # the next fetch needs no typing
                if clear:
                    ballots = [to_ballot(p, now()) for p in clear]
                    recorded = [b.voter for b in session.import_ballots(ballots, f"thread {source}", now())]
            except OSError as err:
                reason = err.strerror or err
                raise StoreError(f"{path}: no ballots recorded: cannot write ({reason})") from None
            try:
                opened.compact()
            except OSError:
                pass  # what was recorded is in the journal, on disk; the next writer folds it in
    finally:
        if opened is not None:
            opened.close()
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps

        print(
            dumps(
                {
                    "session": str(path),
                    "thread": thread or source,
                    "messages": report.posts,
                    "clear": [p.as_json() for p in clear],
                    "review": [p.as_json() for p in report.review],
                    "already_recorded": [p.as_json() for p in report.recorded],
                    "skipped": [p.as_json() for p in report.skipped],
                    "recorded": recorded,
                }
            )
        )
        return 0
    names = {m.id: m.name for m in session.roster}
    verb = "Would record" if args.dry_run else "Recorded"
    print(
        one_line(
            f"{source}: {plural(report.posts, 'message')}, "
            f"{plural(len(report.proposed), 'voter')} with a vote."
        )
    )
    print(f"{verb} {plural(len(clear), 'ballot')} (source = thread):")
    for p in clear:
        print(f"  {one_line(describe(p, names.get(p.voter, '')))}")
    review = report.review
    print(f"Needs review ({len(review)}), not recorded:")
    for p in review:
        print(f"  {one_line(describe(p, names.get(p.voter, '')))}")
        for reason in p.why:
            print(f"      - {one_line(reason)}")
    if report.recorded:
        print(f"Already recorded ({len(report.recorded)}), nothing to do:")
        for p in report.recorded:
            print(f"  {one_line(describe(p, names.get(p.voter, '')))}")
    if report.skipped:
        print(f"Skipped ({len(report.skipped)}), not ballots:")
        for p in report.skipped:
            print(f"  {one_line(describe(p, ''))}: {one_line(p.skipped)}")
    return 0


def _thread_posts(args: argparse.Namespace, path: Path) -> tuple[list[Post], str, str]:
    """The thread's posts, what to call it, and the reference the session keeps ('' for a file)."""
    from tvm_vote_tui.domain.thread_ref import ThreadRefError, issue_ref_for
    from tvm_vote_tui.store.sessions import read_text
    from tvm_vote_tui.venues.github import GitHubReader, token_from_env
    from tvm_vote_tui.votethread.thread_text import split

    if (args.file is None) == (args.github is None):
        raise UsageError("give the thread: a FILE, or --github ISSUE (one of them)")
    if args.file is not None:
        if args.api_url:
            raise UsageError("--api-url goes with --github")
        thread_path = Path(args.file).expanduser()
        return split(read_text(thread_path), args.format), thread_path.name, ""
    # The session's own thread: used when ISSUE is left out or is a bare number in its repository.
    remembered = "" if "/" in args.github else _read(path).proposal.thread
    given = args.github or remembered
    if not given:
        raise UsageError("this session has no thread yet: give --github ISSUE (e.g. apache/tvm#16368)")
    try:
        ref = issue_ref_for(given, remembered)
    except ThreadRefError as err:
        raise UsageError(str(err)) from None
    reader = GitHubReader(api_url=args.api_url or ref.api_url, token=token_from_env())
    fetched = reader.fetch(ref)
    return fetched.posts, ref.short, fetched.stored


def _session_path(given: str, store: Store) -> Path:
    """The session file `given` names; when only part of a name or title was given, which file was
    chosen is said on stderr (the output itself stays as it is)."""
    path = Path(given).expanduser()
    if path.is_file():
        return path
    found, how = store.find(given)
    if how:
        print(f"tvm-vote-tui: {one_line(found.stem)} (matched by {one_line(how)})", file=sys.stderr)
    return found


def tally_text(session: Session, result: Tally) -> str:
    rule = result.rule
    b, nb = result.binding, result.non_binding
    verdict = result.verdict(session.is_closed)
    names = ", ".join(session.display_name(v) for v in result.not_voted)
    lines = [
        f"Rule: {rule.name} - {rule.description}" + (f" ({rule.reading})" if rule.reading else ""),
        f"Binding:     +1: {b.plus}  0: {b.zero}  -1: {b.minus}",
        f"Non-binding: +1: {nb.plus}  0: {nb.zero}  -1: {nb.minus}",
        f"Outcome: {verdict.text}" + ("" if verdict.closed else f"; {result.margin}"),
        f"Binding members not voted: {one_line(names) or 'none'}",
    ]
    return "\n".join(lines)


def _listing_json(listing: Listing) -> dict[str, Any]:
    """One saved session as `tvm-vote-tui list --json` shows it (or why it cannot be read)."""
    from tvm_vote_tui.publish.json_export import time_json

    entry: dict[str, Any] = {"name": listing.name, "path": str(listing.path)}
    session = listing.session
    if session is None:
        return {**entry, "error": listing.error}
    p = session.proposal
    tally = session.tally()
    verdict = tally.verdict(session.is_closed)
    entry.update(
        {
            "title": p.title,
            "kind": p.kind.value,
            "status": p.status.value,
            "binding": tally.binding.as_dict(),
            "outcome": verdict.word.lower(),
            "final": verdict.closed,
            "opens_at": time_json(p.opens_at),
            "closes_at": time_json(p.closes_at),
            "closed_at": time_json(p.closed_at),
        }
    )
    if listing.warning:
        entry["warning"] = listing.warning
    return entry


def cmd_list(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.domain.times import format_local, relative_words

    listings = store.list_sessions()
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps

        print(dumps([_listing_json(listing) for listing in listings]))
        return 0
    if not listings:
        print(f"No saved sessions in {one_line(str(store.sessions_dir))}")
        return 0
    for listing in listings:
        if listing.session is None:
            print(f"{one_line(listing.name)}  UNREADABLE: {one_line(listing.error)}")
            continue
        session = listing.session
        result = session.tally()
        p = session.proposal
        verdict = result.verdict(session.is_closed)
        state = verdict.text if verdict.closed else verdict.short
        when = (
            f"closed {format_local(p.closed_at or p.closes_at)}"
            if session.is_closed
            else f"closes {relative_words(p.closes_at)}"
        )
        tally = f"binding {result.binding.labelled()} · {state}"
        print(one_line(f"{listing.name}  {p.title}  [{p.kind.value}, {p.status.value}]  {tally}  {when}"))
        if listing.warning:
            print(f"  warning: {one_line(listing.warning)}")
    return 0

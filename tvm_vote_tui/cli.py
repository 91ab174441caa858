"""Command line: no arguments starts the app; subcommands call the domain directly (no Textual)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tvm_vote_tui import __version__
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.model import DRAFT_REFUSED
from tvm_vote_tui.domain.rules import UnknownRuleError
from tvm_vote_tui.domain.text import MULTILINE, one_line, plural, visible
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import Store, StoreError
from tvm_vote_tui.votethread.posts import THREAD_FORMATS, ThreadError

if TYPE_CHECKING:
    from pendulum import DateTime

    from tvm_vote_tui.domain.model import Member, Session
    from tvm_vote_tui.domain.proposal import Kind, Published
    from tvm_vote_tui.domain.rules import Tally
    from tvm_vote_tui.domain.thread_ref import GitHubApi, IssueRef
    from tvm_vote_tui.store.sessions import Listing
    from tvm_vote_tui.votethread.api_check import ApiCheck
    from tvm_vote_tui.votethread.posts import Post
    from tvm_vote_tui.votethread.proposals import Proposed, ThreadReport
    from tvm_vote_tui.votethread.result_text import ResultText

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
    export.add_argument(
        "--mailto",
        action="store_true",
        help="with announce-mail or result-mail: print a mailto: link for a mail client instead",
    )
    _lifecycle_commands(commands)
    opener = commands.add_parser("open", help="start the app on one session's ballots")
    opener.add_argument("session", metavar="SESSION", help="a session file, or a saved session's name")
    thread = commands.add_parser(
        "import-thread",
        help="propose ballots from a vote thread: a GitHub issue (--github), the dev@ thread (--list), "
        "both, or a saved page, mbox or mails",
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
        "--api-url",
        metavar="URL",
        help="the GitHub API to read (and send the token to): default api_url in your configuration, "
        "else https://api.github.com; GitHub Enterprise: https://HOST/api/v3",
    )
    thread.add_argument(
        "--list",
        metavar="URL",
        nargs="?",
        const="",
        help="read the dev@ thread from its Pony Mail archive: https://lists.apache.org/thread/ID (alone, "
        "or with --github: one tally, each mirrored post counted once); with no URL, the one the session "
        "remembers",
    )
    thread.add_argument(
        "--bridge",
        metavar="LOGIN",
        action="append",
        help="a GitHub account that posts dev@ replies on the issue (default: bridge_accounts in your "
        "configuration, else tvm-archiver); may be repeated",
    )
    thread.add_argument("--dry-run", action="store_true", help="show what would be recorded; record nothing")
    thread.add_argument(
        "--yes",
        action="store_true",
        help="also record the clear ballots of a saved page or mails, whose authors nothing proves "
        "(without it they are only proposed)",
    )
    thread.add_argument(
        "--check-github",
        metavar="ISSUE",
        nargs="?",
        const="",
        help="check a saved GitHub page against the issue read through the API (default: the issue the "
        "page names, else the session's thread): says which posts GitHub does not know; the posts it "
        "knows count as read through the API",
    )
    thread.add_argument("--json", action="store_true", help="print JSON")
    thread.add_argument(
        "--format", choices=list(THREAD_FORMATS), default="auto", help="how to read FILE (default: auto)"
    )
    audit = commands.add_parser(
        "audit",
        help="check a published [RESULT]: against itself, its vote thread and a roster",
    )
    audit.add_argument(
        "result",
        metavar="RESULT",
        help="the result: a GitHub issue or comment (apache/tvm#14325, its URL) or a saved text or mail",
    )
    audit.add_argument(
        "--thread", metavar="THREAD", help="the vote thread: a GitHub issue, or a saved page, mbox or mails"
    )
    audit.add_argument(
        "--list",
        metavar="URL|FILE",
        help="the dev@ thread: its Pony Mail archive (https://lists.apache.org/thread/ID), or saved as "
        "mbox or mails",
    )
    audit.add_argument(
        "--roster", metavar="FILE", help="a session file, or a roster (CSV, TOML or committee-info.json)"
    )
    audit.add_argument(
        "--format",
        choices=list(THREAD_FORMATS),
        default="auto",
        help="how to read saved threads (default: auto)",
    )
    audit.add_argument(
        "--api-url", metavar="URL", help="GitHub Enterprise's API, e.g. https://github.example.com/api/v3"
    )
    audit.add_argument("--json", action="store_true", help="print JSON")
    verify = commands.add_parser(
        "verify",
        help="check a JSON export (its log's chain, ballots and tally) and the result text made from it",
    )
    verify.add_argument("export", metavar="EXPORT.json", help="the JSON export (tvm-vote-tui export -f json)")
    verify.add_argument(
        "--result",
        metavar="RESULT.txt",
        help="the result text or Markdown that was posted: checked line by line",
    )
    verify.add_argument("--json", action="store_true", help="print JSON")
    commands.add_parser("rules", help="list the vote rules and what they mean")
    lister = commands.add_parser("list", help="list saved sessions")
    lister.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def _lifecycle_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """new, announce, close, reopen: a vote's life (draft, open, closed) for scripts and tests."""
    new = commands.add_parser("new", help="draft a new vote and print its file's path")
    new.add_argument("title", metavar="TITLE")
    new.add_argument(
        "--kind", choices=[k.value for k in _kinds()], default="strategy", help="default: strategy"
    )
    new.add_argument(
        "--roster",
        metavar="FILE",
        help="its roster from FILE (CSV, TOML or committee-info.json) instead of the shared roster",
    )
    new.add_argument("--window", metavar="SPAN", help="how long it runs once opened: +7d (default), +72h ...")
    new.add_argument("--json", action="store_true", help="print JSON")
    announce = commands.add_parser(
        "announce",
        help="open a draft: post its [VOTE] to GitHub (--github), or it was posted elsewhere (--posted), "
        "or it opens now (--now)",
    )
    announce.add_argument("session", metavar="SESSION", help="a session file, or a saved session's name")
    ways = announce.add_mutually_exclusive_group(required=True)
    ways.add_argument(
        "--posted",
        metavar="URL",
        help="the [VOTE]'s GitHub issue (URL or apache/tvm#16368) or its lists.apache.org thread URL",
    )
    ways.add_argument("--now", action="store_true", help="open it now (a vote called in a meeting)")
    ways.add_argument(
        "--github",
        metavar="OWNER/REPO",
        nargs="?",
        const="",
        help="post the [VOTE] as a new issue in OWNER/REPO (default: the session's repository, "
        "apache/tvm unless set); it opens when GitHub creates the issue. Without --yes, prints what "
        "it would post and posts nothing (token from $GITHUB_TOKEN or $GH_TOKEN)",
    )
    announce.add_argument("--at", metavar="TIME", help="with --posted: when it was posted (default: now)")
    _posting_options(announce)
    publish = commands.add_parser(
        "publish",
        help="publish the result of a closed vote on GitHub: a [RESULT][VOTE] issue, a comment on the vote "
        "issue linking it, the vote issue closed (each step once; only the missing ones)",
    )
    publish.add_argument("session", metavar="SESSION", help="a session file, or a saved session's name")
    publish.add_argument("--github", action="store_true", required=True, help="publish on GitHub")
    publish.add_argument(
        "--skip",
        metavar="STEP",
        action="append",
        choices=["result-issue", "link-comment", "close-issue"],
        help="leave out a step: result-issue, link-comment or close-issue (may be repeated)",
    )
    _posting_options(publish)
    close = commands.add_parser("close", help="close an open vote (before its window ends, with --reason)")
    close.add_argument("session", metavar="SESSION", help="a session file, or a saved session's name")
    close.add_argument("--reason", metavar="TEXT", default="", help="why: required before the window ends")
    close.add_argument("--json", action="store_true", help="print what was done as JSON")
    reopen = commands.add_parser("reopen", help="reopen a closed vote")
    reopen.add_argument("session", metavar="SESSION", help="a session file, or a saved session's name")
    reopen.add_argument("--reason", metavar="TEXT", required=True, help="why: it goes into the audit log")
    reopen.add_argument("--json", action="store_true", help="print what was done as JSON")


def _posting_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--api-url",
        metavar="URL",
        help="the GitHub API to post to (and send the token to): default api_url in your configuration, "
        "else https://api.github.com",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="post; without it, print exactly what would be posted and post nothing",
    )
    parser.add_argument("--json", action="store_true", help="print what was done as JSON")


def _kinds() -> list[Kind]:
    from tvm_vote_tui.domain.proposal import Kind

    return list(Kind)


def main(argv: Sequence[str] | None = None) -> int:
    _never_unprintable()
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`tvm-vote-tui tally S | head -1`): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _never_unprintable() -> None:
    """A character the output's encoding lacks is written as an escape (`\\u5f20`), never a
    traceback: output redirected to a file or a pipe on Windows is in the ANSI code page (cp1252
    and the like), which has no room for most names."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            reconfigure(errors="backslashreplace")


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        store = Store(paths.data_dir(args.data_dir), paths.cache_key_path(args.data_dir))
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
            "new": cmd_new,
            "announce": cmd_announce,
            "publish": cmd_publish,
            "close": cmd_close,
            "reopen": cmd_reopen,
            "verify": cmd_verify,
            "audit": cmd_audit,
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


def _read(path: Path, store: Store | None = None) -> Session:
    """Load a session for reading; a journal that is not this file's, or a cache beside it that
    is not used, is said (and the journal not applied); members who look alike are said."""
    from tvm_vote_tui.store.sessions import load

    loaded = load(path, key=store.key if store is not None else None)
    for warning in filter(None, [loaded.unapplied, *loaded.notices]):
        print(f"tvm-vote-tui: warning: {one_line(warning)}", file=sys.stderr)
    _warn_look_alikes(loaded.session)
    return loaded.session


def _warn_look_alikes(session: Session) -> None:
    from tvm_vote_tui.domain.roster import look_alike_warnings

    for line in look_alike_warnings(session.roster):
        print(f"tvm-vote-tui: warning: {one_line(line)}", file=sys.stderr)


def cmd_tally(args: argparse.Namespace, store: Store) -> int:

    from tvm_vote_tui.domain.rules import get_rule

    path = _session_path(args.session, store)
    session = _read(path, store)
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
    if args.mailto:
        if fmt.mail is None:
            raise UsageError("--mailto goes with --format announce-mail or result-mail")
        from tvm_vote_tui.domain.model import now
        from tvm_vote_tui.publish.mail import mailto_link

        # Percent-encoded: nothing in the link can reach the terminal as a control character.
        print(mailto_link(fmt.mail(_read(path, store), now())))
        return 0
    session = _read(path, store)
    text = fmt.render(session)
    if fmt.subject is not None:  # not part of the text: said apart, on stderr
        print(f"Subject: {one_line(fmt.subject(session))}", file=sys.stderr)
    if args.output and args.output != "-":  # "-" is the terminal, as for most tools
        write_export(
            Path(args.output).expanduser(),
            text,
            private=fmt.private_for(text),
            overwrite=args.force,
            store=store,
            session=path,
        )
        print(f"Wrote {one_line(args.output)}", file=sys.stderr)
    else:
        shown = text.replace("\r\n", "\n") if fmt.mail is not None else text
        sys.stdout.write(shown if fmt.name == "json" else visible(shown, MULTILINE))
    return 0


def cmd_import_thread(args: argparse.Namespace, store: Store) -> int:

    from tvm_vote_tui.domain.model import now
    from tvm_vote_tui.store.sessions import OpenSession
    from tvm_vote_tui.votethread.proposals import propose_posts
    from tvm_vote_tui.votethread.to_ballots import to_ballot

    path = _session_path(args.session, store)
    if not args.dry_run and _read(path).is_draft:  # said before the thread is fetched for nothing
        raise UsageError(f"{DRAFT_REFUSED}: tvm-vote-tui announce opens it (or --dry-run)")
    thread = _thread_posts(args, path)
    check = _check_against_github(args, path, thread) if args.check_github is not None else None
    posts = check.posts if check is not None else thread.posts
    # A pasted page proposes only, as --dry-run does, unless --yes (or a check that vouches for some).
    writes = not args.dry_run and (not thread.pasted or args.yes or check is not None)
    opened = OpenSession.open(store, path) if writes else None
    try:
        if opened is not None and opened.read_only:
            raise StoreError(f"{path}: another tvm-vote-tui ({opened.holder}) has it open; nothing recorded")
        session = opened.session if opened is not None else _read(path, store)
        if opened is not None:
            _warn_look_alikes(session)
        report = propose_posts(posts, session, now())
        clear = [p for p in report.clear if p.verified or args.yes]
        held = [p for p in report.clear if not (p.verified or args.yes)]
        recorded: list[str] = []
        if opened is not None:
            try:
                if thread.ref and not session.is_closed and session.proposal.thread != thread.ref:
                    session.set_thread(thread.ref, now())  # the next fetch needs no typing
                listed = thread.list_ref
                if listed and not session.is_closed and session.proposal.list_thread != listed:
                    session.set_list_thread(listed, now())
                if clear:
                    ballots = [to_ballot(p, now()) for p in clear]
                    recorded = [
                        b.voter for b in session.import_ballots(ballots, f"thread {thread.source}", now())
                    ]
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
        from tvm_vote_tui.votethread.api_check import describe as describe_post

        print(
            dumps(
                {
                    "session": str(path),
                    "thread": thread.ref or thread.source,
                    "messages": report.posts,
                    "pasted": thread.pasted,
                    "clear": [p.as_json() for p in clear],
                    "unverified": [p.as_json() for p in held],
                    "review": [p.as_json() for p in report.review],
                    "already_recorded": [p.as_json() for p in report.recorded],
                    "skipped": [p.as_json() for p in report.skipped],
                    "notices": report.notices,
                    "mirrored": thread.mirrored,
                    "recorded": recorded,
                    "checked_against": check.issue if check else None,
                    "unknown_to_api": [describe_post(p) for p in check.unknown] if check else [],
                }
            )
        )
        return 0
    _print_import(args, session, report, thread, check, clear, held)
    return 0


@dataclass
class _Thread:
    posts: list[Post]
    source: str
    """What to call it: 'apache/tvm#16368', or the file's name."""
    ref: str = ""
    """The issue the session keeps ('' for a file)."""
    pasted: bool = False
    """Text anyone could have typed (a saved page or mails): nothing proves who wrote a post."""
    text: str = ""
    kind: str = ""
    mirrored: list[str] = field(default_factory=list)
    """Posts seen at both venues, counted once (what each was matched to)."""
    list_ref: str = ""
    """The dev@ thread the manager named ('' when none was named): the session remembers it."""


def _print_import(
    args: argparse.Namespace,
    session: Session,
    report: ThreadReport,
    thread: _Thread,
    check: ApiCheck | None,
    clear: list[Proposed],
    held: list[Proposed],
) -> None:
    from tvm_vote_tui.votethread.proposals import UNVERIFIED
    from tvm_vote_tui.votethread.to_ballots import describe

    names = {m.id: m.name for m in session.roster}
    verb = "Would record" if args.dry_run else "Recorded"
    print(
        one_line(
            f"{thread.source}: {plural(report.posts, 'message')}, "
            f"{plural(len(report.proposed), 'voter')} with a vote."
        )
    )
    for notice in report.notices:
        print(f"Notice: {one_line(notice)}")
    if thread.mirrored:
        print(f"Counted once ({len(thread.mirrored)}), the same post at both venues:")
        for line in thread.mirrored:
            print(f"  {one_line(line)}")
    if check is not None:
        print(one_line(check.summary()))
    print(f"{verb} {plural(len(clear), 'ballot')} (source = thread):")
    for p in clear:
        print(f"  {one_line(describe(p, names.get(p.voter, '')))}")
    if held:
        print(f"Not recorded, {UNVERIFIED} ({len(held)}): anyone can type a header or a From: line.")
        for p in held:
            print(f"  {one_line(describe(p, names.get(p.voter, '')))}")
        how = "check each one and run again with --yes to record them"
        issue = _issue_to_check(thread, session) if thread.kind == "github" and check is None else ""
        if issue:
            how += f", or add --check-github to compare the page with {issue} through the API"
        print(f"  ({one_line(how)})")
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


def _thread_posts(args: argparse.Namespace, path: Path) -> _Thread:
    """The thread's posts, what to call it, and the reference the session keeps ('' for a file,
    or for the session's own thread read again)."""
    from tvm_vote_tui.store.sessions import read_text
    from tvm_vote_tui.votethread.thread_text import detect, split

    network = args.github is not None or args.list is not None
    if (args.file is None) == (not network):
        raise UsageError("give the thread: a FILE, or --github ISSUE and/or --list URL")
    if args.file is not None:
        if args.api_url and args.check_github is None:
            raise UsageError("--api-url goes with --github or --check-github")
        thread_path = Path(args.file).expanduser()
        text = read_text(thread_path)
        kind = detect(text) if args.format == "auto" else args.format
        saved = _saved_at(thread_path)  # a page's "5 minutes ago" is reckoned from when it was saved
        return _Thread(split(text, kind, saved), thread_path.name, pasted=True, text=text, kind=kind)
    if args.check_github is not None:
        raise UsageError("--check-github checks a saved page (FILE); --github reads the issue itself")
    if args.api_url and args.github is None:
        raise UsageError("--api-url goes with --github")
    return _venue_posts(args, path)


def _github_api(args: argparse.Namespace) -> GitHubApi:
    """The API the manager named: --api-url, else their configuration's, else api.github.com.
    The token goes there and nowhere else; no session file, page or answer can name another."""
    from tvm_vote_tui.domain.thread_ref import GitHubApi, ThreadRefError
    from tvm_vote_tui.store.config import load_config

    try:
        return GitHubApi.parse(args.api_url, "--api-url") if args.api_url else load_config().github_api
    except ThreadRefError as err:
        raise UsageError(str(err)) from None


def _venue_posts(args: argparse.Namespace, path: Path) -> _Thread:
    """The issue read at the manager's API and/or the dev@ thread at its archive; both read, one
    thread, each mirrored post counted once."""
    from tvm_vote_tui.domain.thread_ref import ThreadRefError, is_list_thread, is_login, parse_list_thread
    from tvm_vote_tui.store.config import load_config
    from tvm_vote_tui.venues.threads import ThreadAt, VenueReader
    from tvm_vote_tui.venues.token import token_from_env

    bridges = tuple(args.bridge) if args.bridge else load_config().bridge_accounts
    for login in bridges:
        if not is_login(login):
            raise UsageError(f"--bridge {login!r} is not a GitHub login")
    api = _github_api(args)
    proposal = _read(path).proposal
    remembered = proposal.thread
    try:
        issue = None
        if args.github is not None:
            if not args.github and not remembered:
                raise UsageError(
                    "this session has no thread yet: give --github ISSUE (e.g. apache/tvm#16368)"
                )
            issue = api.issue(args.github, remembered)
        mail = None
        if args.list is not None:
            known = proposal.list_thread or (remembered if is_list_thread(remembered) else "")
            if not args.list and not known:
                raise UsageError(
                    "this session remembers no dev@ thread: give --list https://lists.apache.org/thread/ID"
                )
            mail = parse_list_thread(args.list or known)
    except ThreadRefError as err:
        raise UsageError(str(err)) from None
    at = ThreadAt(issue, mail)
    token = token_from_env() if issue is not None else None
    read = VenueReader(api, token, bridges=bridges).read(at)
    # The session keeps the thread the manager named: never where an answer says it lives.
    if args.github:
        stored = at.stored
    elif mail is not None and issue is None and not remembered:
        stored = mail.url
    else:
        stored = ""
    mirrored = [m.describe() for m in read.mirrored]
    kind = "github" if issue else "mail"
    listed = mail.url if args.list and mail is not None else ""  # named here: remembered beside the issue
    return _Thread(read.posts, at.label, ref=stored, kind=kind, mirrored=mirrored, list_ref=listed)


def _saved_at(path: Path) -> DateTime:
    import pendulum

    try:
        return pendulum.from_timestamp(path.stat().st_mtime, tz="UTC")
    except (OSError, OverflowError, ValueError):
        from tvm_vote_tui.domain.model import now

        return now()


def _issue_to_check(thread: _Thread, session: Session) -> str:
    """The issue a saved page can be checked against: the one it names, else the session's."""
    from tvm_vote_tui.domain.thread_ref import ThreadRefError, issue_ref_for
    from tvm_vote_tui.votethread.api_check import page_issue

    given = page_issue(thread.text) or session.proposal.thread
    try:
        return issue_ref_for(given, session.proposal.thread).short if given else ""
    except ThreadRefError:
        return ""


def _check_against_github(args: argparse.Namespace, path: Path, thread: _Thread) -> ApiCheck:
    """The page checked against the issue read at the manager's API: an issue the page names on
    another host is refused, never read there (the token goes to that API only)."""
    from tvm_vote_tui.domain.thread_ref import ThreadRefError
    from tvm_vote_tui.venues.github import GitHubReader
    from tvm_vote_tui.venues.token import token_from_env
    from tvm_vote_tui.votethread.api_check import check_against_api, page_issue

    if thread.kind != "github":
        raise UsageError(f"--check-github checks a GitHub page; {thread.source} reads as {thread.kind}")
    remembered = _read(path).proposal.thread
    given = args.check_github or page_issue(thread.text) or remembered
    if not given:
        raise UsageError("--check-github: the page names no issue and the session has no thread: give ISSUE")
    api = _github_api(args)
    try:
        ref = api.issue(given, remembered)
    except ThreadRefError as err:
        raise UsageError(str(err)) from None
    reader = GitHubReader(api, token_from_env())
    return check_against_api(thread.posts, reader.fetch(ref).posts, ref.short)


FINDINGS = 1


def cmd_audit(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.audit.check import Audit, thread_ballots, thread_session
    from tvm_vote_tui.audit.sources import SourceError
    from tvm_vote_tui.domain.model import now
    from tvm_vote_tui.votethread.result_text import read_result

    try:
        text, when, own, posts = _audit_result(args)
        result = read_result(text)
        roster = _audit_roster(args.roster) if args.roster else []
        thread_posts, thread_name = _audit_thread(args, result, own, posts)
        list_posts = _audit_list(args) if args.list else None
    except SourceError as err:
        raise UsageError(str(err)) from None
    if thread_posts is not None and list_posts is not None:
        thread_posts, list_posts = _counted_once(thread_posts, list_posts)
    at = now()
    every = [*(thread_posts or []), *(list_posts or [])]
    session = thread_session(every, roster, result, when)
    audit = Audit(result, roster=roster)
    if thread_posts is not None:
        audit.thread = thread_ballots(thread_posts, session, at, "thread", result.candidate)
    if list_posts is not None:
        audit.mail = thread_ballots(list_posts, session, at, "list", result.candidate)
    report = audit.run()
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps

        print(
            dumps(
                {
                    "consistent": report.consistent,
                    "findings": [f.as_json() for f in report.findings],
                    "notes": report.notes,
                    "result": result.as_json(),
                    "thread": None
                    if audit.thread is None
                    else {"source": thread_name, "ballots": [b.as_json() for b in audit.thread]},
                    "list": None if audit.mail is None else {"ballots": [b.as_json() for b in audit.mail]},
                }
            )
        )
        return 0 if report.consistent else FINDINGS
    for finding in report.findings:
        print(finding.line)
    for note in report.notes:
        print(f"note: {one_line(note)}")
    against = [w for w, on in (("itself", True), (thread_name, audit.thread is not None)) if on]
    if audit.mail is not None:
        against.append("the mailing list")
    if roster:
        against.append("the roster")
    said = ", ".join(against[:-1]) + (" and " if len(against) > 1 else "") + against[-1]
    if report.consistent:
        print(f"Consistent: the result checked against {one_line(said)}")
        return 0
    print(f"{len(report.findings)} findings: the result checked against {one_line(said)}")
    return FINDINGS


def _audit_result(
    args: argparse.Namespace,
) -> tuple[str, DateTime | None, IssueRef | None, list[Post] | None]:
    """The result's text, when it was posted, its GitHub issue and that issue's posts (None for a file)."""
    from tvm_vote_tui.audit.sources import comment_id, post_text, result_post
    from tvm_vote_tui.domain.thread_ref import ThreadRefError, parse_issue_ref
    from tvm_vote_tui.store.sessions import read_text
    from tvm_vote_tui.votethread.thread_text import detect, split

    path = Path(args.result).expanduser()
    if not path.exists():
        try:
            ref = parse_issue_ref(args.result)
        except ThreadRefError:
            raise UsageError(
                f"{args.result}: no such file, and not a GitHub issue (e.g. apache/tvm#14325)"
            ) from None
        posts = _fetch_posts(args, ref, args.result)
        post = result_post(posts, comment_id(args.result))
        return post_text(post), post.date, ref, posts
    text = read_text(path)
    try:
        mails = split(text, "mail") if detect(text) == "mail" else []
    except ThreadError:
        mails = []
    if not mails:
        return text, None, None, None
    post = result_post(mails) if len(mails) > 1 else mails[0]
    return post_text(post), post.date, None, None


def _fetch_posts(args: argparse.Namespace, ref: IssueRef, typed: str = "") -> list[Post]:
    """The issue's posts, read at the API the manager named (--api-url, their configuration, else
    api.github.com), the token sent there only: never at an API a result's link would imply. An
    issue on another host than that API serves is refused with one line; a short ref the manager
    `typed` (apache/tvm#1) is the issue where that API serves."""
    from tvm_vote_tui.domain.thread_ref import GitHubApi, ThreadRefError, is_short_ref
    from tvm_vote_tui.store.config import load_config
    from tvm_vote_tui.venues.github import GitHubReader
    from tvm_vote_tui.venues.token import token_from_env

    try:
        api = GitHubApi.parse(args.api_url, "--api-url") if args.api_url else load_config().github_api
        ref = api.issue(typed) if typed and is_short_ref(typed) else api.linked(ref)
    except ThreadRefError as err:
        raise UsageError(str(err)) from None
    reader = GitHubReader(api, token_from_env())
    fetched = reader.fetch(ref)
    for post in fetched.posts:
        if post.opening:
            post.subject = fetched.title
    return fetched.posts


def _audit_thread(
    args: argparse.Namespace, result: ResultText, own: IssueRef | None, posts: list[Post] | None
) -> tuple[list[Post] | None, str]:
    """The vote thread's posts: --thread, else the issue the result links to (a result read from a
    file or from GitHub alike), else the result's own issue."""
    from tvm_vote_tui.audit.sources import thread_ref_in
    from tvm_vote_tui.domain.thread_ref import ThreadRefError, parse_issue_ref
    from tvm_vote_tui.store.sessions import read_text
    from tvm_vote_tui.votethread.thread_text import split

    if args.thread:
        path = Path(args.thread).expanduser()
        if path.exists():
            return split(read_text(path), args.format), path.name
        try:
            ref = parse_issue_ref(args.thread)
        except ThreadRefError:
            raise UsageError(f"--thread {args.thread}: no such file, and not a GitHub issue") from None
        return _fetch_posts(args, ref, args.thread), ref.short
    linked = thread_ref_in(result, own)
    if linked is not None:  # the result's own link, for a file too: read at the manager's API
        return _fetch_posts(args, linked), linked.short
    if own is not None and posts is not None and len(posts) > 1:
        return posts, own.short  # the result is a comment in the vote's own issue
    return None, ""


def _audit_list(args: argparse.Namespace) -> list[Post]:
    """The dev@ thread: read from its Pony Mail archive (https://lists.apache.org/thread/ID), as
    `import-thread --list` reads it, or from a saved mbox or mail file."""
    from tvm_vote_tui.domain.thread_ref import ThreadRefError, parse_list_thread
    from tvm_vote_tui.store.sessions import read_text
    from tvm_vote_tui.venues.ponymail import PonyMailReader
    from tvm_vote_tui.votethread.thread_text import split

    if "://" in args.list:
        try:
            ref = parse_list_thread(args.list)
        except ThreadRefError as err:
            raise UsageError(f"--list {err}") from None
        return PonyMailReader().fetch(ref).posts
    return split(read_text(Path(args.list).expanduser()), "mail")


def _counted_once(thread: list[Post], mail: list[Post]) -> tuple[list[Post], list[Post]]:
    """The vote thread's posts and the dev@ thread's, each mirror of the other venue dropped (a
    GitHub notification mail, a bridge's comment), by import-thread's rules: a ballot is counted
    once, at the venue it was cast."""
    from tvm_vote_tui.store.config import load_config
    from tvm_vote_tui.votethread.mirrors import one_timeline

    kept = {id(post) for post in one_timeline(thread, mail, load_config().bridge_accounts).posts}
    return [p for p in thread if id(p) in kept], [p for p in mail if id(p) in kept]


def _audit_roster(given: str) -> list[Member]:
    from tvm_vote_tui.domain.roster_import import RosterImportError, detect_format, preview_import
    from tvm_vote_tui.store.sessions import read_text

    path = Path(given).expanduser()
    text = read_text(path)
    if path.suffix.lower() == ".toml" and "[proposal]" in text:
        return list(_read(path).roster)
    try:
        preview = preview_import(text, detect_format(path, text), [], source=path.name)
    except RosterImportError as err:
        raise UsageError(f"{path}: {err}") from None
    if preview.bad_rows:
        where, why = preview.bad_rows[0]
        raise UsageError(f"{path}: {where}: {why}")
    if not preview.new:
        raise UsageError(f"{path}: no roster members found")
    return preview.new


def cmd_verify(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.audit.export_reader import read_export
    from tvm_vote_tui.audit.verify import verify
    from tvm_vote_tui.store.sessions import read_text

    export_path = Path(args.export).expanduser()
    export = read_export(read_text(export_path), export_path)
    result = read_text(Path(args.result).expanduser()) if args.result else None
    checked = verify(export, result)
    report = checked.report
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps

        print(
            dumps(
                {
                    "consistent": report.consistent,
                    "findings": [f.as_json() for f in report.findings],
                    "notes": report.notes,
                    "chain_head": checked.head,
                    "fingerprint": checked.fingerprint,
                    "ballots": checked.ballots,
                    "entries": checked.entries,
                }
            )
        )
        return 0 if report.consistent else FINDINGS
    for finding in report.findings:
        print(finding.line)
    for note in report.notes:
        print(f"note: {one_line(note)}")
    checked_what = f"{checked.ballots} ballots, {checked.entries} log entries"
    if args.result:
        checked_what += f" and {one_line(args.result)}"
    if report.consistent:
        print(f"Consistent: {checked_what}; fingerprint {checked.fingerprint}")
        return 0
    print(f"{len(report.findings)} findings in {checked_what}")
    return FINDINGS


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
    outcome = f"Outcome: {verdict.text}" + ("" if verdict.closed else f"; {result.margin}")
    if session.is_draft:
        outcome = "Outcome: DRAFT: the vote has not opened (tvm-vote-tui announce, or F2 o in the app)"
    lines = [
        f"Rule: {rule.name} - {rule.description}" + (f" ({rule.reading})" if rule.reading else ""),
        f"Binding:     +1: {b.plus}  0: {b.zero}  -1: {b.minus}",
        f"Non-binding: +1: {nb.plus}  0: {nb.zero}  -1: {nb.minus}",
        outcome,
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
            "outcome": "draft" if session.is_draft else verdict.word.lower(),
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
    from tvm_vote_tui.domain.roster import look_alike_warnings
    from tvm_vote_tui.domain.times import format_local, format_span, relative_words

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
        if p.opens_at is None or p.closes_at is None:
            state, when = "draft", f"runs {format_span(p.window)} once opened"
        elif session.is_closed:
            when = f"closed {format_local(p.closed_at or p.closes_at)}"
        else:
            when = f"closes {relative_words(p.closes_at)}"
        tally = f"binding {result.binding.labelled()} · {state}"
        print(one_line(f"{listing.name}  {p.title}  [{p.kind.value}, {p.status.value}]  {tally}  {when}"))
        if listing.warning:
            print(f"  warning: {one_line(listing.warning)}")
        for line in look_alike_warnings(session.roster):
            print(f"  warning: {one_line(line)}")
    return 0


# -- a vote's life: new, announce, close, reopen ---------------------------------------------


def cmd_new(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.domain.model import MIN_WINDOW_HOURS, Proposal, Session, Status, checked_title, now
    from tvm_vote_tui.domain.proposal import Kind
    from tvm_vote_tui.domain.times import TimeInputError, format_span, parse_span
    from tvm_vote_tui.store.paths import manager_name

    title = checked_title(args.title)
    kind = Kind(args.kind)
    window = kind.default_window
    if args.window is not None:
        try:
            window = parse_span(args.window)
        except TimeInputError as err:
            raise UsageError(f"--window: {err}") from None
    roster = _roster_for_new(Path(args.roster).expanduser()) if args.roster else store.load_roster()
    draft = Proposal(title, kind, status=Status.DRAFT, opens_at=None, closes_at=None, window=window)
    session = Session.new(draft, roster, now(), manager_name())
    if session.proposal.window_hours < MIN_WINDOW_HOURS:
        print(
            f"tvm-vote-tui: warning: a window of {format_span(session.proposal.window)} is shorter than "
            f"{MIN_WINDOW_HOURS} hours, the ASF minimum for a vote",
            file=sys.stderr,
        )
    path = store.create(session)
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps

        print(
            dumps(
                {
                    "session": str(path),
                    "status": session.proposal.status.value,
                    "window": format_span(session.proposal.window),
                    "roster": len(session.roster),
                }
            )
        )
    else:
        print(path)
    return 0


def _roster_for_new(path: Path) -> list[Member]:
    """The members of a roster file, all of them readable: a row that is not is named, and the
    vote is not created (a roster short of one member would go unnoticed)."""
    from tvm_vote_tui.domain.roster_import import RosterImportError, detect_format, preview_import
    from tvm_vote_tui.store.sessions import read_text

    text = read_text(path)
    try:
        preview = preview_import(text, detect_format(path, text), [], source=path.name)
    except RosterImportError as err:
        raise UsageError(f"{path}: {err}; no vote created") from None
    if preview.bad_rows:
        where, why = preview.bad_rows[0]
        raise UsageError(f"{path}: {where}: {why}; no vote created")
    if preview.duplicates:
        raise UsageError(f"{path}: {preview.duplicates[0][1]}; no vote created")
    return preview.new


def _change(store: Store, path: Path, change: Callable[[Session, DateTime], object]) -> Session:
    """Open `path` for writing, make one change through a Session method, fold it into the file."""
    from tvm_vote_tui.domain.model import now
    from tvm_vote_tui.store.sessions import OpenSession

    opened = OpenSession.open(store, path)
    try:
        if opened.read_only:
            raise StoreError(f"{path}: another tvm-vote-tui ({opened.holder}) has it open; nothing changed")
        try:
            change(opened.session, now())
        except OSError as err:
            raise StoreError(f"{path}: nothing changed: cannot write ({err.strerror or err})") from None
        try:
            opened.compact()
        except OSError:
            pass  # the change is in the journal, on disk; the next writer folds it in
        return opened.session
    finally:
        opened.close()


def cmd_announce(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.domain.opening import opened_now, posted_elsewhere
    from tvm_vote_tui.domain.times import TimeInputError, format_local, parse_when
    from tvm_vote_tui.store.paths import manager_name

    if args.at is not None and args.posted is None:
        raise UsageError("--at goes with --posted (when the [VOTE] was posted)")
    if args.github is not None:
        from tvm_vote_tui.cli_posting import announce_on_github

        return announce_on_github(args, _session_path(args.session, store), store, _read, _github_api(args))
    if args.api_url or args.yes:
        raise UsageError("--api-url and --yes go with --github (posting the [VOTE])")
    path = _session_path(args.session, store)
    by = manager_name()

    def open_it(session: Session, at: DateTime) -> None:
        if args.now:
            opening = opened_now(at)
        else:
            try:
                posted_at = parse_when(args.at, now=at) if args.at else at
            except TimeInputError as err:
                raise UsageError(f"--at: {err}") from None
            opening = posted_elsewhere(args.posted, posted_at)
        o = opening
        session.open_vote(o.opens_at, thread=o.thread, venue=o.venue, posted=o.posted, by=by, at=at)

    session = _change(store, path, open_it)
    opens_at, closes_at = session.opened_window
    p = session.proposal
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps

        print(
            dumps(
                {
                    "session": str(path),
                    "status": p.status.value,
                    "opens_at": opens_at.isoformat(),
                    "closes_at": closes_at.isoformat(),
                    "thread": p.thread,
                    "published": [_published_json(post) for post in p.published],
                }
            )
        )
    else:
        thread = f" Thread: {one_line(p.thread)}." if p.thread else ""
        print(
            f"Opened {one_line(path.stem)}: ballots count from {format_local(opens_at)} "
            f"until {format_local(closes_at)}.{thread}"
        )
    return 0


def cmd_publish(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.cli_posting import publish_on_github

    return publish_on_github(args, _session_path(args.session, store), store, _read, _github_api(args))


def _published_json(post: Published) -> dict[str, object]:
    return {
        "step": post.step,
        "url": post.url,
        "at": post.at.isoformat(),
        "number": post.number,
        "message_id": post.message_id,
    }


def cmd_close(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.store.paths import manager_name

    path = _session_path(args.session, store)
    by = manager_name()
    session = _change(store, path, lambda s, at: s.close(at, args.reason, by=by))
    verdict = session.tally().verdict(closed=True)
    p = session.proposal
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps

        closed_at = p.closed_at.isoformat() if p.closed_at else None
        print(
            dumps(
                {
                    "session": str(path),
                    "status": p.status.value,
                    "closed_at": closed_at,
                    "outcome": verdict.word.lower(),
                }
            )
        )
    else:
        print(f"Closed {one_line(path.stem)}: the vote {verdict.word}.")
    return 0


def cmd_reopen(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.store.paths import manager_name

    path = _session_path(args.session, store)
    by = manager_name()
    session = _change(store, path, lambda s, at: s.reopen(at, args.reason, by=by))
    if args.json:
        from tvm_vote_tui.publish.json_export import dumps

        print(dumps({"session": str(path), "status": session.proposal.status.value}))
    else:
        print(f"Reopened {one_line(path.stem)}.")
    return 0

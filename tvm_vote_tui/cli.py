"""Command line: no arguments starts the app; subcommands call the domain directly (no Textual)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tvm_vote_tui import __version__
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.rules import UnknownRuleError
from tvm_vote_tui.domain.text import MULTILINE, one_line, visible
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import Store, StoreError
from tvm_vote_tui.votethread.posts import THREAD_FORMATS, ThreadError

if TYPE_CHECKING:
    from pendulum import DateTime

    from tvm_vote_tui.domain.model import Member, Session
    from tvm_vote_tui.domain.rules import Tally
    from tvm_vote_tui.domain.thread_ref import IssueRef
    from tvm_vote_tui.votethread.posts import Post
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
        help="read the dev@ thread from its Pony Mail archive: https://lists.apache.org/thread/ID (alone, "
        "or with --github: one tally, each mirrored post counted once)",
    )
    thread.add_argument(
        "--bridge",
        metavar="LOGIN",
        action="append",
        help="a GitHub account that posts dev@ replies on the issue (default: bridge_accounts in your "
        "configuration, else tvm-archiver); may be repeated",
    )
    thread.add_argument("--dry-run", action="store_true", help="show what would be recorded; record nothing")
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
    audit.add_argument("--list", metavar="FILE", help="the dev@ thread, saved as mbox or mails")
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
    commands.add_parser("list", help="list saved sessions")
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
    verdict = result.verdict(session.is_closed)
    if args.json:
        names = {m.id: m.name for m in session.roster}
        data = {
            "session": str(path),
            "title": session.proposal.title,
            "status": session.proposal.status.value,
            "outcome": verdict.word.lower(),
            "final": verdict.closed,
            **result.as_json(),
            "not_voted_names": [names.get(v, v) for v in result.not_voted],
        }
        from tvm_vote_tui.publish.json_export import dumps

        print(dumps(data))
    else:
        print(f"{one_line(session.proposal.title)}\n{tally_text(session, result)}")
    return 0


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.publish.formats import EXPORT_FORMATS
    from tvm_vote_tui.store.exports import write_export

    path = _session_path(args.session, store)
    fmt = EXPORT_FORMATS[args.format]
    text = fmt.render(_read(path))
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
    posts, source, thread, mirrored = _thread_posts(args, path)
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
                    "skipped": [p.as_json() for p in report.skipped],
                    "notices": report.notices,
                    "mirrored": mirrored,
                    "recorded": recorded,
                }
            )
        )
        return 0
    names = {m.id: m.name for m in session.roster}
    verb = "Would record" if args.dry_run else "Recorded"
    print(one_line(f"{source}: {report.posts} messages, {len(report.proposed)} voters with a vote."))
    for notice in report.notices:
        print(f"Notice: {one_line(notice)}")
    if mirrored:
        print(f"Counted once ({len(mirrored)}), the same post at both venues:")
        for line in mirrored:
            print(f"  {one_line(line)}")
    print(f"{verb} {len(clear)} ballots (source = thread):")
    for p in clear:
        print(f"  {one_line(describe(p, names.get(p.voter, '')))}")
    review = report.review
    print(f"Needs review ({len(review)}), not recorded:")
    for p in review:
        print(f"  {one_line(describe(p, names.get(p.voter, '')))}")
        for reason in p.why:
            print(f"      - {one_line(reason)}")
    if report.skipped:
        print(f"Skipped ({len(report.skipped)}), not ballots:")
        for p in report.skipped:
            print(f"  {one_line(describe(p, ''))}: {one_line(p.skipped)}")
    return 0


def _thread_posts(args: argparse.Namespace, path: Path) -> tuple[list[Post], str, str, list[str]]:
    """The thread's posts, what to call it, the reference the session should keep ('' to keep
    what it has: a file, or the session's own thread read again), and the posts counted once."""
    from tvm_vote_tui.store.sessions import read_text
    from tvm_vote_tui.votethread.thread_text import split

    network = args.github is not None or args.list is not None
    if (args.file is None) == (not network):
        raise UsageError("give the thread: a FILE, or --github ISSUE and/or --list URL")
    if args.api_url and args.github is None:
        raise UsageError("--api-url goes with --github")
    if args.file is not None:
        thread_path = Path(args.file).expanduser()
        return split(read_text(thread_path), args.format), thread_path.name, "", []
    return _venue_posts(args, path)


def _venue_posts(args: argparse.Namespace, path: Path) -> tuple[list[Post], str, str, list[str]]:
    """Read the issue through the API the manager named (--api-url, else their configuration,
    else api.github.com; the token goes there and nowhere else) and/or the dev@ thread at its
    archive; both read, one thread, each mirrored post counted once."""
    from tvm_vote_tui.domain.thread_ref import GitHubApi, ThreadRefError, is_login, parse_list_thread
    from tvm_vote_tui.store.config import load_config
    from tvm_vote_tui.venues.threads import ThreadAt, VenueReader
    from tvm_vote_tui.venues.token import token_from_env

    config = load_config()
    bridges = tuple(args.bridge) if args.bridge else config.bridge_accounts
    for login in bridges:
        if not is_login(login):
            raise UsageError(f"--bridge {login!r} is not a GitHub login")
    remembered = _read(path).proposal.thread
    try:
        api = GitHubApi.parse(args.api_url, "--api-url") if args.api_url else config.github_api
        issue = None
        if args.github is not None:
            if not args.github and not remembered:
                raise UsageError(
                    "this session has no thread yet: give --github ISSUE (e.g. apache/tvm#16368)"
                )
            issue = api.issue(args.github, remembered)
        mail = parse_list_thread(args.list) if args.list is not None else None
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
    return read.posts, at.label, stored, [m.describe() for m in read.mirrored]


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
    """The vote thread's posts: --thread, else the issue the result links to, else the result's own."""
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
    if linked is not None and own is not None:
        return _fetch_posts(args, linked), linked.short
    if own is not None and posts is not None and len(posts) > 1:
        return posts, own.short  # the result is a comment in the vote's own issue
    return None, ""


def _audit_list(args: argparse.Namespace) -> list[Post]:
    from tvm_vote_tui.store.sessions import read_text
    from tvm_vote_tui.votethread.thread_text import split

    if "://" in args.list:
        raise UsageError(
            "--list takes a saved mbox or mail file: lists.apache.org is not read over the network yet "
            "(download the thread's mbox there and give the file)"
        )
    return split(read_text(Path(args.list).expanduser()), "mail")


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
    path = Path(given).expanduser()
    if path.is_file():
        return path
    return store.resolve(given)


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


def cmd_list(args: argparse.Namespace, store: Store) -> int:
    from tvm_vote_tui.domain.times import format_local, relative_words

    listings = store.list_sessions()
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
        tally = f"{result.binding.short()} · {state}"
        print(one_line(f"{listing.name}  {p.title}  [{p.kind.value}, {p.status.value}]  {tally}  {when}"))
        if listing.warning:
            print(f"  warning: {one_line(listing.warning)}")
    return 0

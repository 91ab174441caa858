"""A vote's life in the domain and the file: draft, open, closed, published."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import T0, roster
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.model import DRAFT_REFUSED, Proposal, Published, Session, Status
from tvm_vote_tui.domain.opening import opened_now, posted_elsewhere
from tvm_vote_tui.domain.times import TimeInputError, format_span, parse_span
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import SessionFileError, reader_for, session_from_toml, session_to_toml
from tvm_vote_tui.store.journal import change_from_entry, encode, entry_for
from tvm_vote_tui.store.sessions import OpenSession, Store, load
from tvm_vote_tui.votethread.timing import Window

GOLDEN = Path(__file__).parent / "golden" / "release-0.1"
ISSUE = "https://github.com/apache/tvm/issues/16368"


def draft(window: timedelta = timedelta(days=7)) -> Session:
    proposal = Proposal(
        "Adopt the new codebase", status=Status.DRAFT, opens_at=None, closes_at=None, window=window
    )
    return Session.new(proposal, roster(), T0, "alice")


# -- a new session is a draft ------------------------------------------------------------------


def test_new_session_is_a_draft_keeping_only_the_length_of_its_window() -> None:
    given_times = Proposal("Vote", opens_at=T0, closes_at=T0.add(days=3))
    session = Session.new(given_times, roster(), T0)
    p = session.proposal
    assert session.is_draft and p.status is Status.DRAFT
    assert (p.opens_at, p.closes_at, p.window) == (None, None, timedelta(days=3))
    assert "a draft (window +3d once opened)" in session.log[0].detail


@pytest.mark.parametrize(
    "cast",
    [
        lambda s: s.record("m0", parse_vote("+1"), at=T0),
        lambda s: s.withdraw("m0", at=T0),
        lambda s: s.import_ballots([], "thread", T0),
    ],
)
def test_a_draft_refuses_ballots_with_one_line(cast: object) -> None:
    session = draft()
    with pytest.raises(ChangeRefused) as refused:
        cast(session)  # type: ignore[operator]
    assert str(refused.value) == DRAFT_REFUSED == "This vote is a draft: open it first (F2, o)"
    assert session.ballots == [] and len(session.log) == 1


def test_everything_in_a_draft_proposal_is_editable() -> None:
    session = draft()
    session.set_title("Another title", T0)
    session.set_summary("Talked about it", T0)
    session.set_links(["https://discuss.tvm.apache.org/t/1"], T0)
    session.set_rule("consensus", T0)
    session.set_window_length(timedelta(hours=48), T0)
    session.set_mailing_list("private@tvm.apache.org", T0)
    p = session.proposal
    assert (p.title, p.rule, p.window, p.mailing_list) == (
        "Another title",
        "consensus",
        timedelta(hours=48),
        "private@tvm.apache.org",
    )
    assert "window: +7d -> +2d" in session.log[-2].detail
    with pytest.raises(ChangeRefused, match="a draft has no dates yet"):
        session.set_window(T0, T0.add(days=1), T0)


@pytest.mark.parametrize(
    "address", ["dev@tvm.apache.org\r\nBcc: x@y.z", "not an address", "a@b c", "<dev@x.org>"]
)
def test_the_mailing_list_is_one_plain_address(address: str) -> None:
    with pytest.raises(ChangeRefused, match="not a mail address"):
        draft().set_mailing_list(address, T0)


def test_duplicating_makes_a_draft_that_does_not_date_its_window_from_the_copy() -> None:
    old = draft(timedelta(days=5))
    old.open_vote(T0, at=T0)
    old.record("m0", parse_vote("+1"), at=T0.add(hours=1))
    copy = old.duplicate(T0.add(days=30), "old.toml", "bob")
    assert copy.is_draft and copy.ballots == []
    assert (copy.proposal.opens_at, copy.proposal.window) == (None, timedelta(days=5))
    opened_at = T0.add(days=40)
    copy.open_vote(opened_at, at=opened_at)
    assert Window.of(copy, opened_at).starts == opened_at  # not T0+30d, when it was copied


# -- opening ----------------------------------------------------------------------------------


def test_opening_posted_elsewhere_runs_the_window_from_the_post_and_logs_who_when_where() -> None:
    session = draft()
    posted = T0.add(hours=2)
    o = posted_elsewhere(ISSUE, posted)
    session.open_vote(
        o.opens_at, thread=o.thread, venue=o.venue, posted=o.posted, by="alice", at=T0.add(hours=3)
    )
    p = session.proposal
    assert p.status is Status.OPEN and (p.opens_at, p.closes_at) == (posted, posted.add(days=7))
    assert p.thread == "apache/tvm#16368"
    assert session.post("vote") == Published("vote", ISSUE, posted, 16368)
    entry = session.log[-1]
    assert (entry.at, entry.action) == (T0.add(hours=3), "open")
    assert entry.detail.startswith(
        f"opened by alice: posted elsewhere: GitHub issue apache/tvm#16368, {ISSUE}"
    )
    assert "window 2026-11-24 19:00 UTC to 2026-12-01 19:00 UTC (7 days)" in entry.detail
    session.record("m0", parse_vote("+1"), at=posted.add(minutes=5))  # ballots are taken now


def test_opening_now_and_a_dev_list_thread() -> None:
    now_opened = draft()
    o = opened_now(T0)
    now_opened.open_vote(o.opens_at, venue=o.venue, by="alice", at=T0)
    assert now_opened.proposal.thread == "" and now_opened.done_steps == frozenset()
    assert now_opened.log[-1].detail.startswith("opened by alice: now, called in a meeting; window")
    by_mail = draft()
    thread = "https://lists.apache.org/thread/abc123xyz"
    o = posted_elsewhere(thread.removeprefix("https://"), T0)
    by_mail.open_vote(o.opens_at, thread=o.thread, venue=o.venue, posted=o.posted, at=T0)
    assert by_mail.proposal.thread == thread
    assert by_mail.done_steps == frozenset()  # the mail's step waits for its Message-ID


@pytest.mark.parametrize(
    ("where", "why"),
    [
        ("", "where was it posted"),
        ("16368", "a number alone"),
        ("https://github.com/apache/tvm/pull/16368", "pull request"),
        ("https://example.com/vote", "neither a GitHub issue nor a dev@ thread"),
        ("https://lists.apache.org/thread/abc?x=1", "neither"),
        ("https://github.com/apache/tvm/issues/1\x1b]0;x\x07", "control character"),
    ],
)
def test_posted_elsewhere_needs_an_issue_or_a_dev_thread(where: str, why: str) -> None:
    with pytest.raises(ChangeRefused, match=why):
        posted_elsewhere(where, T0)


def test_opening_is_refused_twice_in_the_future_and_beyond_the_calendar() -> None:
    session = draft()
    with pytest.raises(ChangeRefused, match="cannot open in the future"):
        session.open_vote(T0.add(minutes=11), at=T0)
    session.open_vote(T0.add(minutes=9), at=T0)  # a venue's clock a little ahead of ours
    with pytest.raises(ChangeRefused, match="already open"):
        session.open_vote(T0, at=T0)
    session.close(T0.add(days=8))
    with pytest.raises(ChangeRefused, match="closed"):
        session.open_vote(T0, at=T0)
    late = draft(timedelta(days=7))
    end = pendulum.datetime(8999, 12, 30, tz="UTC")
    with pytest.raises(ChangeRefused, match="the window must end"):
        late.open_vote(end, at=end)


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.integers(min_value=1, max_value=60 * 24 * 90),
    offset=st.integers(min_value=0, max_value=10**8),
)
def test_an_opened_window_is_the_drafts_length_and_survives_the_file(minutes: int, offset: int) -> None:
    session = draft(timedelta(minutes=minutes))
    again = session_from_toml(session_to_toml(session))
    assert again == session and again.proposal.window == timedelta(minutes=minutes)
    opens = T0.add(seconds=offset)
    session.open_vote(opens, at=opens)
    opens_at, closes_at = session.opened_window
    assert closes_at - opens_at == timedelta(minutes=minutes) == session.proposal.window
    assert session_from_toml(session_to_toml(session)) == session


@given(st.text(max_size=12))
def test_a_span_reads_back_as_written(text: str) -> None:
    try:
        span = parse_span(text)
    except TimeInputError:
        return
    assert span > timedelta(0) and parse_span(format_span(span)) == span


def test_span_forms() -> None:
    assert parse_span("+1w2d") == timedelta(days=9) and parse_span("72h") == timedelta(hours=72)
    assert (
        format_span(timedelta(days=3, hours=12)) == "+3d12h"
        and format_span(timedelta(minutes=90)) == "+1h30m"
    )
    for bad in ("", "+0d", "7 days", "-2h", "+99999999w"):
        with pytest.raises(TimeInputError):
            parse_span(bad)


# -- closing, reopening ------------------------------------------------------------------------


def test_a_draft_cannot_close_and_close_and_reopen_say_who() -> None:
    session = draft()
    with pytest.raises(ChangeRefused, match="a draft"):
        session.close(T0, "why not")
    session.open_vote(T0, at=T0)
    session.record("m0", parse_vote("+1"), at=T0.add(hours=1))
    session.record("m1", parse_vote("0"), at=T0.add(hours=1))
    session.close(T0.add(days=8), by="alice")
    # counts after the vote they count, as the sessions list has them: no "-0" that reads as a vote
    assert session.log[-1].detail == "closed by alice; the vote failed (+1:1 0:1 -1:0 binding)"
    session.reopen(T0.add(days=8, hours=1), "one more vote", by="bob")
    assert session.log[-1].detail == "reopened by bob; reason: one more vote"


# -- publishing ---------------------------------------------------------------------------------


def test_each_step_is_recorded_once_and_the_session_says_what_is_missing() -> None:
    session = draft()
    session.open_vote(T0, at=T0)
    result_steps = ["result-issue", "link-comment", "close-issue"]
    with pytest.raises(ChangeRefused, match="close the vote first"):
        session.record_post("result-issue", "https://github.com/apache/tvm/issues/2", T0)
    session.close(T0.add(days=8))
    url = "https://github.com/apache/tvm/issues/16400"
    session.record_post("result-issue", url, T0.add(days=8), 16400, by="alice", logged_at=T0.add(days=9))
    entry = session.log[-1]
    assert (entry.at, entry.action) == (T0.add(days=9), "publish")
    assert entry.detail == f"published result-issue by alice: {url} (#16400), at 2026-12-02 17:00 UTC"
    assert session.missing_steps(result_steps) == ["link-comment", "close-issue"]
    with pytest.raises(ChangeRefused, match="never done twice"):
        session.record_post("result-issue", url, T0.add(days=8), 16400)
    assert len(session.proposal.published) == 1
    session.record_post("result-mail", "", T0.add(days=8), message_id="<r1@example.org>")
    assert session.post("result-mail") == Published(
        "result-mail", "", T0.add(days=8), None, "<r1@example.org>"
    )


@pytest.mark.parametrize(
    ("step", "url", "kwargs", "why"),
    [
        ("results", "https://x.org/1", {}, "unknown publishing step"),
        ("vote", "javascript:alert(1)", {}, "not a URL"),
        ("vote", "", {}, "not a URL"),
        ("vote-mail", "", {"message_id": "<a@b>\r\nBcc: c@d"}, "not a Message-ID"),
        ("vote", "https://x.org/1", {"number": 0}, "not an issue or comment number"),
        ("status-comment", "https://x.org/1", {}, "a draft"),
    ],
)
def test_a_step_that_cannot_be_recorded_is_refused(step: str, url: str, kwargs: dict, why: str) -> None:
    session = draft()
    with pytest.raises(ChangeRefused, match=why):
        session.record_post(step, url, T0, **kwargs)
    assert session.proposal.published == ()


def test_the_life_goes_through_the_journal_and_the_file(tmp_path: Path) -> None:
    """Opening, publishing, closing and reopening are journalled like a ballot: a reader that
    replays the journal (nothing folded) sees them all, with their times and numbers."""
    store = Store(tmp_path)
    path = store.create(draft())
    opened = OpenSession.open(store, path)
    s = opened.session
    o = posted_elsewhere(ISSUE, T0)
    s.open_vote(o.opens_at, thread=o.thread, venue=o.venue, posted=o.posted, by="alice", at=T0)
    s.record("m0", parse_vote("+1"), at=T0.add(hours=1))
    s.close(T0.add(days=8), by="alice")
    s.record_post("result-issue", "https://github.com/apache/tvm/issues/16400", T0.add(days=8), 16400)
    s.record_post("vote-mail", "https://lists.apache.org/thread/x1", T0, message_id="<v@x.org>")
    replayed = load(path).session  # the file is still the draft; the journal holds the rest
    assert replayed == s and replayed.proposal.published == s.proposal.published
    assert [e.action for e in replayed.log] == ["create", "open", "ballot", "close", "publish", "publish"]
    opened.compact()
    opened.close()
    text = path.read_text()
    assert 'status = "closed"' in text and "window =" not in text
    assert 'step = "result-issue"' in text and "number = 16400" in text
    assert load(path).session == s


def test_a_draft_file_and_what_it_may_hold(tmp_path: Path) -> None:
    text = session_to_toml(draft(timedelta(hours=36)))
    assert 'window = "+1d12h"' in text and 'status = "draft"' in text and "opens_at" not in text
    with pytest.raises(SessionFileError, match="a draft has no opens_at"):
        session_from_toml(text.replace('window = "+1d12h"', "opens_at = 2026-11-24T17:00:00Z"))
    with pytest.raises(SessionFileError, match="field proposal.window"):
        session_from_toml(text.replace('"+1d12h"', '"soon"'))
    opened = draft()
    opened.open_vote(T0, at=T0)
    with pytest.raises(SessionFileError, match="only a draft has a window"):
        session_from_toml(
            session_to_toml(opened).replace('status = "open"', 'status = "open"\nwindow = "+7d"')
        )
    with pytest.raises(SessionFileError, match="unknown value 'published'"):
        session_from_toml(session_to_toml(opened).replace('status = "open"', 'status = "published"'))


def test_published_steps_keep_fields_a_newer_version_wrote_and_are_never_doubled() -> None:
    session = draft()
    session.open_vote(T0, at=T0)
    session.record_post("vote", ISSUE, T0, 16368)
    text = session_to_toml(session).replace('step = "vote"', 'step = "vote"\nnode_id = "I_kw123"')
    again = session_from_toml(text)
    assert again.post("vote").extra == {"node_id": "I_kw123"}
    assert 'node_id = "I_kw123"' in session_to_toml(again)
    doubled = text.replace("[[proposal.published]]", "[[proposal.published]]\n", 1)
    doubled += '\n[[proposal.published]]\nstep = "vote"\nurl = "https://x.org/2"\nat = 2026-11-24T17:00:00Z\n'
    with pytest.raises(SessionFileError, match="recorded twice"):
        session_from_toml(doubled)


def test_the_journal_carries_a_newer_versions_fields_of_a_published_step() -> None:
    session = draft()
    session.open_vote(T0, at=T0)
    session.record_post("vote", ISSUE, T0, 16368)
    text = session_to_toml(session).replace('step = "vote"', 'step = "vote"\nnode_id = "I_kw123"')
    again = session_from_toml(text)
    lines: list[dict[str, object]] = []
    again.journal = lambda s, change: lines.append(json.loads(encode(entry_for(s, change, s.revision + 1))))
    again.set_title("New title", T0)
    change = change_from_entry(reader_for("journal"), lines[0], "seq 1")
    assert change.proposal is not None
    replayed = change.proposal.post("vote")
    assert replayed == Published("vote", ISSUE, T0, 16368) and replayed.extra == {"node_id": "I_kw123"}


# -- files from before drafts -------------------------------------------------------------------


def test_files_written_by_release_0_1_read_exactly_as_before(tmp_path: Path) -> None:
    """Written by the code at main before drafts existed (tests/golden/release-0.1): an open vote
    with changes still in its journal, and a closed one with a field a newer version wrote."""
    for name in ("open-vote.toml", ".open-vote.toml.journal", "closed-vote.toml"):
        shutil.copy(GOLDEN / name, tmp_path / name)
    closed_text = (GOLDEN / "closed-vote.toml").read_text()
    closed = session_from_toml(closed_text)
    assert closed.status is Status.CLOSED and closed.proposal.window == timedelta(days=3)
    # Written back as release 0.1 writes it (its own rewrite of the file, made by the code at main).
    assert session_to_toml(closed) == (GOLDEN / "closed-vote.rewritten.toml").read_text()
    assert 'reviewed_by = "a newer version"' in session_to_toml(closed)
    store = Store(tmp_path / "data")
    opened = OpenSession.open(store, tmp_path / "open-vote.toml")
    s = opened.session
    assert s.status is Status.OPEN and s.proposal.thread == "apache/tvm#16368"
    assert [b.voter for b in s.ballots] == ["ada", "bo", "dee"] and s.done_steps == frozenset()
    opened.compact()
    opened.close()
    assert (tmp_path / "open-vote.toml").read_text() == (GOLDEN / "open-vote.folded.toml").read_text()
    no_status = "\n".join(line for line in closed_text.splitlines() if not line.startswith("status ="))
    legacy = session_from_toml(no_status.replace("closed_at = ", "# closed_at = "))
    assert legacy.status is Status.OPEN and legacy.proposal.opens_at == T0


@pytest.mark.parametrize("stage", ["draft", "published"])
def test_a_draft_or_a_published_vote_exports_and_verifies(
    stage: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The JSON export holds what the file holds (a draft's window, the published steps), so
    `verify` reads it back to the same fingerprint as the result text."""
    from tvm_vote_tui.cli import main
    from tvm_vote_tui.publish.json_export import json_text
    from tvm_vote_tui.publish.result import result_text

    session = draft(timedelta(hours=80))
    if stage == "published":
        o = posted_elsewhere(ISSUE, T0)
        session.open_vote(o.opens_at, thread=o.thread, venue=o.venue, posted=o.posted, at=T0)
        session.record("m0", parse_vote("+1"), at=T0.add(hours=1))
        session.close(T0.add(days=4), "done")
        session.record_post("result-mail", "", T0.add(days=4), message_id="<r@x.org>")
    export, result = tmp_path / "vote.json", tmp_path / "result.txt"
    export.write_text(json_text(session), encoding="utf-8")
    result.write_text(result_text(session), encoding="utf-8")
    proposal = json.loads(export.read_text())["proposal"]
    if stage == "draft":
        assert proposal["window"] == "+3d8h" and proposal["opens_at"] is None
    else:
        assert proposal["published"][1] == {
            "step": "result-mail",
            "url": "",
            "at": "2026-11-28T17:00:00+00:00",
            "message_id": "<r@x.org>",
        }
    assert main(["verify", str(export), "--result", str(result), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []

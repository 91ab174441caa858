"""Exports: golden files for each format on a realistic vote, and properties that cannot drift."""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Zone
from tests.factories import T0, roster, session
from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.model import Ballot, Change, LogEntry, Member, Session
from tvm_vote_tui.domain.text import problem
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.publish.formats import EXPORT_FORMATS
from tvm_vote_tui.publish.markdown import md_escape, result_markdown
from tvm_vote_tui.publish.result import result_text
from tvm_vote_tui.store.format import session_to_toml

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_ID = "0123456789abcdef"
TRICKY = ["Zoë | *O'Brien*", "<script>alert(1)</script>", "`rm -rf`", "two\nlines", "# not a heading"]


def tricky_session(rule: str = "lazy-two-thirds", *, names: list[str] = TRICKY) -> Session:
    base = sample_session()
    weird = Member("weird", "Wéird | *Name* `x`", "w@apache.org")
    # The sample's log as an older version wrote it (no chain): its session id is random.
    log = [LogEntry(e.at, e.action, e.detail) for e in base.log]
    s = Session(
        replace(base.proposal, rule=rule), (*base.roster, weird), base.ballots, log, session_id=GOLDEN_ID
    )
    at = s.proposal.opens_at.add(hours=3)
    s.record(
        "weird", parse_vote("-1"), note="needs [more] docs | see <here>", justification="API churn", at=at
    )
    for i, name in enumerate(names):
        vote = parse_vote("+1" if i % 2 else "-0")
        ballot = Ballot(name, vote, at.add(minutes=i), note=f"note {i}\nsecond line")
        if "\n" in name:  # written by an older version; new input refuses control characters in names
            entry = LogEntry(ballot.cast_at, "ballot", s.describe_ballot(ballot))
            s.apply(Change("ballot", (entry,), (ballot,)))
        else:
            s.record(name, vote, note=ballot.note, at=ballot.cast_at)
    ends = s.proposal.closes_at
    s.close(ends.subtract(days=1), "every binding member was at the meeting")
    s.reopen(ends.subtract(days=1).add(hours=1), "Bao asked for the full window")
    s.record("baonguyen", parse_vote("+1"), note="late, by mail", at=ends.add(minutes=2))
    s.close(ends.add(minutes=5))
    return s


CASES = {
    "result.txt": lambda: EXPORT_FORMATS["result"].render(tricky_session()),
    "result-consensus.txt": lambda: EXPORT_FORMATS["result"].render(tricky_session("consensus")),
    "result.md": lambda: EXPORT_FORMATS["markdown"].render(tricky_session()),
    "session.json": lambda: EXPORT_FORMATS["json"].render(tricky_session()),
    "announce.txt": lambda: EXPORT_FORMATS["announce"].render(tricky_session()),
}


@pytest.mark.parametrize("name", list(CASES))
def test_golden(name: str, zone: Zone) -> None:
    """The same bytes whatever the local zone of the machine that writes them."""
    text = CASES[name]()
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review, then UPDATE_GOLDEN=1"


def test_result_header_and_lists_agree() -> None:
    text = result_text(tricky_session())
    for label in ("+1", "0", "-1"):
        total, binding = map(
            int, re.search(rf"^{re.escape(label)}: (\d+) \((\d+) binding\)$", text, re.M).groups()
        )
        section = text.split(f"\n{label} votes:\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert len(section) == total
        assert sum(line.endswith("(binding)") or "(binding) [" in line for line in section) == binding


def test_vetoes_only_where_the_rule_has_them() -> None:
    assert "Vetoes" not in result_text(tricky_session())
    consensus = result_text(tricky_session("consensus"))
    assert "has FAILED" in consensus and "- Wéird | *Name* `x`: API churn" in consensus


def test_open_vote_is_not_called_final() -> None:
    text = result_text(sample_session())
    assert "is PASSING so far" in text and "not a final result" in text


def test_failed_new_codebase_keeps_the_existing_one() -> None:
    from tvm_vote_tui.domain.model import Kind

    s = session([("m0", "-1")], members=roster(3), kind=Kind.NEW_CODEBASE)
    s.close(s.opened_window[1])
    assert "The existing codebase stays." in result_text(s)


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=40))
def test_markdown_escaping_keeps_one_plain_cell(name: str) -> None:
    cell = md_escape(name)
    assert "\n" not in cell and "<" not in cell and ">" not in cell
    assert re.search(r"(?<!\\)[|*_`\[\]]", cell) is None  # every special character is escaped


@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30).filter(
        lambda name: name.strip() and problem(name) is None  # control characters are refused on input
    )
)
def test_markdown_rows_survive_any_name(name: str) -> None:
    s = session([("m0", "+1")], members=roster(3))
    s.record(name, parse_vote("-1"))
    rows = [line for line in result_markdown(s).splitlines() if line.startswith("| ")]
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 5


def test_json_has_every_ballot_and_the_tally() -> None:
    s = tricky_session()
    data = json.loads(EXPORT_FORMATS["json"].render(s))
    assert len(data["ballots"]) == len(s.ballots)
    assert [b["vote"] for b in data["ballots"] if b["voter"] == "dorlov"] == ["-1", "+0.5"]
    assert [b["current"] for b in data["ballots"] if b["voter"] == "dorlov"] == [False, True]
    assert data["tally"]["binding"] == s.tally().binding.as_dict()
    assert data["tally"]["outcome"] == "passed"
    assert data["log"][-1]["action"] == "close"


def test_cli_export_formats_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "s.toml"
    src.write_text(session_to_toml(tricky_session()))
    assert main(["export", str(src)]) == 2  # a voter's name with a newline is refused on loading
    assert "field ballots[19].voter" in capsys.readouterr().err
    loadable = tricky_session(names=[name for name in TRICKY if "\n" not in name])
    src.write_text(session_to_toml(loadable))
    for name, fmt in EXPORT_FORMATS.items():
        assert main(["export", str(src), "--format", name]) == 0
        if fmt.mail is None:  # a mail file has its own Date and Message-ID each time: test_mail.py
            assert capsys.readouterr().out == fmt.render(loadable)
        else:
            assert capsys.readouterr().out.startswith("To: dev@tvm.apache.org\nSubject: ")
    out = tmp_path / "out.json"
    assert main(["export", str(src), "-f", "json", "-o", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    before = out.read_text()
    assert main(["export", str(src), "-f", "result", "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == before
    assert main(["export", str(src), "-f", "result", "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("Subject: [RESULT][VOTE]")
    assert main(["export", str(src), "-o", str(tmp_path / "no" / "dir.txt")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_cli_export_by_saved_name(isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tvm_vote_tui.store.sessions import Store

    path = Store(isolated_data_dir).create(sample_session())
    assert main(["export", path.stem, "-f", "announce"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Dear Apache TVM community,") and "Subject:" not in out
    assert err == "Subject: [VOTE] Establish the TVM FFI module\n"  # said apart, not in the text


def test_a_title_typed_with_vote_is_not_doubled() -> None:
    from tvm_vote_tui.publish.announce import announcement, announcement_subject

    s = session([("m0", "+1")], members=roster(3), title="[VOTE] Adopt the FFI module")
    assert announcement_subject(s.proposal) == "[VOTE] Adopt the FFI module"
    body = announcement(s.proposal)
    assert "community strategy: Adopt the FFI module." in body and "[VOTE]" not in body
    assert result_text(s).splitlines()[0] == "Subject: [RESULT][VOTE] Adopt the FFI module"
    assert "[VOTE] [VOTE]" not in result_markdown(s) and "[VOTE]" not in result_text(s).splitlines()[4]


def test_the_result_says_when_a_vote_was_closed_early_and_why() -> None:
    s = sample_session()
    assert "The vote is open from 2026-11-24 17:00 UTC to 2026-12-01 17:00 UTC." in result_text(s)
    s.close(s.proposal.opens_at.add(days=2), "agreed at the [b]meeting[/b]")
    text = result_text(s)
    assert (
        "The vote was open from 2026-11-24 17:00 UTC to 2026-12-01 17:00 UTC; it was closed early, "
        "at 2026-11-26 17:00 UTC. Reason: agreed at the [b]meeting[/b]"
    ) in text
    assert "Reason: agreed at the \\[b\\]meeting\\[/b\\]" in result_markdown(s)


def test_a_week_typed_in_local_time_is_exported_in_utc(zone: Zone) -> None:
    """Opening typed as the zone writes it and `+7d`: every export says the same week, in UTC,
    across a daylight saving change too (where the wall clock ends an hour off)."""
    import datetime as dt

    from tvm_vote_tui.domain.times import parse_when

    opens = parse_when(zone.opens[:16])
    closes = parse_when("+7d", opens)
    s = session([("m0", "+1")], members=roster(3))
    s.set_window(opens, closes)
    utc_opens = (T0 + zone.shift).strftime("%Y-%m-%d %H:%M UTC")
    utc_closes = (T0 + zone.shift + dt.timedelta(days=7)).strftime("%Y-%m-%d %H:%M UTC")
    assert f"open for 7 days, from {utc_opens} until {utc_closes}." in EXPORT_FORMATS["announce"].render(s)
    assert f"The vote is open from {utc_opens} to {utc_closes}." in result_text(s)
    window = json.loads(EXPORT_FORMATS["json"].render(s))["proposal"]
    times = [dt.datetime.fromisoformat(window[key]) for key in ("opens_at", "closes_at")]
    assert times == [T0 + zone.shift, T0 + zone.shift + dt.timedelta(days=7)]


def test_the_result_tags_every_voter_and_states_every_close_and_reopen() -> None:
    s = sample_session()
    opens_at, closes_at = s.opened_window
    at = opens_at.add(days=2)
    s.set_recused("ipetrov", True, at)  # Ivan Petrov voted 0 before recusing himself
    s.close(at, "quorum at the [b]meeting[/b]")
    s.reopen(at.add(hours=1), "two members asked for the full window")
    s.close(closes_at, "the window ended")
    text = result_text(s)
    assert "- Ivan Petrov (recused)" in text and "- Priya Nair (non-binding)" in text
    assert "- Ren Takahashi (non-binding)" in text and "- Ada Lindqvist (binding)" in text
    assert (
        "The vote was open from 2026-11-24 17:00 UTC to 2026-12-01 17:00 UTC. Reason: the window ended\n\n"
        "The vote was closed and reopened:\n\n"
        "- 2026-11-26 17:00 UTC: closed early. Reason: quorum at the [b]meeting[/b]\n"
        "- 2026-11-26 18:00 UTC: reopened. Reason: two members asked for the full window\n"
        "- 2026-12-01 17:00 UTC: closed. Reason: the window ended\n"
    ) in text
    markdown = result_markdown(s)
    assert "| Ivan Petrov | 0 | recused |  |" in markdown
    assert "closed early. Reason: quorum at the \\[b\\]meeting\\[/b\\]" in markdown


def test_the_result_names_ballots_after_the_window_and_whether_the_outcome_depends_on_them() -> None:
    s = session([("m0", "+1"), ("m1", "+1")], members=roster(5))
    ends = s.proposal.closes_at
    s.record("m2", parse_vote("+1"), at=ends.add(minutes=3))  # the third +1 comes late
    text = result_text(s)
    assert "1 ballot was recorded after the vote window ended; the outcome depends on it" in text
    assert "- Member 2 (binding): +1, at 2026-12-01 17:03 UTC" in text
    assert (
        "It is counted above. Without it the vote would be FAILING (2 binding +1, 0 binding 0 and "
        "0 binding -1): the outcome depends on it."
    ) in text
    s.record("m3", parse_vote("+1"), at=ends.subtract(minutes=1))  # recorded late, cast in time
    s.close(ends.add(minutes=5))
    text = result_text(s)
    assert "Without it the vote would have PASSED" in text and "does not depend on it" in text
    data = json.loads(EXPORT_FORMATS["json"].render(s))
    assert [b["after_window"] for b in data["ballots"]] == [False, False, True, False]
    assert data["after_window"] == {
        "window_ended": "2026-12-01T17:00:00+00:00",
        "ballots": 1,
        "outcome_without_them": "passed",
        "outcome_depends_on_them": False,
    }
    assert "| Member 2 (binding): \\+1, at 2026-12-01 17:03 UTC" not in result_markdown(s)
    assert "- Member 2 (binding): \\+1, at 2026-12-01 17:03 UTC" in result_markdown(s)
    on_time = session([("m0", "+1")], members=roster(3))
    assert "after the vote window" not in result_text(on_time)
    assert json.loads(EXPORT_FORMATS["json"].render(on_time))["after_window"]["ballots"] == 0


def test_the_exports_tally_has_every_field_of_tally_json(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/export-format.md says so: the same fields as `tally --json` (but the file and the
    title), with the same values."""
    from tvm_vote_tui.store.sessions import Store

    for session_ in (sample_session(), tricky_session(names=["Zoë"])):
        path = Store(isolated_data_dir).create(session_)
        assert main(["tally", str(path), "--json"]) == 0
        cli_tally = json.loads(capsys.readouterr().out)
        exported = json.loads(EXPORT_FORMATS["json"].render(session_))["tally"]
        assert {k: v for k, v in cli_tally.items() if k not in ("session", "title")} == {
            k: v for k, v in exported.items() if k != "voters"
        }
        assert {"status", "final", "not_voted_names"} <= exported.keys()


def test_the_announcement_is_a_mail_body_with_a_task_list_and_a_sign_off() -> None:
    from tvm_vote_tui.publish.announce import announcement
    from tvm_vote_tui.votethread.proposals import propose

    text = announcement(sample_session().proposal)
    lines = text.splitlines()
    assert lines[0] == "Dear Apache TVM community," and not any(line.startswith("Subject:") for line in lines)
    assert lines[lines.index("Please vote:") + 1 :][:3] == [
        "- [ ] +1 approve",
        "- [ ] +0 no opinion",
        "- [ ] -1 disapprove (please say why)",
    ]
    opens = next(i for i, line in enumerate(lines) if line.startswith("The vote is open for"))
    assert lines[opens - 1] == ""
    assert lines[-2:] == ["Thank you,", "The Apache TVM PMC"]
    # Posted as a thread's opening post, its ballot template is never read as votes.
    thread = "ada-l opened this issue on Nov 24, 2026\n" + text + "\ncwei commented on Nov 24, 2026\n+1\n"
    assert [p.voter for p in propose(thread, sample_session(ballots=0)).proposed] == ["chenwei"]

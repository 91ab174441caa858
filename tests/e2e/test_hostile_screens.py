"""Hostile text on every screen of the real app, in a real terminal: the bytes the app writes hold
no escape sequence from data (only its own drawing), and markup is shown as the text it is.

The data comes in every way it can: a session file someone sent (markup in every field), a
session file full of control characters (refused, and its error shown safely), a roster CSV and
a vote thread with control and bidi characters in names."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.conftest import StartTui
from tests.e2e.harness import Tui
from tests.hostile import ESCAPES, MARKUP, hostile_session, hostile_title_session
from tvm_vote_tui.store.format import session_to_toml
from tvm_vote_tui.store.sessions import Store

# What must never reach the terminal: each payload exactly as data carries it.
PAYLOADS = [text.encode() for text in ESCAPES if text != "\x7f\x00\x08"]
NEVER = [b"\x1b]0;pwned", b"\x1b]52;c;", "\u202e".encode(), "\u2066".encode(), "\x9b".encode()]

THREAD = """\
olu commented on Nov 25, 2026
+1 (binding)

\x1b]0;pwned\x07mallory\u202e commented on Nov 25, 2026
-1 \x1b[2J because \u202ereasons \x1b]52;c;cHduZWQ=\x07
"""
ROSTER_CSV = (
    "id,name,email,github,binding\nzed,Zed \x1b]0;pwned\x07 Evil,z@x.org,,yes\nrtl,Bob \u202eevil,,,yes\n"
)


Shown = str | re.Pattern[str]
"""Text a screen must show: literally, or a pattern (per line) it must match."""

BALLOTS = ("ballots", ["Voter", "Standing"])
"""What shows that a screen is the ballot screen."""

MARKUP_TITLE = "Adopt [@click=app.quit]x[/] now"
MARKUP_SCREENS: list[tuple[str, tuple[str, list[str]], list[Shown]]] = [
    # key, (screen, text only that screen shows), the session's markup it must show as typed
    (
        "f2",
        ("proposal", ["Summary of the community conversation"]),
        [f"▊  {MARKUP_TITLE}", "Summary [b]x[/]", "https://example.org/[/]"],
    ),
    (
        "f3",
        ("roster", ["SESSION ROSTER"]),
        ["Member 0 [@click=app.quit]x[/]", "Member 1 [b]x[/]", "m1@apache.org[b]x[/]", "m2@apache.org[/]"],
    ),
    ("f5", ("meter", ["Non-binding: +1"]), [re.compile(rf"^\s+{re.escape(MARKUP_TITLE)}$", re.MULTILINE)]),
    (
        "f6",
        ("export", ["[RESULT] text"]),
        [
            "- Member 1 [b]x[/] (binding)",
            "- Member 3 [link=file:///etc/passwd]x[/] (binding)",
            "- guest [`@click`=app.quit]x[/] (non-binding) [+0.5]",  # a mention is kept quiet, in code
            "- Member 2 [/] (binding): note [/]",  # a -1's reason, as given
        ],
    ),
    (
        "f7",
        ("log", ["Action", "Detail"]),
        ["action [@click=app.quit]x[/]", "action [b]x[/]", "detail [link=file:///etc/passwd]x[/]"],
    ),
    ("question_mark", ("help", ["Keys: log screen"]), [f"tvm-vote-tui — {MARKUP_TITLE}"]),
    ("escape", ("log", ["Action", "Detail"]), ["detail [/]"]),
    ("f4", BALLOTS, ["Member 2 [/]", "note [link=file:///etc/pass", "guest [@click=app.quit]"]),
]

VISIBLE_TITLE = "Adopt ␛]0;pwned␇ ␛]52;c;cHduZWQ=␇ ␛[2J <U+202E> <U+2066>isolate<U+2069> <U+009B>31m ␡␀␈ now"
"""The title of hostile_title_session(ESCAPES), every control and bidi character made visible."""
TITLE_SCREENS: list[tuple[str, tuple[str, list[str]], list[Shown]]] = [
    ("f2", ("proposal", ["Summary of the community conversation"]), [f"▊  {VISIBLE_TITLE}"]),
    ("f3", ("roster", ["SESSION ROSTER"]), [f"of {VISIBLE_TITLE[:45]}"]),
    ("f5", ("meter", ["Non-binding: +1"]), [re.compile(rf"^\s+{re.escape(VISIBLE_TITLE)}$", re.MULTILINE)]),
    ("f6", ("export", ["[RESULT] text"]), [f"Subject: [RESULT][VOTE] {VISIBLE_TITLE}"]),
    (
        "f7",
        ("log", ["Action", "Detail"]),
        [
            "action ␛]0;pwned␇",
            "detail <U+202E>",
            "action <U+2066>isolate<U+2069>",
            "detail <U+009B>31m",
            "action ␡␀␈",
        ],
    ),
    # The list cuts a long title in the middle: both ends shown, made visible.
    (
        "f1",
        ("sessions", ["Binding votes"]),
        ["Adopt ␛]0;pwne", "<U+009B>31m ␡␀␈ now", "+1:3 0:0 -1:0 · passing"],
    ),
]


def wait_screen(tui: Tui, key: str, screen: str, marks: list[str], shown: list[Shown]) -> str:
    """Wait until the screen asked for is up (`marks`: text no other screen shows) with all of
    `shown` on it; return that screen."""

    def there(text: str) -> bool:
        return all(m in text for m in marks) and all(
            s.search(text) is not None if isinstance(s, re.Pattern) else s in text for s in shown
        )

    return tui.wait_until(there, f"the {screen} screen after {key}, showing {shown}")


def test_hostile_text_never_drives_the_terminal(
    start_tui: StartTui, isolated_data_dir: Path, tmp_path: Path
) -> None:
    store = Store(isolated_data_dir)
    store.create(hostile_session(MARKUP))
    store.sessions_dir.joinpath("escapes.toml").write_text(session_to_toml(hostile_session(ESCAPES)))
    (tmp_path / "people.csv").write_text(ROSTER_CSV)
    (tmp_path / "thread.md").write_text(THREAD)

    tui = start_tui(size=(120, 40))
    seen = [tui.wait_for("Adopt [@click=app.quit]x[/] now")]  # the markup title, as typed
    seen.append(tui.wait_for("(U+001B)"))  # the escapes file: refused on loading, its reason visible
    assert "escapes.toml" in seen[-1]
    tui.press("enter")
    seen.append(tui.wait_for("Member 1 [b]x[/]"))  # ballots: names shown literally
    for key, screen, shown in MARKUP_SCREENS:
        tui.press(key)
        seen.append(wait_screen(tui, key, *screen, shown))
    tui.press("f3")
    wait_screen(tui, "f3", "roster", ["SESSION ROSTER", "Member 1 [b]x[/]"], [])
    tui.settle()  # the screen is up and its table has the focus: i imports, never filters
    tui.press("i")
    tui.wait_for("Import members")
    tui.type_text(str(tmp_path / "people.csv"))
    tui.press("enter")
    seen.append(tui.wait_for("unreadable rows"))
    tui.press("escape")
    tui.wait_gone("Import members")  # F9 on a dialog does nothing
    tui.press("f9")
    tui.wait_for("GitHub issue")
    tui.type_text(str(tmp_path / "thread.md"))
    tui.press("ctrl+r")
    seen.append(tui.wait_for("<U+202E>reasons"))  # shown, made visible; and never clear
    tui.press("f1")
    # The file full of control characters: listed with them made visible, or refused with its name.
    seen.append(tui.wait_until(lambda s: "pwned␇" in s or "escapes.toml" in s, "the escapes file listed"))
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    raw = tui.raw_output()

    titled = store.create(hostile_title_session(ESCAPES))  # loads: a title is shown made visible
    tui = start_tui("open", titled.stem, size=(120, 40))  # the title on every screen
    # The header cuts a long title in its middle: its start and its end are shown.
    seen.append(wait_screen(tui, "open", *BALLOTS, [VISIBLE_TITLE[:25], VISIBLE_TITLE[-30:], "Member 2"]))
    for key, screen, shown in TITLE_SCREENS:
        tui.press(key)
        seen.append(wait_screen(tui, key, *screen, shown))
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    raw += tui.raw_output()

    for payload in (*PAYLOADS, *NEVER):
        assert payload not in raw, payload
    everything = "\n".join(seen)
    for markup in MARKUP:
        assert markup in everything, markup  # literally, never as a link, bold or a closing tag
    assert "␛" in everything and "<U+202E>" in everything  # the control characters made visible

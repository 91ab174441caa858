"""Hostile text on every screen of the real app, in a real terminal: the bytes the app writes hold
no escape sequence from data (only its own drawing), and markup is shown as the text it is.

The data comes in every way it can: a session file someone sent (markup in every field), a
session file full of control characters (refused, and its error shown safely), a roster CSV and
a vote thread with control and bidi characters in names."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import StartTui
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
    for key in ("f2", "f3", "f5", "f6", "f7", "question_mark", "escape", "f4"):
        tui.press(key)
        seen.append(tui.screen())
    tui.press("f3")
    tui.wait_for("SESSION ROSTER")  # the roster screen, before its own key
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
    seen.append(tui.wait_for("Member 2"))
    for key in ("f2", "f3", "f5", "f6", "f7", "f1"):
        tui.press(key)
        seen.append(tui.wait_until(lambda s: "pwned␇" in s, f"the title made visible after {key}"))
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    raw += tui.raw_output()

    for payload in (*PAYLOADS, *NEVER):
        assert payload not in raw, payload
    shown = "\n".join(seen)
    for markup in MARKUP:
        assert markup in shown, markup  # literally, never as a link, bold or a closing tag
    assert "␛" in shown or "<U+202E>" in shown  # the control characters were made visible

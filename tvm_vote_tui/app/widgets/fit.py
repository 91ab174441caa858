"""Text fitted to a width without cutting what tells things apart: a title cut in its middle,
a date without its year."""

from __future__ import annotations

from rich.cells import cell_len

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def middle_cut(text: str, width: int) -> str:
    """`text` in `width` cells, cut in the middle so the end that tells votes apart stays
    ('Release Apache…TVM v0.19.0.rc0'): every release vote begins alike."""
    if cell_len(text) <= width:
        return text
    width = max(width, 2)
    head_room = (width - 1) // 3
    head = tail = ""
    for char in text:
        if cell_len(head + char) > head_room:
            break
        head += char
    for char in reversed(text):
        if cell_len(head) + cell_len(char + tail) + 1 > width:
            break
        tail = char + tail
    return f"{head.rstrip()}…{tail.lstrip()}"


def short_time(local: str) -> str:
    """'2026-12-01 17:00' as 'Dec 1 17:00'."""
    try:
        month = MONTHS[int(local[5:7]) - 1]
        return f"{month} {int(local[8:10])} {local[11:16]}"
    except (ValueError, IndexError):
        return local

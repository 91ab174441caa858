"""Making caches as an attacker (or a test of the reader's own checks) would: forged ones that keep
the header a real one has, and ones signed with a key, ours or another."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tvm_vote_tui.store.cachekey import CacheKey
from tvm_vote_tui.store.mirror import _signed as _mirror_signed
from tvm_vote_tui.store.summaries import VERSION as SUMMARIES_VERSION
from tvm_vote_tui.store.summaries import _signed as _summaries_signed


def parts(mirror: Path) -> tuple[dict[str, Any], str]:
    """A mirror's header and body."""
    first, _, body = mirror.read_text(encoding="utf-8").partition("\n")
    return json.loads(first), body


def resign(mirror: Path, signer: CacheKey, body: str, **header: Any) -> None:
    """Give `mirror` this body (and header fields), signed with `signer` as the app signs."""
    head, _ = parts(mirror)
    head.update(header)
    signed = signer.sign(*_mirror_signed(head, body.encode()))
    assert signed is not None
    head["key"], head["mac"] = signed
    mirror.write_text(json.dumps(head) + "\n" + body, encoding="utf-8")


def forge(mirror: Path, body: str) -> None:
    """Give `mirror` another body and keep its header as it was: the TOML's stamp and SHA-256, our
    key's id and the MAC of the real body (all an attacker can copy without the key)."""
    head, _ = parts(mirror)
    mirror.write_text(json.dumps(head) + "\n" + body, encoding="utf-8")


def resign_summaries(cache: Path, key: CacheKey, body: str) -> None:
    """Give the summaries cache this body, signed with `key` as the app signs."""
    signed = key.sign(*_summaries_signed(body.encode()))
    assert signed is not None
    head = {"summaries": SUMMARIES_VERSION, "key": signed[0], "mac": signed[1]}
    cache.write_text(json.dumps(head) + "\n" + body, encoding="utf-8")


def summaries_body(cache: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cache.read_text(encoding="utf-8").partition("\n")[2])
    return data

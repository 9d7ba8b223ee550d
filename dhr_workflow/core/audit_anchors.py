"""The anchor log: the audit chain's head (sequence and MAC), appended to a file outside the database (ADR 0052).

One JSON object a line, each with its own MAC under the current audit key. The database cannot rewrite it, so a chain
that is truncated, emptied or rewritten behind the last anchor no longer matches it. Point `DHR_AUDIT_ANCHOR_DIR` at
storage the database's writers cannot change (another host's mount, a WORM bucket, a syslog-fed directory).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from dhr_workflow.core.audit_keys import AuditConfig
from dhr_workflow.core.tables import utcnow

ANCHOR_FILE = "audit-anchors.log"


@dataclass(frozen=True)
class Anchor:
    line: int
    seq: int
    mac: str
    key_id: str | None
    at: str


def anchor_path(directory: Path) -> Path:
    return directory / ANCHOR_FILE


def _line_message(seq: int, mac: str, key_id: str | None, at: str) -> str:
    return f"anchor:{seq}:{mac}:{key_id}:{at}"


def write_anchor(
    config: AuditConfig, seq: int, mac: str | None, key_id: str | None, *, only_if_new: bool = False
) -> bool:
    """Append one anchor line (fsynced). With only_if_new, skip it when the last line already records `seq`."""
    if config.anchor_dir is None or mac is None:
        return False
    path = anchor_path(config.anchor_dir)
    if only_if_new and _last_seq(path) == seq:
        return False
    config.anchor_dir.mkdir(parents=True, exist_ok=True)
    at = utcnow().isoformat(timespec="seconds")
    record = {"seq": seq, "mac": mac, "key_id": key_id, "at": at}
    record["line_mac"] = config.mac(config.current_id, _line_message(seq, mac, key_id, at))
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
    return True


def _last_seq(path: Path) -> int | None:
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 4096))
            tail = f.read().decode("utf-8", "replace").strip().splitlines()
        return int(json.loads(tail[-1])["seq"]) if tail else None
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def read_anchors(config: AuditConfig) -> tuple[list[Anchor], list[str]]:
    """Every anchor line, and a problem for each line that is malformed or whose own MAC does not match."""
    if config.anchor_dir is None:
        return [], []
    path = anchor_path(config.anchor_dir)
    if not path.exists():
        return [], []
    anchors: list[Anchor] = []
    problems: list[str] = []
    with path.open(encoding="utf-8", errors="replace") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            anchor = _parse(number, raw)
            if anchor is None:
                problems.append(f"line {number} of the anchor log {path} is malformed")
                continue
            if not _matches_any_key(config, anchor, json.loads(raw).get("line_mac")):
                problems.append(f"line {number} of the anchor log {path} was not written with a configured audit key")
                continue
            anchors.append(anchor)
    return anchors, problems


def _matches_any_key(config: AuditConfig, anchor: Anchor, line_mac: object) -> bool:
    message = _line_message(anchor.seq, anchor.mac, anchor.key_id, anchor.at)
    return any(config.mac(kid, message) == line_mac for kid in config.keys)


def _parse(number: int, raw: str) -> Anchor | None:
    try:
        data = json.loads(raw)
        seq, mac, key_id, at = data["seq"], data["mac"], data.get("key_id"), data["at"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1 or not isinstance(mac, str):
        return None
    if not isinstance(at, str) or (key_id is not None and not isinstance(key_id, str)):
        return None
    return Anchor(number, seq, mac, key_id, at)

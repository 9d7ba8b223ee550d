"""The SMTP hand-off journal: how far a send had got when its worker died, so a crash does not send it twice.

SMTP cannot be asked afterwards whether a message arrived. What decides it is the final "." of DATA: until the
server has read it the message is not accepted, and a dropped connection discards it (RFC 5321 §4.1.1.4); once
this process has handed that "." to the kernel, the kernel delivers it even if the process is killed the next
instant (closing a socket sends what is queued on it). So the transport notes `ready` just before writing the ".",
and `handed-over` just after. Both notes are plain writes to a file, which the kernel keeps when the process dies
(SIGKILL, the OOM killer): no fsync is needed for that.

After a crash the next attempt reads the notes of the attempts that ended `unknown`:
- no note: the "." never left, so sending now is the first delivery, not a repeat;
- `handed-over`: the server has the message: record it as sent and do not send it again;
- `ready` alone: the process died between two system calls, a window of microseconds. Nothing can tell whether the
  "." left, so the message is sent again (at-least-once, ADR 0012) with the same Message-ID.

A power cut can lose notes that were not yet on disk; delivery then falls back to at-least-once. Every worker that
may pick up another's unfinished sends must share the journal directory: each attempt records which journal it
wrote to, and a journal that is not ours is never read as "no note".
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from pathlib import Path

READY = "ready"
HANDED_OVER = "handed-over"


class HandoffJournal:
    """One small file per reminder (named by a digest of its idempotency key: no case data on disk), deleted as soon
    as the attempt's outcome is in the database."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._id: str | None = None

    @property
    def id(self) -> str:
        """This journal's identity, stored with each attempt so that only a worker reading the same one trusts it."""
        if self._id is None:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            marker = self.directory / "journal-id"
            with contextlib.suppress(FileExistsError):
                fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(uuid.uuid4().hex)
            self._id = marker.read_text().strip() or "unreadable"
        return self._id

    def _path(self, idem_key: str) -> Path:
        return self.directory / hashlib.sha256(idem_key.encode()).hexdigest()[:40]

    def open_entry(self, idem_key: str, attempt_no: int) -> JournalEntry:
        self.id  # noqa: B018 - creates the directory and its identity before the first note
        return JournalEntry(self._path(idem_key), attempt_no)

    def furthest(self, idem_key: str, attempts: set[int]) -> str | None:
        """The furthest note any of these attempts reached: HANDED_OVER, READY, or None."""
        try:
            lines = self._path(idem_key).read_text().splitlines()
        except FileNotFoundError:
            return None
        notes = (line.partition(" ") for line in lines)
        reached = {note for note, _, no in notes if no.isdigit() and int(no) in attempts}
        if HANDED_OVER in reached:
            return HANDED_OVER
        return READY if READY in reached else None

    def forget(self, idem_key: str) -> None:
        with contextlib.suppress(OSError):
            self._path(idem_key).unlink(missing_ok=True)


class JournalEntry:
    """The notes of one attempt. The file is opened before the "." so that the note after it is a single write."""

    def __init__(self, path: Path, attempt_no: int) -> None:
        self.path, self.attempt_no = path, attempt_no
        self._fd: int | None = None

    def note(self, what: str) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(self._fd, f"{what} {self.attempt_no}\n".encode())

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

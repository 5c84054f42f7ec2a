"""The migration's journal: one line per file copied and verified, so a second run
after a crash skips them. Appended and fsynced a line at a time; a line torn by a
kill is ignored (that file is copied again)."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import NamedTuple

JOURNAL_NAME = "storage-migration-s3.journal"
LINE = re.compile(r"^([0-9a-f]{32}) (\d+) ([0-9a-f]{64})\n\Z")


class Verified(NamedTuple):
    size: int
    sha256: str


def read_journal(path: Path) -> dict[str, Verified]:
    """The files the journal records as verified (name -> size, SHA-256)."""
    done: dict[str, Verified] = {}
    if not path.is_file():
        return done
    with path.open("r", encoding="ascii", errors="replace", newline="") as fh:
        for line in fh:
            match = LINE.match(line)
            if match:
                done[match[1]] = Verified(int(match[2]), match[3])
    return done


class Journal:
    """Appends verified files; safe to call from several copying threads."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._fh = os.fdopen(fd, "a", encoding="ascii", newline="")
        if path.stat().st_size and not _ends_with_newline(path):
            self._fh.write("\n")  # end a line torn by a kill, so the next one stands alone

    def record(self, name: str, size: int, sha256: str) -> None:
        with self._lock:
            self._fh.write(f"{name} {size} {sha256}\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"

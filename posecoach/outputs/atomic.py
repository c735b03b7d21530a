"""Writing files so that a failure never leaves half of one behind: write beside, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class AtomicFile:
    """A temporary path beside `target` (same suffix, so encoders pick the right format) that becomes
    `target` on `commit()` and disappears on `discard()`."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{self.target.stem}.", suffix=f".partial{self.target.suffix}", dir=self.target.parent
        )
        os.close(fd)
        self.temporary = Path(name)

    def commit(self) -> None:
        os.replace(self.temporary, self.target)

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


def write_text(target: Path, text: str) -> None:
    file = AtomicFile(target)
    try:
        file.temporary.write_text(text, encoding="utf-8")
        file.commit()
    finally:
        file.discard()

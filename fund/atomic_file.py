"""Files that appear whole or not at all: written beside their place, then renamed over it."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` in one step: a reader sees the old file or the new one, never
    half of it (a temporary file in the same folder, renamed over ``path``; atomic on POSIX).
    The file is readable by its owner only (``mkstemp`` makes it 0600). On an error the temporary
    file is removed and the error raised; ``path`` keeps what it had."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

"""The loaded rulebook kept on disk between processes, so a new process skips the schema.

Loading the rule files means parsing YAML, building the pydantic schema classes of
:mod:`fund.rules.schema` (the larger part of a cold start, docs/performance.md) and compiling
every condition and text to closures. A process that finds a cache file written for exactly the
same input reads the compiled :class:`~fund.rules.rulebook.Rulebook` back instead, without
importing pydantic, PyYAML or the schema.

Never wrong:

* The file is used only when its key matches. The key is a SHA-256 over the name and content of
  every file below the rules folder (so a changed, added or removed YAML file or folder
  invalidates it), the content of the code that loads and compiles (every file of the
  ``fund.rules`` package and the other ``fund`` modules the loader reads, :data:`CODE_FILES`),
  the Python version and the installed pydantic, pydantic-core, PyYAML and cloudpickle
  (size and modification time of their package, which an upgrade changes).
* The key is checked from a JSON first line before anything is unpickled; an unreadable,
  truncated or otherwise broken file, or one that fails to unpickle, is ignored and the rules
  are loaded normally (and the file written again).
* Rule files with problems are never cached: :func:`fund.rules.rulebook.load` raises and
  nothing is written. ``fund rules check`` always loads for real (it does not use this module).
* Writers write a temporary file in the same folder and rename it over the old one (atomic on
  POSIX), so concurrent processes (gunicorn workers starting together) never see half a file.
* A pickle runs code when read: the folder is made private (0700) and a file is only read when
  it and its folder belong to this user and nobody else may write them.

Where: ``$FUND_RULES_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/fund/rules`` or
``~/.cache/fund/rules``; one file per rules folder, overwritten when the rules change. A folder
that cannot be written (read-only home) only means every process loads the rules itself.

The compiled closures are pickled with cloudpickle (the standard pickle cannot store nested
functions); reading needs only the standard ``pickle`` and cloudpickle's small helper module.
"""
from __future__ import annotations

import gc
import hashlib
import importlib.util
import json
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from fund.rules.rulebook import Rulebook

CACHE_DIR_ENV = "FUND_RULES_CACHE_DIR"
FORMAT = "fund-rulebook-1"
_FUND = Path(__file__).resolve().parents[1]
# Code outside fund/rules/ that the loader reads (the decision kinds a form.yaml's `letters:`
# may name). tests/rules/test_rules_cache.py checks that every fund module a cold load imports
# is in the key.
CODE_FILES = ("models/decision_kinds.py",)
LIBRARIES = ("pydantic", "pydantic_core", "yaml", "cloudpickle")


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when ``FUND_RULES_CACHE_DIR`` is set empty (no cache)."""
    value = os.environ.get(CACHE_DIR_ENV)
    if value is not None:
        return Path(value) if value.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fund" / "rules"


def key(rules_dir: Path) -> str:
    """The SHA-256 of everything a loaded rulebook depends on (see the module's docstring)."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(label.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big") + data)

    add("format", f"{FORMAT} {sys.version} {sys.implementation.cache_tag}".encode())
    add("rules_dir", str(rules_dir).encode("utf-8", "surrogateescape"))
    for path in _files(rules_dir):
        add("rules:" + path.relative_to(rules_dir).as_posix(), path.read_bytes() if path.is_file() else b"<dir>")
    code = sorted(p for p in (_FUND / "rules").iterdir() if p.suffix in (".py", ".yaml") and p.is_file())
    for path in code + [_FUND / name for name in CODE_FILES]:
        add("code:" + path.relative_to(_FUND).as_posix(), path.read_bytes())
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        info = os.stat(spec.origin) if spec is not None and spec.origin else None
        add("lib:" + name, f"{info.st_size} {info.st_mtime_ns}".encode() if info else b"absent")
    return digest.hexdigest()


def _files(rules_dir: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(rules_dir):
        dirs.sort()
        base = Path(root)
        found.extend(base / d for d in dirs)
        found.extend(base / f for f in sorted(files))
    return found


def cache_file(directory: Path, rules_dir: Path) -> Path:
    name = hashlib.sha256(str(rules_dir).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return directory / f"rulebook-{name}.pickle"


def load(rules_dir: Path, load_rules: Callable[[Path], Rulebook]) -> Rulebook:
    """The rulebook of ``rules_dir`` from the cache when it is current, else ``load_rules(rules_dir)``
    (whose result is then cached). Problems in the rule files raise as ``load_rules`` raises them."""
    directory = cache_dir()
    if directory is None:
        return load_rules(rules_dir)
    try:
        current = key(rules_dir)
    except OSError:  # a rules folder that cannot be read: the loader says what is wrong
        return load_rules(rules_dir)
    path = cache_file(directory, rules_dir)
    book = read(path, current)
    if book is not None:
        return book
    book = load_rules(rules_dir)
    write(path, current, book)
    return book


def _private(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(path: Path, expected_key: str) -> Rulebook | None:
    """The cached rulebook, or ``None`` when the file is missing, stale, foreign or broken."""
    try:
        with open(path, "rb") as fh:
            if not (_private(os.fstat(fh.fileno())) and _private(os.stat(path.parent))):
                return None
            header = json.loads(fh.readline())
            if header.get("format") != FORMAT or header.get("key") != expected_key:
                return None
            collecting = gc.isenabled()
            gc.disable()  # thousands of small closures and tuples: no collection while they arrive
            try:
                book = pickle.load(fh)
            finally:
                if collecting:
                    gc.enable()
    except Exception:  # noqa: BLE001 - any broken cache file means: load the rules normally
        return None
    from fund.rules.rulebook import Rulebook

    return book if isinstance(book, Rulebook) else None


def write(path: Path, current_key: str, book: Rulebook) -> None:
    """Store ``book`` under ``current_key``; a folder that cannot be written is left alone."""
    tmp = None
    try:
        import cloudpickle

        payload = cloudpickle.dumps(book, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        header = json.dumps({"format": FORMAT, "key": current_key}).encode() + b"\n"
        fd, tmp = tempfile.mkstemp(prefix=".rulebook-", dir=path.parent)  # mode 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(header)
            fh.write(payload)
        os.replace(tmp, path)
        tmp = None
    except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
        pass  # no cache this time; the next process loads the rules itself
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass

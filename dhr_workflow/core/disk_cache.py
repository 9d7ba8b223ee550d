"""A small on-disk cache of values that are slow to build and never change for the same inputs (issue 17).

Every `dhr` command is a new process, so per-process caches do not help it: parsing the workflow files (YAML,
validation, semantic checks) and building a year's bank holidays (the `holidays` package imports every country)
cost a command-line call more than its query. Values are pickled under a key made of everything they depend on
(a file's path, size, modification time and a digest of its bytes, a package version, ...), so a change to any of
them is a miss, never a stale hit.

The cache lives in `$DHR_CACHE_DIR`, else `$XDG_CACHE_HOME/dhr-workflow`, else `~/.cache/dhr-workflow`. It is an
optimisation only: an unreadable, unwritable or corrupt cache is ignored and the value is built as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

FORMAT = "1"  # bump when the layout of cached values changes


def cache_dir() -> Path:
    explicit = os.environ.get("DHR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dhr-workflow"


def file_key(path: Path) -> str:
    """What a value parsed from `path` depends on: where it is, and exactly what it holds."""
    data = path.read_bytes()
    stat = path.stat()
    return f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{hashlib.sha256(data).hexdigest()}"


def cached(namespace: str, key: str, build: Callable[[], T]) -> T:
    """The value stored under (namespace, key), else `build()`, stored for next time."""
    found, value = _load(namespace, key)
    if found:
        return value  # type: ignore[no-any-return]
    value = build()
    store(namespace, key, value)
    return value


def load(namespace: str, key: str) -> Any | None:
    """The value stored under (namespace, key), or None (never stored, stored under another key, unreadable)."""
    return _load(namespace, key)[1]


def _load(namespace: str, key: str) -> tuple[bool, Any]:
    try:
        with _target(namespace, key).open("rb") as handle:
            stored_key, value = pickle.load(handle)  # noqa: S301 - our own cache directory
        if stored_key == key:
            return True, value
    except Exception:  # noqa: BLE001, S110 - a missing or unreadable entry is a miss
        pass
    return False, None


def store(namespace: str, key: str, value: Any) -> None:
    """Keep `value` under (namespace, key), replacing what was there; quietly nothing if it cannot be written."""
    _store(_target(namespace, key), key, value)


def _target(namespace: str, key: str) -> Path:
    digest = hashlib.sha256(f"{FORMAT}|{namespace}|{key}".encode()).hexdigest()[:32]
    return cache_dir() / f"{namespace}-{digest}.pickle"


def _store(target: Path, key: str, value: Any) -> None:
    import tempfile  # only when writing: a warm command does not pay for it

    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)  # atomic: a concurrent reader sees the old entry or the new one, never half
    except Exception:  # noqa: BLE001, S110 - read-only home, full disk, unpicklable value: just not cached
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def installed_version(package: str) -> str | None:
    """An installed distribution's version from its `NAME-VERSION.dist-info` folder beside the package, found
    without importing the package or importlib.metadata (each of which costs a command more than its query); None
    when it is not laid out that way (then ask importlib.metadata)."""
    try:
        spec = find_spec(package)
        if spec is None or spec.origin is None:
            return None
        prefix = f"{package.lower()}-"
        found = [
            entry.name[len(prefix) : -len(".dist-info")]
            for entry in os.scandir(Path(spec.origin).parent.parent)
            if entry.name.lower().startswith(prefix) and entry.name.endswith(".dist-info")
        ]
    except (OSError, ImportError, ValueError):
        return None
    return found[0] if len(found) == 1 else None

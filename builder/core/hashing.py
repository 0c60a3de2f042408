"""SHA-256 digests: of bytes, of plain values, of the builder's own code."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from builder import __version__


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def digest_values(*values: object) -> str:
    """A SHA-256 over ``values``: bytes as they are, anything else by its ``repr`` (deterministic
    for the str, int, tuple, list and dict values it is given), each followed by a NUL."""
    hashed = hashlib.sha256()
    for value in values:
        hashed.update(value if isinstance(value, bytes) else repr(value).encode("utf-8"))
        hashed.update(b"\0")
    return hashed.hexdigest()


@functools.lru_cache(maxsize=1)
def builder_fingerprint() -> str:
    """A hash of the builder's own code and data: a page is cut again, and every cached output
    rebuilt, whenever the builder changes."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".tsv") and p.is_file()):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

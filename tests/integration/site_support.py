"""Helpers of the build-cache tests: build a site quietly, and read an output folder back."""

from __future__ import annotations

from pathlib import Path

from builder.commands.build import build_site
from builder.core.config import load_config


def build(site: Path, **kwargs):
    """``builder build`` of the site in ``site`` (its config.yaml), printing nothing."""
    return build_site(load_config(site / "config.yaml"), say=lambda line: None, **kwargs)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``folder``: relative name -> (bytes, mtime in ns)."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``: relative name -> bytes."""
    return {name: data for name, (data, _) in snapshot(folder).items()}


def pages_tree(folder: Path) -> dict[str, bytes]:
    """:func:`tree` without the search index (``pagefind/``, made by ``builder build`` after the
    pages): Pagefind writes a filter's values in hash order, which differs from run to run, so two
    indexes of the same pages are equal in what they find but not byte for byte."""
    return {name: data for name, data in tree(folder).items() if not name.startswith("pagefind/")}

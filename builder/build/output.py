"""The output folder: a build is staged in a folder beside it, then swapped in or moved over.

Every file of a build is written into a staging folder next to the output folder (same file
system) as soon as it is made (:class:`StagedFiles`); only when every page succeeded does the
output change: the staging folder is renamed into place whole (:func:`swap_in`), or, for an
incremental build, each staged file that changed is renamed over its target and files the site
no longer has are deleted (:func:`move_changed`).  A failed build leaves the output untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from builder.core.config import PDF_DIR
from builder.core.errors import OutputError
from builder.core.hashing import sha256
from builder.sitesrc import SLUG_RE


class StagedFiles:
    """The output being built, in a staging folder: files are written as they are made and only
    their digests are kept."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.digests: dict[str, str] = {}
        """Name (relative, "/"-separated) -> SHA-256, or the digest it was recorded with."""

    def write(self, name: str, pieces: Iterable[bytes], digest: str | None = None) -> None:
        """Write ``name`` piece by piece; record its SHA-256, or ``digest`` when given (a digest
        that determines the bytes, so they are not hashed)."""
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        hashed = hashlib.sha256() if digest is None else None
        with open(target, "wb") as handle:
            for piece in pieces:
                if hashed is not None:
                    hashed.update(piece)
                handle.write(piece)
        self.digests[name] = hashed.hexdigest() if hashed is not None else str(digest)

    def add_written(self, name: str, digest: str) -> None:
        """A file written into the folder by someone else (a render worker), with its SHA-256."""
        self.digests[name] = digest

    def add_copy(self, name: str, source: Path, digest: str | None = None) -> None:
        """Stage a copy of ``source`` (a hard link when possible: nothing is read), recorded with
        ``digest`` when given, else its SHA-256."""
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        self.digests[name] = digest if digest is not None else sha256(target.read_bytes())


def write_pages(folder: Path, pages: Iterable[tuple[str, bytes]]) -> tuple[tuple[str, str], ...]:
    """Write rendered pages (name, bytes) into ``folder``; return their (name, SHA-256)."""
    written = []
    for name, data in pages:
        target = Path(folder) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append((name, sha256(data)))
    return tuple(written)


def output_error(out_dir: Path, error: OSError) -> OutputError:
    """An OSError while writing the output, as one line."""
    reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename and str(error.filename) != str(out_dir) else ""
    return OutputError(f"cannot write output: {reason}{where}", path=str(out_dir))


def _target_folder(out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    shown = out_dir
    if out_dir.is_symlink():
        out_dir = out_dir.resolve()  # swap the folder it points to, keep the link
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("cannot write output: it exists and is not a folder", path=str(shown))
    return out_dir, shown


def new_staging(out_dir: Path) -> Path:
    """A fresh, empty folder next to ``out_dir`` (same file system, so it can be renamed into place)."""
    out_dir, shown = _target_folder(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    except OSError as error:
        raise output_error(shown, error) from None


def swap_in(staging: Path, out_dir: Path) -> None:
    """Rename the complete ``staging`` folder into place as ``out_dir`` (the old one renamed
    aside, then deleted).  Raises OutputError (one line); then ``out_dir`` is unchanged."""
    out_dir, shown = _target_folder(out_dir)
    parent = out_dir.parent
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a served site must be readable
        old: Path | None = None
        if out_dir.exists():
            old = parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:12]}"
            os.rename(out_dir, old)
        try:
            os.rename(staging, out_dir)
        except OSError:
            if old is not None:
                os.rename(old, out_dir)
            raise
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise output_error(shown, error) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def move_changed(staged: StagedFiles, out_dir: Path, unchanged: Callable[[str, str], bool],
                 wanted: set[str]) -> tuple[list[str], list[str]]:
    """Move each staged file over its target in ``out_dir`` unless ``unchanged(name, digest)``;
    delete every output file not ``wanted``.  Returns (names written, names deleted).  The staging
    folder, holding the unchanged files, is left for the caller to delete."""
    written = []
    try:
        made: set[Path] = set()
        for name, digest in sorted(staged.digests.items()):
            if unchanged(name, digest):
                continue
            target = out_dir / name
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            source = staged.folder / name
            os.chmod(source, 0o644)
            os.replace(source, target)
            written.append(name)
        deleted = _delete_unwanted(out_dir, wanted)
    except OSError as error:
        raise OutputError(f"cannot write output: {error.strerror or error}", path=str(out_dir)) from None
    return written, deleted


def _delete_unwanted(root: Path, wanted: set[str]) -> list[str]:
    """Delete every file under ``root`` whose name (relative, with "/") is not in ``wanted``,
    then every folder left empty; return the names deleted."""
    deleted = []
    top = str(root)
    for folder, dirs, names in os.walk(top, topdown=False):
        prefix = "" if folder == top else folder[len(top) + 1:].replace(os.sep, "/") + "/"
        for name in names:
            if prefix + name not in wanted:
                os.unlink(os.path.join(folder, name))
                deleted.append(prefix + name)
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path):  # a link to a folder: a file of the output
                if prefix + name not in wanted:
                    os.unlink(path)
                    deleted.append(prefix + name)
            elif not os.listdir(path):
                os.rmdir(path)
    return deleted


def existing_pdfs(out_dir: Path) -> dict[str, Path]:
    """The PDFs ``builder pdf`` wrote into ``out_dir/pdf/`` (slug -> file), to carry into a new build."""
    folder = Path(out_dir) / PDF_DIR
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.pdf")) if p.is_file() and SLUG_RE.fullmatch(p.stem)}


def stale_pdfs(out_dir: Path, reports: Mapping[str, Path]) -> dict[str, Path]:
    """The PDFs older than their report's file (slug -> PDF; ``reports``: slug -> report file):
    printed before the report last changed, so they may still hold text it no longer has."""
    stale = {}
    for slug, pdf in existing_pdfs(out_dir).items():
        report = reports.get(slug)
        try:
            if report is not None and pdf.stat().st_mtime_ns < report.stat().st_mtime_ns:
                stale[slug] = pdf
        except OSError:  # gone meanwhile
            continue
    return stale


def remove_pdfs(pdfs: Iterable[Path]) -> None:
    """Delete stale PDFs (their pages then no longer link them)."""
    for pdf in pdfs:
        try:
            pdf.unlink(missing_ok=True)
        except OSError as error:
            raise OutputError(f"cannot remove an out-of-date PDF: {error.strerror or error}", path=str(pdf)) from None


def pdf_name(slug: str) -> str:
    """A report's PDF, relative to the site root."""
    return f"{PDF_DIR}/{slug}.pdf"

"""The output folder: a build is staged in a folder beside it, then swapped in or moved over.

Every file of a build is written into a staging folder next to the output folder (same file
system) as soon as it is made (:class:`StagedFiles`); only when every page succeeded does the
output change: the staging folder is renamed into place whole (:func:`swap_in`), or, for an
incremental build, each staged file that changed is renamed over its target and files the site
no longer has are deleted (:func:`move_changed`).  A failed build leaves the output untouched.

Any file system: when the output folder is a mount point or on another file system than its
parent (a Docker volume, a bind mount), the staging folder is made inside it (a hidden
``.builder-new-…`` folder, never left in the output), and a swap that cannot rename folders
(EBUSY, EXDEV) replaces the files one by one.  Moving files one by one is all or nothing too:
each file is replaced by a rename (a reader sees its old or its new version, never part of one),
the old versions are kept until every file is in place, and on an error they are put back.  Only
a build killed while moving files can leave a mix of old and new whole files (the next build
puts it right).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
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


#: The staging and backup folders a build makes inside the output folder start with this (they
#: never outlive the build; one left by a killed build is deleted by the next).
INSIDE_PREFIX = ".builder-"
#: The search index (``build.search_index``), made after the pages and never part of a build's
#: files: an incremental build leaves it, and the index being made (``.pagefind-…``), alone.
SEARCH_DIR = "pagefind"
SEARCH_TEMP_PREFIX = ".pagefind-"


def _stage_inside(out_dir: Path) -> bool:
    """True when the output folder is a mount point or on another file system than its parent
    (a Docker volume, a bind mount): it cannot be renamed, nor can files be renamed into it from
    beside it, so the build stages inside it."""
    try:
        return out_dir.is_dir() and (os.path.ismount(out_dir) or out_dir.stat().st_dev != out_dir.parent.stat().st_dev)
    except OSError:
        return False


def new_staging(out_dir: Path) -> Path:
    """A fresh, empty staging folder: next to ``out_dir`` (same file system, so it can be renamed
    into place), or inside it when ``out_dir`` is a mount point (see :func:`_stage_inside`)."""
    out_dir, shown = _target_folder(out_dir)
    try:
        if _stage_inside(out_dir):
            return Path(tempfile.mkdtemp(prefix=f"{INSIDE_PREFIX}new-", dir=out_dir))
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    except OSError as error:
        raise output_error(shown, error) from None


def swap_in(staging: Path, out_dir: Path) -> None:
    """Make ``out_dir`` hold exactly the files of the complete ``staging`` folder.  Raises
    OutputError (one line); then ``out_dir`` is as it was.

    The staging folder is renamed into place (the old one renamed aside, then deleted).  When that
    cannot be done (staged inside the output folder, a mount point: EBUSY; another file system:
    EXDEV), the files are replaced one by one instead, with the old ones kept until every file is
    in place (:func:`_replace_files`)."""
    out_dir, shown = _target_folder(out_dir)
    staging = Path(staging)
    if staging.parent == out_dir:
        _replace_all(staging, out_dir, shown)
        return
    try:
        replace_folder(staging, out_dir, out_dir.parent / f".{out_dir.name}.old-{os.urandom(6).hex()}")
    except OSError as error:
        if error.errno in (errno.EXDEV, errno.EBUSY) and staging.is_dir():
            _replace_all(staging, out_dir, shown)
            return
        shutil.rmtree(staging, ignore_errors=True)
        raise output_error(shown, error) from None


def replace_folder(new: Path, target: Path, aside: Path) -> None:
    """Rename the folder ``new`` to ``target``, made readable by all (``mkdtemp`` makes it 0700).
    An existing ``target`` is renamed to ``aside`` first, put back if the rename fails, and deleted
    after.  Raises OSError."""
    os.chmod(new, 0o755)
    old: Path | None = None
    if target.exists():
        os.rename(target, aside)
        old = aside
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _replace_all(staging: Path, out_dir: Path, shown: Path) -> None:
    """``swap_in`` file by file: every file of ``staging`` replaces its target, then every other
    file of ``out_dir`` is deleted; all or nothing (see :func:`_replace_files`)."""
    names = sorted(path.relative_to(staging).as_posix() for path in staging.rglob("*")
                   if path.is_file() or path.is_symlink())
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _replace_files(out_dir, [(name, staging / name) for name in names], set(names), staging)
    except OSError as error:
        raise output_error(shown, error) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def move_changed(staged: StagedFiles, out_dir: Path, unchanged: Callable[[str, str], bool],
                 wanted: set[str], present: set[str] | None = None) -> tuple[list[str], list[str]]:
    """Move each staged file over its target in ``out_dir`` unless ``unchanged(name, digest)``;
    delete every output file not ``wanted``.  Returns (names written, names deleted).  The staging
    folder, holding the unchanged files, is left for the caller to delete.  All or nothing: when a
    file cannot be moved or deleted, the ones already done are put back (:func:`_replace_files`).
    ``present``: the files ``out_dir`` is known to hold (then it is not walked to find the others)."""
    moves = [(name, staged.folder / name) for name, digest in sorted(staged.digests.items())
             if not unchanged(name, digest)]
    try:
        deleted = _replace_files(out_dir, moves, wanted, staged.folder, present)
    except OSError as error:
        raise OutputError(f"cannot write output: {error.strerror or error}", path=str(out_dir)) from None
    return [name for name, _ in moves], deleted


def _replace_files(out_dir: Path, moves: Sequence[tuple[str, Path]], wanted: set[str], staging: Path,
                   present: set[str] | None = None) -> list[str]:
    """Move each (name, staged file) over ``out_dir/name``, then delete every file of ``out_dir``
    not ``wanted`` (but the staging folder); return the names deleted.

    Each file is replaced by a rename, so a reader sees its old or its new version, never part of
    one; a staged file on another file system is first copied beside its target.  The old version
    of every replaced or deleted file is kept in a backup folder inside ``out_dir`` until the end:
    when anything fails (OSError), each file done is put back, so ``out_dir`` is as it was, and
    the error is raised."""
    backup = Path(tempfile.mkdtemp(prefix=f"{INSIDE_PREFIX}old-", dir=out_dir))
    done: list[tuple[str, bool]] = []  # (name, whether it had an old version)
    deleted: list[str] = []
    try:
        try:
            made: set[Path] = set()
            for name, source in moves:
                target = out_dir / name
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
                had = _keep_old(target, backup / name)
                os.chmod(source, 0o644)
                _replace(source, target)
                done.append((name, had))
            if present is None:
                _delete_unwanted(out_dir, wanted, skip={staging, backup, *_search_folders(out_dir)}, backup=backup,
                                 deleted=deleted)
            else:
                for name in sorted(present - wanted):
                    if os.path.lexists(out_dir / name):
                        _move_aside(str((out_dir / name).parent), Path(name).name,
                                    name.rsplit("/", 1)[0] + "/" if "/" in name else "", backup, deleted)
        except OSError:
            _put_back(out_dir, backup, done, deleted)
            raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)
    return deleted


def _search_folders(out_dir: Path) -> list[Path]:
    """The search index's folders in ``out_dir`` (see :data:`SEARCH_DIR`)."""
    return [out_dir / name for name in os.listdir(out_dir) if name == SEARCH_DIR or name.startswith(SEARCH_TEMP_PREFIX)]


def _keep_old(target: Path, keep: Path) -> bool:
    """Keep the current ``target`` as ``keep`` (a hard link, else a copy); False when there is none."""
    if not os.path.lexists(target):
        return False
    keep.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, keep, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, keep, follow_symlinks=False)
    return True


def _replace(source: Path, target: Path) -> None:
    """Rename ``source`` over ``target``; across file systems, copy it beside ``target`` first."""
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        temporary = target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp"
        try:
            shutil.copyfile(source, temporary)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _put_back(out_dir: Path, backup: Path, done: Sequence[tuple[str, bool]], deleted: Sequence[str]) -> None:
    """Undo :func:`_replace_files`: restore the deleted files and the replaced ones, remove the new ones."""
    for name in reversed(deleted):
        with contextlib.suppress(OSError):
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(backup / name, out_dir / name)
    for name, had in reversed(done):
        with contextlib.suppress(OSError):
            if had:
                os.replace(backup / name, out_dir / name)
            else:
                os.unlink(out_dir / name)


def _delete_unwanted(root: Path, wanted: set[str], *, skip: set[Path], backup: Path, deleted: list[str]) -> None:
    """Move every file under ``root`` whose name (relative, with "/") is not in ``wanted`` into
    ``backup`` (appending its name to ``deleted``), then delete every folder left empty; the
    folders in ``skip`` are left alone."""
    top = str(root)
    skipped = {str(path) for path in skip}
    for folder, dirs, names in os.walk(top, topdown=False):
        if any(folder == path or folder.startswith(path + os.sep) for path in skipped):
            continue
        prefix = "" if folder == top else folder[len(top) + 1:].replace(os.sep, "/") + "/"

        for name in names:
            if prefix + name not in wanted:
                _move_aside(folder, name, prefix, backup, deleted)
        for name in dirs:
            path = os.path.join(folder, name)
            if path in skipped:
                continue
            if os.path.islink(path):  # a link to a folder: a file of the output
                if prefix + name not in wanted:
                    _move_aside(folder, name, prefix, backup, deleted)
            elif not os.listdir(path):
                os.rmdir(path)


def _move_aside(folder: str, name: str, prefix: str, backup: Path, deleted: list[str]) -> None:
    keep = backup / (prefix + name)
    keep.parent.mkdir(parents=True, exist_ok=True)
    os.replace(os.path.join(folder, name), keep)
    deleted.append(prefix + name)


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

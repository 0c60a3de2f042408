"""Writing the output on any file system (issue 14): when folders cannot be renamed (EBUSY on a
mount point, EXDEV across file systems) the files are replaced one by one, all or nothing.  The
failures are simulated here by patching the renames of builder.build.output; the integration test
test_output_filesystems.py builds into a real tmpfs mount."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from builder.build import output
from builder.core.errors import OutputError

OLD = {"index.html": b"old index", "reports/a.html": b"old a", "reports/gone.html": b"gone", "pdf/a.pdf": b"%PDF"}
NEW = {"index.html": b"new index", "reports/a.html": b"new a", "reports/b.html": b"new b"}


def files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``, hidden ones included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write(folder: Path, content: dict[str, bytes]) -> None:
    for name, data in content.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def stage(out: Path, content: dict[str, bytes]) -> output.StagedFiles:
    staged = output.StagedFiles(output.new_staging(out))
    for name, data in content.items():
        staged.write(name, [data])
    return staged


def failing(real, when, code: int):
    """``real`` (os.rename or os.replace), raising OSError(code) when ``when(source, target)``."""
    def fake(source, target, *args, **kwargs):
        if when(Path(source), Path(target)):
            raise OSError(code, os.strerror(code), str(source))
        return real(source, target, *args, **kwargs)
    return fake


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "public"
    write(folder, OLD)
    return folder


def test_swap_in_on_a_mount_point_replaces_the_files(out, monkeypatch):
    """The output folder cannot be renamed aside (EBUSY: a mount point, also with --clean)."""
    monkeypatch.setattr(output.os, "rename", failing(os.rename, lambda s, t: s == out, errno.EBUSY))
    staged = stage(out, NEW)
    output.swap_in(staged.folder, out)
    assert files(out) == NEW
    assert not staged.folder.exists() and sorted(p.name for p in out.parent.iterdir()) == ["public"]


def test_swap_in_across_file_systems_copies_the_files(out, monkeypatch):
    """The staging folder is on another file system (EXDEV) for folders and files alike."""
    into_place = lambda s, t: t == out and s.name.startswith(".public.new-")  # noqa: E731
    monkeypatch.setattr(output.os, "rename", failing(os.rename, into_place, errno.EXDEV))
    monkeypatch.setattr(output.os, "replace", failing(os.replace, lambda s, t: ".public.new-" in str(s), errno.EXDEV))
    staged = stage(out, NEW)
    output.swap_in(staged.folder, out)
    assert files(out) == NEW
    assert sorted(p.name for p in out.parent.iterdir()) == ["public"]
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in out.rglob("*") if p.is_file())


def test_empty_mounted_folder_with_clean(tmp_path, monkeypatch):
    out = tmp_path / "public"
    out.mkdir()
    monkeypatch.setattr(output, "_stage_inside", lambda folder: True)  # a mount point
    staged = stage(out, NEW)
    assert staged.folder.parent == out and staged.folder.name.startswith(output.INSIDE_PREFIX)
    output.swap_in(staged.folder, out)
    assert files(out) == NEW


def test_move_changed_across_file_systems(out, monkeypatch):
    monkeypatch.setattr(output.os, "replace", failing(os.replace, lambda s, t: ".public.new-" in str(s), errno.EXDEV))
    staged = stage(out, NEW)
    written, deleted = output.move_changed(staged, out, lambda name, digest: name == "index.html",
                                           set(NEW) | {"pdf/a.pdf"})
    assert written == ["reports/a.html", "reports/b.html"] and deleted == ["reports/gone.html"]
    assert files(out) == {"index.html": b"old index", "reports/a.html": b"new a", "reports/b.html": b"new b",
                          "pdf/a.pdf": b"%PDF"}


def test_staging_inside_the_output_folder_is_never_published(out, monkeypatch):
    monkeypatch.setattr(output, "_stage_inside", lambda folder: True)
    (out / ".builder-new-leftover").mkdir()  # left by a killed build
    (out / ".builder-new-leftover" / "x.html").write_bytes(b"x")
    staged = stage(out, NEW)
    assert staged.folder.parent == out
    output.move_changed(staged, out, lambda name, digest: False, set(NEW))
    assert files(staged.folder) == {}  # every staged file was moved
    shutil.rmtree(staged.folder)  # as the build does
    assert files(out) == NEW


@pytest.mark.parametrize("step", ["replace", "delete"])
def test_a_failure_while_replacing_files_leaves_the_output_as_it_was(out, monkeypatch, step):
    """All or nothing: a file that cannot be moved (here: the disk is full) or deleted puts every
    file done back."""
    before = files(out)
    if step == "replace":
        when = lambda s, t: t == out / "reports" / "b.html"  # noqa: E731 - after index.html and a.html
    else:
        when = lambda s, t: s == out / "reports" / "gone.html"  # noqa: E731
    monkeypatch.setattr(output.os, "rename", failing(os.rename, lambda s, t: s == out, errno.EBUSY))
    monkeypatch.setattr(output.os, "replace", failing(os.replace, when, errno.ENOSPC))
    staged = stage(out, NEW)
    with pytest.raises(OutputError, match="cannot write output: No space left on device"):
        output.swap_in(staged.folder, out)
    assert files(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["public"]
    staged = stage(out, NEW)
    with pytest.raises(OutputError, match="cannot write output: No space left on device"):
        output.move_changed(staged, out, lambda name, digest: False, set(NEW))
    assert files(out) == before

"""Show that a change of code leaves the built sites byte-identical.

    python scripts/output_snapshot.py prepare DIR        # make the input sites once
    python scripts/output_snapshot.py record DIR OUT.json # build each, serial and parallel, hash every file
    python scripts/output_snapshot.py compare A.json B.json

`prepare` writes three sites into DIR, each a copy of this repository's config.yaml, templates
and glossary: `bundled` (the bundled scraped page), `corpus` (the bundled page plus every file of
../shared/corpus) and `bench200` (200 pages made by benchmarks/bench.py's generator). Prepare them
once, with the code from before the change, so that both records build the very same inputs.

`record` builds every site from a fresh copy, with `--jobs 1` and `--jobs 2`, through the CLI
only (`python -m builder build`), and stores the SHA-256 of every file under site_src/reports and
public, plus the exit status and the error lines of a build that failed. `compare` prints every
difference and exits 1 when there is one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SITES = ("bundled", "corpus", "bench200")
JOBS = (1, 2)


def _site_skeleton(target: Path) -> None:
    (target / "site_src" / "scraped").mkdir(parents=True)
    shutil.copy(ROOT / "config.yaml", target / "config.yaml")
    shutil.copytree(ROOT / "templates", target / "templates")
    shutil.copy(ROOT / "site_src" / "glossary.yaml", target / "site_src" / "glossary.yaml")


def prepare(folder: Path) -> None:
    bundled = sorted((ROOT / "site_src" / "scraped").iterdir())
    for name in ("bundled", "corpus"):
        _site_skeleton(folder / name)
        for page in bundled:
            shutil.copy(page, folder / name / "site_src" / "scraped" / page.name)
    for page in sorted(CORPUS.iterdir()):
        if page.suffix in {".txt", ".csv", ".html", ".jsonl", ".json"}:
            shutil.copy(page, folder / "corpus" / "site_src" / "scraped" / page.name)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench  # noqa: PLC0415 - the generator lives with the benchmark

    with tempfile.TemporaryDirectory() as tmp:
        bench.generate(Path(tmp), 200)
        shutil.copytree(Path(tmp) / "ours", folder / "bench200")


def _hashes(site: Path) -> dict[str, str]:
    out = {}
    for top in ("site_src/reports", "public"):
        for path in sorted((site / top).rglob("*")):
            if path.is_file():
                out[str(path.relative_to(site))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def record(folder: Path, out: Path) -> None:
    result: dict[str, dict[str, object]] = {}
    for name in SITES:
        for jobs in JOBS:
            with tempfile.TemporaryDirectory() as tmp:
                site = Path(tmp) / name
                shutil.copytree(folder / name, site)
                command = [sys.executable, "-m", "builder", "build", "--config", str(site / "config.yaml"),
                           "--jobs", str(jobs)]
                proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
                errors = [line.replace(str(site), "<site>") for line in proc.stderr.splitlines() if "error" in line]
                files = _hashes(site)
                result[f"{name}/jobs{jobs}"] = {"exit": proc.returncode, "errors": errors, "files": files}
                print(f"{name} --jobs {jobs}: exit {proc.returncode}, {len(files)} files")
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    differences = 0
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            print(f"{key}: only in {'after' if key in b else 'before'}")
            differences += 1
            continue
        for field in ("exit", "errors"):
            if a[key][field] != b[key][field]:
                print(f"{key}: {field} {a[key][field]!r} -> {b[key][field]!r}")
                differences += 1
        files_a, files_b = a[key]["files"], b[key]["files"]
        for path in sorted(set(files_a) | set(files_b)):
            if files_a.get(path) != files_b.get(path):
                print(f"{key}: {path} differs" if path in files_a and path in files_b
                      else f"{key}: {path} only {'after' if path in files_b else 'before'}")
                differences += 1
        print(f"{key}: {len(files_b)} files compared")
    print("identical" if not differences else f"{differences} differences")
    return 1 if differences else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "prepare":
        prepare(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "record":
        record(Path(argv[1]), Path(argv[2]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Where the shared corpus of real reports is: ../shared/corpus beside the repository."""

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

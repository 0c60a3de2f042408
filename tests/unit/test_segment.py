"""rjieba (the fast backend) gives jieba's (the reference) tokens where they decide something (issue 5)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from shared_corpus import CORPUS

from builder.glossary.terms import load_glossary
from builder.ingest.read import read_source
from builder.text import segment

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("rjieba")


def texts() -> list[str]:
    paths = [ROOT / "site_src/scraped/000_8b8113f56c6b1839.txt"]
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("*.txt"))
    out = []
    for path in paths:
        out += ["\n".join(doc.lines) for doc in read_source(path, path.name)]
    return out


def test_rjieba_is_the_backend_when_installed():
    assert segment.backend() == "rjieba"


def test_rjieba_cuts_every_page_like_jieba():
    for text in texts():
        assert segment.cut(text) == segment.cut(text, reference=True)


def test_places_agree_with_either_backend(monkeypatch):
    from builder.text import places

    for text in texts()[:6]:
        fast = places._find_places(text)
        monkeypatch.setattr(segment, "_rjieba", lambda: None)
        reference = places._find_places(text)
        monkeypatch.undo()
        assert fast == reference


def test_glossary_words_cut_out_alike():
    glossary = load_glossary(ROOT / "site_src/glossary.yaml")
    words = glossary._words
    checked = 0
    for text in texts():
        for match in segment.HAN_BLOCK.finditer(text):
            block = match.group()
            if not glossary._word_re.search(block):
                continue
            checked += 1

            def spans(tokens):
                out, pos = [], 0
                for token in tokens:
                    if token in words:
                        out.append((pos, token))
                    pos += len(token)
                return out

            assert spans(segment.cut_block(block, words)) == spans(segment.cut_block(block, words, reference=True))
    assert checked > 50


def test_rjieba_loads_one_dictionary_lazily():
    """Importing and cutting build only the tokenizer used: rjieba's own ``__init__`` (which
    builds a default tokenizer nobody uses) never runs, yet a later ``import rjieba`` works
    and shares the same extension module."""
    code = (
        "import sys\n"
        "from builder.text import segment\n"
        "assert 'rjieba.rjieba' not in sys.modules\n"
        "segment.cut_block('江苏省苏州市', frozenset({'苏州'}))\n"
        "assert segment._rjieba_default.cache_info().currsize == 0\n"
        "assert 'rjieba' not in sys.modules\n"
        "core = sys.modules['rjieba.rjieba']\n"
        "import rjieba\n"
        "assert rjieba.Jieba is core.Jieba\n"
        "assert segment.cut('江苏省苏州市') == rjieba.cut('江苏省苏州市', False)\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_rjieba_imported_first_is_reused():
    """When rjieba was imported already, its extension module is reused, not loaded again."""
    import rjieba

    segment._rjieba.cache_clear()
    try:
        assert segment._rjieba().Jieba is rjieba.Jieba
    finally:
        segment._rjieba.cache_clear()


def test_a_label_another_report_cleaned_first_is_remembered_for_this_one(tmp_path, monkeypatch):
    """Labels are cleaned once per process; a report whose label another report cleaned first must
    still remember its cuts, or an edit of it (a new process) builds the dictionary again."""
    from builder.indicators import labels

    labels.clean("全市地区生产总值")  # another report, rendered first in this worker
    with segment.remembered_cuts(tmp_path / "report.cuts"):
        labels.clean("全市地区生产总值")
    labels.forget_cleaned()  # a new process: `builder build` after an edit
    segment.forget_process_cuts()
    fresh: list[str] = []
    original = segment._cut
    monkeypatch.setattr(segment, "_cut", lambda text, extra, *, reference=False: (
        fresh.append(text), original(text, extra, reference=reference))[1])
    with segment.remembered_cuts(tmp_path / "report.cuts"):
        assert labels.clean("全市地区生产总值") == "地区生产总值"
    assert fresh == []

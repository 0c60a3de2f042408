"""One shared, lazily loaded jieba word segmenter for the whole process.

jieba builds its prefix dictionary (about a second) the first time it cuts a word, then
caches it in a file.  Every module that needs Chinese word boundaries (``places``,
``glossary``) goes through here, so the dictionary is loaded once per process, its cache
file lives in the build's cache folder (``paths.cache``) rather than the system's
temporary folder, and jieba's "Building prefix dict…" log lines never reach the terminal.

* :func:`use_cache_dir` — where the cache file goes.  jieba's default tokenizer (``jieba.dt``,
  which ``places`` and the glossary share) is one per process, and so is this setting of it:
  each command that may segment (``builder.commands``) gives it ``config.cache_dir`` once, before
  anything is cut; the dictionary is loaded with it when first needed (with rjieba installed, a
  build usually never loads jieba's own).  Without it, the cache goes to
  ``$XDG_CACHE_HOME/gov-report-builder`` (``~/.cache/gov-report-builder``).
* :func:`tokenizer` — jieba's default tokenizer, initialized once.
* :func:`tokenizer_with` — a separate tokenizer that shares the loaded dictionary and
  adds extra words (the glossary's terms), so adding them never changes how ``places``
  cuts text.

With rjieba installed it does the cutting, and its start-up is kept to what a build uses:
each dictionary (about 0.08 s to build) is built when text is first cut with it, and
importing rjieba's package (which builds a default dictionary of its own) is skipped, so a
one-report rebuild, which only cuts glossary runs, builds a single dictionary.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import logging
import os
import pickle
import re
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import jieba
    from rjieba import Jieba as RJieba

CACHE_FILE = "jieba.cache"
#: What jieba cuts as one block (its ``re_han_default``): text between two blocks never
#: affects how a block is cut.
HAN_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+")



def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gov-report-builder"


class _DefaultTokenizer:
    """How jieba's process-wide default tokenizer is loaded: once, quietly, its dictionary cache
    in :attr:`cache_dir` (see the module docstring)."""

    def __init__(self) -> None:
        self.cache_dir: Path | None = None
        self.lock = threading.Lock()

    def get(self) -> jieba.Tokenizer:
        import jieba

        _quiet()
        dt = jieba.dt
        if not dt.initialized:
            with self.lock:
                if not dt.initialized:
                    folder = self.cache_dir or default_cache_dir()
                    try:
                        folder.mkdir(parents=True, exist_ok=True)
                        dt.tmp_dir = str(folder)
                        dt.cache_file = CACHE_FILE
                    except OSError:
                        pass  # an unwritable cache folder only costs speed: jieba rebuilds in memory
                    dt.initialize()
        return dt


_DEFAULT = _DefaultTokenizer()


def use_cache_dir(path: Path) -> None:
    """Keep jieba's dictionary cache in ``path`` (only effective before the dictionary is loaded)."""
    _DEFAULT.cache_dir = Path(path)


def _quiet() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.default_logger.setLevel(logging.WARNING)


def tokenizer() -> jieba.Tokenizer:
    """jieba's default tokenizer (``jieba.dt``), its dictionary loaded once, quietly."""
    return _DEFAULT.get()


@lru_cache(maxsize=8)
def tokenizer_with(words: frozenset[str]) -> jieba.Tokenizer:
    """A tokenizer sharing the default dictionary plus ``words``.

    Each word gets jieba's suggested frequency (just enough for it to be cut out on its
    own), shorter words first, so a longer dictionary word around it still wins and of
    two nested extra words (意识, 四个意识) the longer one is kept.  The dictionary is
    copied (a dict copy, milliseconds), not reloaded from disk.
    """
    import jieba

    base = tokenizer()
    own = jieba.Tokenizer()
    own.FREQ = dict(base.FREQ)
    own.total = base.total
    own.initialized = True
    for word in sorted(words, key=lambda w: (len(w), w)):
        own.add_word(word)
    return own


@lru_cache(maxsize=8)
def _rjieba_with(words: frozenset[str]) -> RJieba:
    """An rjieba tokenizer with ``words`` added the way :func:`tokenizer_with` adds them.

    Each one loads its own copy of the dictionary (about 0.08 s), built on first use: a
    one-report rebuild only cuts glossary runs, so it builds this one and no other.
    """
    if not words:
        return _rjieba_default()
    own = _rjieba_module().Jieba()
    for word in sorted(words, key=lambda w: (len(w), w)):
        own.add_word(word, None, None)
    return own


@lru_cache(maxsize=1)
def _rjieba_default() -> RJieba:
    """rjieba with its default dictionary only (what ``rjieba.cut`` uses), built on first use."""
    return _rjieba_module().Jieba()


def _rjieba_module() -> ModuleType:
    """:func:`_rjieba`, called where it is known to be there."""
    module = _rjieba()
    assert module is not None, "rjieba is used only when it is installed"
    return module


def release_glossary_dictionaries() -> None:
    """Drop the rjieba dictionaries with extra words (the glossary's, about 25 MiB each) this
    process built; the next cut with those words builds its own again.  The build's parent
    process calls it once its workers have linked every report's glossary terms, so that the rest
    of a large build does not carry them (the default dictionary stays: place names are cut)."""
    _rjieba_with.cache_clear()


def cut_block(block: str, words: frozenset[str], *, reference: bool = False) -> list[str]:
    """Cut one :data:`HAN_BLOCK` run the way ``cut`` would (jieba's DAG and best route, no
    HMM), without jieba's per-call overhead: the glossary cuts many short runs.

    With rjieba installed it cuts (its own copy of the dictionary plus ``words``, loaded in
    0.1 s instead of jieba's 1 s); the words it cuts out are the ones jieba cuts out (tests
    compare them on every report).  Runs of digits may be grouped differently (rjieba keeps
    "50" whole); no glossary word contains a digit.
    """
    if not reference and _MEMO.active is not None:
        return _MEMO.cut(block, words)
    if not reference and _rjieba() is not None:
        return _rjieba_with(words).cut(block, False)
    tk = tokenizer_with(words)
    dag = tk.get_DAG(block)
    route: dict[int, tuple[float, int]] = {}
    tk.calc(block, dag, route)
    out = []
    i = 0
    while i < len(block):
        j = route[i][1] + 1
        out.append(block[i:j])
        i = j
    return out


class _BlockMemo:
    """The cuts of the runs of one report, remembered across builds (see :func:`remembered_cuts`):
    {words digest: {run: its tokens}} while a report is rendered."""

    def __init__(self) -> None:
        self.active: dict[str, dict[str, tuple[str, ...]]] | None = None
        self.used: dict[str, dict[str, tuple[str, ...]]] = {}

    def cut(self, block: str, words: frozenset[str]) -> list[str]:
        assert self.active is not None
        key = _words_digest(words)
        tokens = self.active.get(key, {}).get(block)
        if tokens is None:
            tokens = tuple(_rjieba_with(words).cut(block, False) if _rjieba() is not None
                           else cut_block(block, words, reference=True))
        self.used.setdefault(key, {})[block] = tokens
        return list(tokens)

    def text_tokens(self, text: str) -> tuple[str, ...]:
        """:func:`cut` of ``text`` with the default dictionary (the indicator label rules cut
        labels): remembered like the glossary's runs, so a report rendered again builds no
        dictionary for the labels it cut before."""
        assert self.active is not None
        key = "text\0" + _words_digest(frozenset())
        tokens = self.active.get(key, {}).get(text)
        if tokens is None:
            tokens = _default_cut_of(text)
        self.used.setdefault(key, {})[text] = tokens
        return tokens


_MEMO = _BlockMemo()


@lru_cache(maxsize=8)
def _words_digest(words: frozenset[str]) -> str:
    """What a run's cut depends on besides the run: the extra words, the segmenter and its version."""
    from builder.core.hashing import builder_fingerprint

    digest = hashlib.sha256(f"{backend()}\0{_backend_version()}\0{builder_fingerprint()}\0".encode())
    digest.update("\0".join(sorted(words)).encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _backend_version() -> str:
    """The segmenter's build: its compiled module's size and time (rjieba), or jieba's version."""
    module = _rjieba()
    if module is None:
        import jieba

        return str(getattr(jieba, "__version__", ""))
    try:
        st = os.stat(str(module.__file__))
    except (OSError, TypeError):  # pragma: no cover - a module without a file
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


@contextmanager
def remembered_cuts(path: Path | None) -> Iterator[None]:
    """Cut the glossary's runs (:func:`cut_block`) of one report remembering them in ``path``
    (a small file in the build cache, one per report): a run cut before with the same extra
    words, segmenter and builder is taken from it, so that rendering a report again after an
    edit builds no dictionary (0.1 s) unless a changed run holds a glossary word.  The file
    then keeps the runs of this render only.  ``None``: no memory.  A file that cannot be read
    or written only costs speed.  Texts cut with the default dictionary (:func:`cut`) are
    remembered with them."""
    if path is None:
        yield
        return
    try:
        with open(path, "rb") as handle:
            loaded = pickle.load(handle)
        if not isinstance(loaded, dict):
            loaded = {}
    except Exception:  # noqa: BLE001 - missing, damaged or old: cut again
        loaded = {}
    _MEMO.active, _MEMO.used = loaded, {}
    try:
        yield
        if _MEMO.used != loaded:
            _save_cuts(path, _MEMO.used)
    finally:
        _MEMO.active, _MEMO.used = None, {}


def _save_cuts(path: Path, cuts: dict[str, dict[str, tuple[str, ...]]]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            pickle.dump(cuts, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)


#: ``BUILDER_SEGMENTER=jieba`` forces the pure-Python reference even when rjieba is installed.
BACKEND_ENV = "BUILDER_SEGMENTER"


@lru_cache(maxsize=1)
def _rjieba() -> ModuleType | None:
    """rjieba's compiled module (jieba-rs: the same dictionary, the same tokens, 15-20x
    faster), or None when it is not installed or ``BUILDER_SEGMENTER=jieba``."""
    if os.environ.get(BACKEND_ENV, "").lower() == "jieba":
        return None
    try:
        return _load_rjieba_core()
    except ImportError:  # pragma: no cover - rjieba is a dependency, but jieba alone still works
        return None


def _load_rjieba_core() -> ModuleType:
    """``rjieba.rjieba`` (the Rust extension holding ``Jieba``), loaded without running
    ``rjieba/__init__.py``.

    That ``__init__`` builds a default ``Jieba()`` at import (about 0.1 s, its whole
    dictionary) which nothing here uses: each tokenizer this module needs is built on first
    use, so a build builds only the ones it cuts with.  The module is registered under its
    own name, so a later ``import rjieba`` reuses it.  Should the package's layout ever
    differ, the plain import is the fallback.
    """
    name = "rjieba.rjieba"
    if name in sys.modules:
        return sys.modules[name]
    package = importlib.util.find_spec("rjieba")
    if package is None:
        raise ImportError("rjieba is not installed")
    for folder in package.submodule_search_locations or ():
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = Path(folder) / f"rjieba{suffix}"
            if path.is_file():
                loader = importlib.machinery.ExtensionFileLoader(name, str(path))
                spec = importlib.util.spec_from_file_location(name, path, loader=loader)
                assert spec is not None  # (a file location and a loader make a spec)
                module = importlib.util.module_from_spec(spec)
                loader.exec_module(module)
                sys.modules[name] = module
                return module
    return importlib.import_module(name)  # pragma: no cover - unexpected layout: the plain import


def backend() -> str:
    """Which segmenter :func:`cut` uses for the default dictionary: "rjieba" or "jieba"."""
    return "rjieba" if _rjieba() is not None else "jieba"


def cut(text: str, words: Iterable[str] = (), *, reference: bool = False) -> list[str]:
    """Cut ``text`` into words (no HMM guessing of unknown words); extra ``words`` optional.

    With the default dictionary and rjieba installed, rjieba cuts (tests prove it gives
    jieba's tokens); ``reference=True`` (or extra words, which rjieba cannot add to a
    separate copy of the dictionary) uses jieba itself.
    """
    extra = frozenset(words)
    if not extra and not reference:
        for texts in _RECORDERS:
            texts.append(text)
        return list(_MEMO.text_tokens(text) if _MEMO.active is not None else _default_cut_of(text))
    return _cut(text, extra, reference=reference)


def note_cuts(texts: Iterable[str]) -> None:
    """Record that the report being rendered cut ``texts`` with the default dictionary (their cuts
    taken from what the memo or the process holds), as :func:`cut` would, without cutting: a
    cache above the segmenter calls it on a hit."""
    texts = tuple(texts)
    for recorder in _RECORDERS:  # a cache around this one learns them too
        recorder.extend(texts)
    if _MEMO.active is not None:
        for text in texts:
            _MEMO.text_tokens(text)


def forget_process_cuts() -> None:
    """Forget the cuts this process made (as a new process would start): a test of what a build
    remembers on disk needs it."""
    _default_cut.cache_clear()


_RECORDERS: list[list[str]] = []


@contextmanager
def recorded_cuts() -> Iterator[list[str]]:
    """The texts :func:`cut` is given with the default dictionary while the block runs: a caller
    that caches what it computed from them (``indicators.labels.clean``) passes them to
    :func:`note_cuts` on a hit, so a report's memo still learns every text it needs."""
    texts: list[str] = []
    _RECORDERS.append(texts)
    try:
        yield texts
    finally:
        _RECORDERS.pop()


#: The longest text whose cut the process keeps (labels are short; a body found for places is not).
_SHORT = 48


def _default_cut_of(text: str) -> tuple[str, ...]:
    return _default_cut(text) if len(text) <= _SHORT else tuple(_cut(text, frozenset()))


@lru_cache(maxsize=32768)
def _default_cut(text: str) -> tuple[str, ...]:
    """:func:`_cut` with the default dictionary, remembered in the process: labels repeat across
    reports.  Below the per-report memo (:class:`_BlockMemo`), which still records every text a
    report cut, so an edit finds them all in ``.cache/cuts/``."""
    return tuple(_cut(text, frozenset()))


def _cut(text: str, extra: frozenset[str], *, reference: bool = False) -> list[str]:
    fast = None if (extra or reference) else _rjieba()
    if fast is not None:
        return _rjieba_default().cut(text, False)
    tk = tokenizer_with(extra) if extra else tokenizer()
    return tk.lcut(text, HMM=False)

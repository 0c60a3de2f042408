"""config.yaml -> a frozen, typed Config.

Every problem in the file is collected first and reported at once, one line each,
as ``config.yaml:LINE: key: what is wrong``.  Paths are relative to the config file,
so a site can live in any folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from builder.core.errors import ConfigError, OutputError, yaml_error_line

DEFAULT_CONFIG_NAME = "config.yaml"
BUNDLED_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: public/pdf/<slug>.pdf: written by `builder pdf`, kept across builds
PDF_DIR = "pdf"

# The defaults that other modules take as their own (each defined here only; see OPTIONS).
#: ``glossary.link``: which occurrences of a term are linked.
LINK_POLICIES = ("first-per-section", "first-per-page", "every")
GLOSSARY_LINK = LINK_POLICIES[0]
#: ``indicators.sidebar_count``: how many key indicators a report page's sidebar shows.
SIDEBAR_COUNT = 12
#: ``indicators.full_table_max``: up to this many indicators site-wide, the indicators page also
#: lists every one of them; above, only each report's own indicators page does.
FULL_TABLE_MAX = 3000
#: ``strict``: whether warnings fail ``builder build`` and ``builder pdf`` (``--strict`` / ``--no-strict``
#: override it).  Off: every readable document is published and each bad input is one warning.
STRICT = False
#: ``glossary.backlinks_max``: an entry with more occurrences than this lists per-report counts
#: and the first few anchors instead of every occurrence.
BACKLINKS_MAX = 60


@dataclass(frozen=True)
class Config:
    path: Path
    """The config file (it may not exist: then every value is a default)."""
    root: Path
    """The folder every relative path is taken from: the config file's folder."""
    site_name: str
    site_url: str
    scraped_dir: Path
    reports_dir: Path
    templates_dir: Path
    output_dir: Path
    cache_dir: Path
    extra_patterns: tuple[str, ...]
    glossary_path: Path | None
    """The glossary YAML (``paths.glossary``); a missing file means no glossary."""
    glossary_link: str
    """Which occurrences of a term are linked: one of :data:`LINK_POLICIES` (``glossary.link``)."""
    indicator_count: int
    """How many key indicators a report page's sidebar shows (``indicators.sidebar_count``)."""
    indicators_full_table_max: int
    """Up to this many indicators in the whole site, indicators/index.html also carries the full
    table of every indicator (``indicators.full_table_max``); above it, only per-report pages do."""
    glossary_backlinks_max: int
    """A glossary entry with more occurrences than this lists per-report counts and the first few
    anchors instead of every occurrence (``glossary.backlinks_max``)."""
    strict: bool = STRICT
    """``strict``: a build with warnings (an unreadable scraped file, a bad export row, a document
    that failed to cut, a broken report file) fails and writes nothing, as ``--strict`` does."""

    def check_cache_dir(self) -> None:
        """Make the cache folder (``paths.cache``) and check it can be written: one error line
        naming it, before anything is built, rather than a traceback when build state is saved.
        A read-only cache is an error, not a warning: a build that could not save its state would
        redo, and re-report, everything next time without saying why."""
        display = self.relative(self.cache_dir)
        if self.cache_dir.exists() and not self.cache_dir.is_dir():
            raise OutputError("paths.cache names a file, not a folder", path=display,
                              hint="remove it or point paths.cache in config.yaml elsewhere")
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            probe = self.cache_dir / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise OutputError(f"cannot write the build cache: {error.strerror or error}", path=display,
                              hint="make it writable, or point paths.cache in config.yaml elsewhere") from None

    def relative(self, path: Path) -> str:
        """A path as the user would name it: relative to the site folder when inside it.  Known
        for the last 32,768 paths of the process (a build names each page and report file two or
        three times; a file that becomes a link while ``builder serve`` runs keeps its name)."""
        text = str(path) if isinstance(path, Path) else str(Path(path))  # normalized as Path does
        return _absolute_relative(self.root, text) if os.path.isabs(text) else _relative(self.root, text)


@lru_cache(maxsize=32768)
def _absolute_relative(root: Path, text: str) -> str:
    return _relative(root, text)


def _relative(root: Path, text: str) -> str:
    folder, name = os.path.split(text)
    if os.path.isabs(text) and name not in ("", ".", "..") and not os.path.islink(text):
        # = path.resolve().relative_to(root), resolving the folder once for all its files
        inside = _inside(f"{_resolved_folder(folder)}/{name}", _root_text(root))
        return inside if inside is not None else text
    try:
        return str(Path(text).resolve().relative_to(root))
    except ValueError:
        return text


@lru_cache(maxsize=64)
def _resolved_folder(folder: str) -> str:
    return str(Path(folder).resolve())


@lru_cache(maxsize=16)
def _root_text(root: Path) -> str:
    return str(root)


def _inside(path: str, root: str) -> str | None:
    """``str(Path(path).relative_to(root))`` for normalized absolute paths; None when outside."""
    if path == root:
        return "."
    prefix = root if root.endswith("/") else root + "/"
    return path[len(prefix):] if path.startswith(prefix) else None


@dataclass(frozen=True)
class _Option:
    key: str
    default: Any
    check: Callable[[Any], str | None]
    """Returns what is wrong with a value, or None."""


def _expect_str(value: Any) -> str | None:
    return None if isinstance(value, str) else f"expected a string, got {_type_name(value)}"


def _expect_patterns(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"expected a list of strings (regular expressions), got {_type_name(value)}"
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"invalid regular expression {pattern!r}: {exc}"
    return None


def _expect_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"expected a string, got {_type_name(value)}"
    if value and not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
        return f"expected an http(s) URL such as https://user.github.io/repo/, got {value!r}"
    return None


def _expect_count(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"expected a whole number (0 or more), got {value!r}" if isinstance(value, (int, float)) \
            and not isinstance(value, bool) else f"expected a whole number (0 or more), got {_type_name(value)}"
    return None


def _expect_link_policy(value: Any) -> str | None:
    if value not in LINK_POLICIES:
        return f"expected one of {', '.join(LINK_POLICIES)}, got {value!r}"
    return None


def _expect_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {_type_name(value)}"


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number",
            bool: "true/false", type(None): "nothing"}.get(type(value), type(value).__name__)


OPTIONS: tuple[_Option, ...] = (
    _Option("site_name", "政府工作报告读本", _expect_str),
    _Option("site_url", "", _expect_url),
    _Option("paths.scraped", "site_src/scraped", _expect_str),
    _Option("paths.reports", "site_src/reports", _expect_str),
    _Option("paths.templates", "templates", _expect_str),
    _Option("paths.output", "public", _expect_str),
    _Option("paths.cache", ".cache", _expect_str),
    _Option("cleaning.extra_patterns", [], _expect_patterns),
    _Option("paths.glossary", "site_src/glossary.yaml", _expect_str),
    _Option("glossary.link", GLOSSARY_LINK, _expect_link_policy),
    _Option("indicators.sidebar_count", SIDEBAR_COUNT, _expect_count),
    _Option("indicators.full_table_max", FULL_TABLE_MAX, _expect_count),
    _Option("glossary.backlinks_max", BACKLINKS_MAX, _expect_count),
    _Option("strict", STRICT, _expect_bool),
)
_SECTIONS = {key.split(".")[0] for key in (o.key for o in OPTIONS) if "." in key}


def load_config(path: Path | None = None) -> Config:
    """Read config.yaml (or the defaults when no path is given and ./config.yaml is absent)."""
    explicit = path is not None
    path = (path or Path(DEFAULT_CONFIG_NAME)).resolve()
    if not path.exists():
        if explicit:
            raise ConfigError("config file not found", path=str(path))
        return _build(path, {})
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", path=str(path)) from None
    return parse_config(text, path)


def with_site_url(config: Config, site_url: str | None) -> Config:
    """``config`` with ``site_url`` replaced (``builder build --site-url``, as the Pages workflow
    passes the address ``actions/configure-pages`` gives); None keeps config.yaml's."""
    if site_url is None:
        return config
    problem = _expect_url(site_url)
    if problem is not None:
        raise ConfigError(f"--site-url: {problem}")
    return replace(config, site_url=site_url)


def parse_config(text: str, path: Path) -> Config:
    """Parse and validate config text; every error is collected and raised once."""
    display = str(path)
    try:
        root_node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = yaml_error_line(exc)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", path=display,
                          line=line + 1 if line is not None else None) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"expected a mapping of settings, got {_type_name(data)}", path=display, line=1)
    lines = _key_lines(root_node)
    errors = _validate(data, lines)
    if errors:
        first_line, _ = errors[0]
        message = "; ".join(f"line {line}: {msg}" if line else msg for line, msg in errors)
        if len(errors) == 1:
            raise ConfigError(errors[0][1], path=display, line=first_line)
        raise ConfigError(f"{len(errors)} problems: {message}", path=display)
    return _build(path, data)


def _validate(data: dict, lines: dict[str, int]) -> list[tuple[int | None, str]]:
    errors: list[tuple[int | None, str]] = []
    known = {o.key for o in OPTIONS}
    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                errors.append((lines.get(key), f"{key}: expected a mapping, got {_type_name(value)}"))
                continue
            for sub in value:
                if f"{key}.{sub}" not in known:
                    errors.append((lines.get(f"{key}.{sub}"), f"{key}.{sub}: unknown setting"))
        elif key not in known:
            errors.append((lines.get(str(key)), f"{key}: unknown setting"))
    for option in OPTIONS:
        found, value = _lookup(data, option.key)
        if found:
            problem = option.check(value)
            if problem:
                errors.append((lines.get(option.key), f"{option.key}: {problem}"))
    return errors


def _lookup(data: dict, dotted: str) -> tuple[bool, Any]:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _key_lines(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """Map dotted keys to the 1-based line where each stands."""
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            out[key] = key_node.start_mark.line + 1
            out.update(_key_lines(value_node, key + "."))
    return out


def _build(path: Path, data: dict) -> Config:
    root = path.parent

    def get(key: str) -> Any:
        found, value = _lookup(data, key)
        return value if found else next(o.default for o in OPTIONS if o.key == key)

    templates = root / get("paths.templates")
    if not templates.exists() and get("paths.templates") == "templates":
        templates = BUNDLED_TEMPLATES  # a site without its own templates uses the builder's
    return Config(
        path=path,
        root=root,
        site_name=get("site_name"),
        site_url=get("site_url"),
        scraped_dir=root / get("paths.scraped"),
        reports_dir=root / get("paths.reports"),
        templates_dir=templates,
        output_dir=root / get("paths.output"),
        cache_dir=root / get("paths.cache"),
        extra_patterns=tuple(get("cleaning.extra_patterns")),
        glossary_path=root / get("paths.glossary"),
        glossary_link=get("glossary.link"),
        indicator_count=get("indicators.sidebar_count"),
        indicators_full_table_max=get("indicators.full_table_max"),
        glossary_backlinks_max=get("glossary.backlinks_max"),
        strict=get("strict"),
    )

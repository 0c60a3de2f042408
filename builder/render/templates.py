"""The site's Jinja templates: one environment per site, template errors as one-line SourceErrors.

A site's own template folder comes first; the templates it may lack (the indicator, glossary and
404 pages, added after sites had their own folders) come from the bundled ones.  Autoescape is on
and undefined variables are errors.  Compiled templates may be kept in a bytecode cache (the
build cache's ``jinja/`` folder): :func:`bytecode_cache`.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import jinja2

from builder.core.config import BUNDLED_TEMPLATES
from builder.core.errors import SourceError
from builder.glossary import pages as glossary_pages
from builder.indicators import tables

INDEX_TEMPLATE = "index.html"
REPORT_TEMPLATE = "report.html"
INDICATORS_TEMPLATE = "indicators.html"
INDICATORS_REPORT_TEMPLATE = "indicators_report.html"  # one report's indicators: indicators/<slug>.html
INDICATOR_TABLE_PARTIAL = "_indicator_table.html"
INDICATOR_ROWS_PARTIAL = "_indicator_rows.html"
NOT_FOUND_TEMPLATE = "404.html"
PLACE_TEMPLATE = "place.html"  # one place's page: places/<slug>.html
#: Templates a site's own folder may lack: the bundled ones are used then.
FALLBACK_TEMPLATES = (INDICATORS_TEMPLATE, INDICATORS_REPORT_TEMPLATE, INDICATOR_TABLE_PARTIAL,
                      INDICATOR_ROWS_PARTIAL, NOT_FOUND_TEMPLATE, PLACE_TEMPLATE, *glossary_pages.TEMPLATES)
STATIC_DIR = "static"


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A bytecode cache whose failures (folder gone, disk full) only make rendering slower."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in ``folder`` (keyed by each template's source, so never stale):
    a rebuild then compiles no template it compiled before.  None when the folder cannot be made."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:  # only slower
        return None
    return _QuietBytecodeCache(str(folder))


def _bundled_fallback(name: str) -> str | None:
    return (BUNDLED_TEMPLATES / name).read_text(encoding="utf-8") if name in FALLBACK_TEMPLATES else None


class Templates:
    """A site's templates (``folder``) in one Jinja environment, with the site's template globals."""

    def __init__(self, folder: Path, *, template_globals: Iterable[tuple[str, object]] = (),
                 bytecode: jinja2.BytecodeCache | None = None):
        self.folder = Path(folder)
        self.env = jinja2.Environment(
            bytecode_cache=bytecode,
            loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(self.folder)),
                                        jinja2.FunctionLoader(_bundled_fallback)]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(dict(template_globals))
        self._bundled: weakref.WeakKeyDictionary[jinja2.Template, bool] = weakref.WeakKeyDictionary()

    def render(self, name: str, **context: object) -> str:
        """Template ``name`` rendered; SourceError (one line) for a broken or missing template."""
        return _render(self, name, context, encoded=False)  # type: ignore[return-value]  # (str when not encoded)

    def render_bytes(self, name: str, **context: object) -> bytes:
        """``render(...).encode("utf-8")``, encoded as it is generated: a page of every indicator
        has millions of small pieces, and holding them all before joining them costs several
        times the page's size in memory."""
        return _render(self, name, context, encoded=True)  # type: ignore[return-value]  # (bytes when encoded)

    def compile(self, *names: str) -> None:
        """Load (compile) the templates ``names`` now."""
        for name in names:
            self.env.get_template(name)

    def is_bundled(self, name: str) -> bool:
        """Whether template ``name`` is rendered from exactly the bundled file's source (checked once
        per loaded template: a changed file is a new template)."""
        template = self.env.get_template(name)
        known = self._bundled.get(template)
        if known is None:
            source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]  # (set above)
            known = self._bundled[template] = source == (BUNDLED_TEMPLATES / name).read_text(encoding="utf-8")
        return known

    def indicator_rows(self, rows: Sequence[Mapping[str, object]], *, root: str, kind_labels: Mapping[str, str],
                       show_report: bool, titles: Mapping[str, str]) -> str:
        """``_indicator_rows.html`` rendered: by ``indicators.tables.rows_html`` while the template is
        the bundled one (most sites), else by Jinja (a site's own template)."""
        context = {"rows": rows, "root": root, "kind_labels": kind_labels, "show_report": show_report,
                   "titles": titles}
        try:
            bundled = self.is_bundled(INDICATOR_ROWS_PARTIAL)
        except jinja2.TemplateError:
            bundled = False  # render says what is wrong
        if bundled:
            return tables.rows_html(rows, root=root, kind_labels=kind_labels, show_report=show_report, titles=titles)
        return self.render(INDICATOR_ROWS_PARTIAL, **context)


def _render(templates: Templates, name: str, context: Mapping[str, object], *, encoded: bool) -> str | bytes:
    try:
        template = templates.env.get_template(name)
        return _encoded(template.generate(**context)) if encoded else template.render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise SourceError(f"template error: {error.message}", path=error.filename or str(templates.folder / name),
                          line=error.lineno) from None
    except jinja2.TemplateNotFound as error:
        raise SourceError(f"template not found: {error.name}", path=str(templates.folder)) from None
    except jinja2.TemplateError as error:
        raise SourceError(f"template error: {error}", path=str(templates.folder / name)) from None


def _encoded(pieces: Iterable[str]) -> bytes:
    out: list[bytes] = []
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= 8192:
            out.append("".join(batch).encode("utf-8"))
            batch.clear()
    out.append("".join(batch).encode("utf-8"))
    return b"".join(out)

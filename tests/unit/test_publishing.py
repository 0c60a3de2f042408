"""GitHub Pages output (issue 6): .nojekyll, 404.html, sitemap.xml, canonical links, previous/next
links, PDF links kept across builds; the Pages workflow runs the README's build command; `builder pdf`
says in one line when Chromium is missing."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.build.scheduler import build_output
from builder.commands import pdf as pdf_module
from builder.core.errors import BuilderError
from builder.core.model import ReportFile
from builder.render.report import PageSettings, site_base
from builder.render.site import site_root_path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
BODY = "{#p1}\n各位代表：\n\n{#s1}\n## 一、回顾\n\n{#s1-p1}\n过去一年，经济平稳运行。\n"


def report(slug: str, title: str, year: int = 2020) -> ReportFile:
    meta = {"title": title, "slug": slug, "kind": "government_work_report", "year": year, "place": "江苏省苏州市"}
    return ReportFile(path=f"site_src/reports/{slug}.md", meta=meta, body=BODY, body_line=10)


REPORTS = [report("b-2021", "2021年苏州市政府工作报告", 2021), report("a-2020", "2020年苏州市政府工作报告")]


def build(out: Path, base_url: str = "") -> Path:
    build_output(REPORTS, PageSettings(site_name="文库", templates_dir=TEMPLATES, base=site_base(base_url)), out)
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_nojekyll_and_404_from_site_url(tmp_path):
    out = build(tmp_path / "public", "https://user.github.io/my-repo/")
    assert (out / ".nojekyll").read_bytes() == b""
    page = soup(out / "404.html")
    assert page.find("link", rel="stylesheet")["href"] == "/my-repo/assets/style.css"
    assert {a["href"] for a in page.select("header a, main a")} >= {"/my-repo/index.html",
                                                                    "/my-repo/indicators/index.html"}
    assert all(a["href"].startswith("/my-repo/") for a in page.find_all("a") if a["href"] != "#page-main")
    assert page.find("link", rel="canonical") is None


def test_404_without_site_url_inlines_the_stylesheet(tmp_path):
    out = build(tmp_path / "public")
    page = soup(out / "404.html")
    assert page.find("link", rel="stylesheet") is None
    assert ".site-name" in page.find("style").get_text()
    assert page.select_one("main a")["href"] == "/index.html"
    assert not (out / "sitemap.xml").exists()  # a sitemap needs absolute URLs


@pytest.mark.parametrize("url, path", [("", "/"), ("https://example.org", "/"), ("https://example.org/", "/"),
                                       ("https://u.github.io/repo", "/repo/"), ("https://x.org/a/b/", "/a/b/")])
def test_site_root_path(url, path):
    assert site_root_path(url) == path


def test_sitemap_and_canonical_links(tmp_path):
    base = "https://example.org/my-repo/"
    out = build(tmp_path / "public", base)
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    assert sitemap.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/')
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locs == [base, base + "reports/a-2020.html", base + "reports/b-2021.html", base + "indicators/index.html",
                    base + "indicators/a-2020.html", base + "indicators/b-2021.html",
                    base + "places/quanguo.html", base + "places/jiangsu-320000.html",
                    base + "places/suzhou-320500.html"]
    for name, canonical in (("index.html", base), ("reports/a-2020.html", base + "reports/a-2020.html"),
                            ("indicators/index.html", base + "indicators/index.html"),
                            ("places/suzhou-320500.html", base + "places/suzhou-320500.html"),
                            ("indicators/a-2020.html", base + "indicators/a-2020.html")):
        assert soup(out / name).find("link", rel="canonical")["href"] == canonical
    # every other internal URL stays relative
    for name in ("index.html", "reports/a-2020.html", "indicators/index.html", "indicators/a-2020.html",
                 "places/suzhou-320500.html"):
        for tag in soup(out / name).find_all(["a", "link", "script"]):
            url = tag.get("href") or tag.get("src") or ""
            assert not url.startswith("/") and (not url.startswith("http") or tag.get("rel") == ["canonical"]
                                                 or "external" in (tag.get("rel") or [])), (name, url)


def test_header_nav_and_previous_next_links(tmp_path):
    out = build(tmp_path / "public")
    first, second = soup(out / "reports/a-2020.html"), soup(out / "reports/b-2021.html")
    assert [a["href"] for a in first.select(".site-nav a")] == ["../index.html", "../indicators/index.html"]
    assert first.select_one(".report-pager a[rel=next]")["href"] == "b-2021.html"
    assert first.select_one(".report-pager a[rel=prev]") is None
    assert second.select_one(".report-pager a[rel=prev]")["href"] == "a-2020.html"
    assert "2020年苏州市政府工作报告" in second.select_one(".report-pager a[rel=prev]").get_text()
    index = soup(out / "index.html")
    assert index.select_one('.site-nav a[aria-current="page"]')["href"] == "index.html"
    # the running header of the printed page is the report's title
    assert '@top-center { content: "2020年苏州市政府工作报告"; }' in first.find("style").get_text()


def test_pdf_links_and_pdfs_survive_builds(tmp_path):
    out = build(tmp_path / "public")
    assert soup(out / "reports/a-2020.html").select_one(".pdf-link") is None
    (out / "pdf").mkdir()
    (out / "pdf" / "a-2020.pdf").write_bytes(b"%PDF-1.4 a")
    (out / "pdf" / "gone.pdf").write_bytes(b"%PDF-1.4 gone")  # its report no longer exists
    build(out)
    assert (out / "pdf" / "a-2020.pdf").read_bytes() == b"%PDF-1.4 a"
    assert not (out / "pdf" / "gone.pdf").exists()
    assert soup(out / "reports/a-2020.html").select_one(".pdf-link")["href"] == "../pdf/a-2020.pdf"
    assert soup(out / "reports/b-2021.html").select_one(".pdf-link") is None


def test_missing_chromium_is_one_line(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(BuilderError) as caught:
        pdf_module.find_chromium(("/nonexistent/chromium", "chromium"))
    assert str(caught.value) == ("Chromium not found (looked for /usr/bin/chromium and chromium on PATH) "
                                 "(install it with `apt-get install chromium`)")


def test_pdf_cli_without_chromium(monkeypatch, tmp_path, capsys):
    from builder import cli

    monkeypatch.setattr(pdf_module.find_chromium, "__defaults__", (("/nonexistent/chromium",),))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["pdf"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: Chromium not found")


def test_print_command_uses_quiet_offline_flags(tmp_path):
    command = pdf_module.print_command("/usr/bin/chromium", tmp_path / "a.html", tmp_path / "a.pdf", tmp_path)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer"):
        assert flag in command
    assert command[-1] == (tmp_path / "a.html").as_uri()


# ----------------------------------------------------------------- the workflow and the README


def _quickstart():
    spec = importlib.util.spec_from_file_location("quickstart", ROOT / "scripts" / "quickstart.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.quickstart_commands((ROOT / "README.md").read_text("utf-8"))


def test_pages_workflow_runs_the_readme_build_command_strictly():
    """The workflow runs the Quick start's build command with --strict: a bad input fails the deploy
    (and the last good site stays online) instead of publishing a site without it."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s["run"].strip() for s in steps if "run" in s]
    # the address actions/configure-pages found is passed on (issue 14): a project site's 404
    # page, sitemap and canonical links are right with an empty `site_url:` in config.yaml
    assert runs == [_quickstart()[0] + ' --strict --site-url "${{ steps.pages.outputs.base_url }}"']
    configure = next(s for s in steps if s.get("uses", "").startswith("actions/configure-pages"))
    assert configure["id"] == "pages"
    uses = [s["uses"].split("@")[0] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "public"
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_readme_test_command_installs_the_browser_tools():
    build, test = _quickstart()
    assert test.startswith('pip install -e ".[test]"') and "sh scripts/install-test-deps.sh" in test
    assert test.endswith("python -m pytest") and "||" not in test and ";" not in test
    script = (ROOT / "scripts" / "install-test-deps.sh").read_text("utf-8")
    for package in ("chromium", "default-jre-headless", "poppler-utils", "npm", "fonts-noto-cjk"):
        assert package in script
    assert "npm ci" in script and "playwright install" not in script
    assert (ROOT / "package-lock.json").is_file()

"""The Pages workflow's build command, run as GitHub runs it (issue 14): with the base URL
``actions/configure-pages`` gives a project site and an empty ``site_url:`` in config.yaml, the
404 page links into the project, and the sitemap and canonical links are absolute URLs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.cli import main

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://user.github.io/repo/"


def workflow_build_command(base_url: str) -> list[str]:
    """The workflow's build step's `builder build …`, with the action's output filled in."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text("utf-8"))
    run = next(s["run"] for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Build")
    command = run.split("&&")[-1].replace("${{ steps.pages.outputs.base_url }}", base_url)
    words = shlex.split(command)
    assert words[:2] == ["builder", "build"]
    return words[1:]


@pytest.mark.parametrize("base_url", [BASE_URL, BASE_URL.rstrip("/")])  # the action gives no final "/"
def test_workflow_build_command_with_a_project_site_url(site, monkeypatch, base_url):
    assert "site_url: \"\"" in (site / "config.yaml").read_text("utf-8")
    monkeypatch.chdir(site)
    assert main(workflow_build_command(base_url)) == 0
    out = site / "public"
    page = BeautifulSoup((out / "404.html").read_text("utf-8"), "html.parser")
    assert page.find("link", rel="stylesheet")["href"] == "/repo/assets/style.css"
    links = [a["href"] for a in page.find_all("a") if a["href"] != "#page-main"]
    assert "/repo/index.html" in links and all(link.startswith("/repo/") for link in links)
    locs = re.findall(r"<loc>(.*?)</loc>", (out / "sitemap.xml").read_text("utf-8"))
    assert locs[0] == BASE_URL and BASE_URL + "reports/2020-suzhou-zfgzbg.html" in locs
    assert all(loc.startswith(BASE_URL) for loc in locs)
    report = BeautifulSoup((out / "reports/2020-suzhou-zfgzbg.html").read_text("utf-8"), "html.parser")
    assert report.find("link", rel="canonical")["href"] == BASE_URL + "reports/2020-suzhou-zfgzbg.html"


def test_a_site_url_flag_rebuilds_and_is_validated(site, monkeypatch, capsys):
    monkeypatch.chdir(site)
    assert main(["build"]) == 0
    assert not (site / "public/sitemap.xml").exists()
    assert main(["build", "--site-url", BASE_URL]) == 0  # not a no-op: the address changed
    assert (site / "public/sitemap.xml").exists()
    assert main(["build"]) == 0  # and back
    assert not (site / "public/sitemap.xml").exists()
    capsys.readouterr()
    assert main(["build", "--site-url", "user.github.io/repo"]) == 1
    assert capsys.readouterr().err.startswith("error: --site-url: expected an http(s) URL")

"""`builder serve` for real (issue 5): a subprocess on a free port, fetched over HTTP and the
live-reload websocket, edited while it runs, then stopped with Ctrl+C (SIGINT)."""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


def wait_for(predicate, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except (OSError, ValueError):
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def server(site: Path):
    import shutil

    shutil.copytree(ROOT / "templates", site / "templates")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--config", str(site / "config.yaml"),
         "--port", str(port), "--base-path", "/my-repo/"],
        cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: status(base)["generation"] >= 1, "the first build")
        yield site, base, port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            raise AssertionError("serve did not stop on Ctrl+C") from None
        assert process.returncode == 0, output
        assert "stopped" in output


def status(base: str) -> dict:
    return json.loads(fetch(base + "/__builder/status")[2])


def run_in_thread(make_coroutine):
    """asyncio.run in a thread of its own (another test may leave an event loop running here)."""
    import threading

    box: dict = {}

    def target():
        try:
            box["value"] = asyncio.run(make_coroutine())
        except BaseException as error:  # re-raised in the test's thread
            box["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(WAIT + 10)
    if "error" in box:
        raise box["error"]
    return box["value"]


async def _reload_signal(port: int, edit, timeout: float = WAIT) -> dict:
    """Connect as livereload.js does, make the edit, return the first "reload" message."""
    from tornado.websocket import websocket_connect

    ws = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await ws.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await ws.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/my-repo/"}))
    await asyncio.sleep(0.3)
    edit()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = await asyncio.wait_for(ws.read_message(), timeout=deadline - time.monotonic())
        assert message is not None, "the server closed the live-reload socket"
        data = json.loads(message)
        if data.get("command") == "reload":
            ws.close()
            return data
    raise AssertionError("no reload signal")


def test_serve_builds_serves_rebuilds_and_recovers(server):
    site, base, port = server
    code, headers, page = fetch(base + "/my-repo/")
    assert code == 200 and "2020年苏州市政府工作报告" in page
    assert "no-store" in headers["Cache-Control"] and "livereload.js" in page
    # --base-path: the site lives under /my-repo/ only, as on GitHub Pages
    assert fetch(base + "/index.html")[0] == 404
    request = urllib.request.Request(base + "/", method="GET")
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=10)
    assert redirect.value.code == 302 and redirect.value.headers["Location"].endswith("/my-repo/")
    code, _, report = fetch(base + "/my-repo/reports/2020-huaian-rdcwhgzbg.html")
    assert code == 200 and "../assets/style.css" in report
    assert fetch(base + "/my-repo/assets/style.css")[0] == 200

    # a report edit: rebuilt, and the connected browser is told to reload
    path = site / "site_src/reports/2020-huaian-rdcwhgzbg.md"
    text = path.read_text(encoding="utf-8")
    generation = status(base)["generation"]
    message = run_in_thread(lambda: _reload_signal(port, lambda: path.write_text(
        text.replace("让我们更加紧密地团结", "让我们同志们更加紧密地团结", 1), encoding="utf-8")))
    assert message["command"] == "reload"
    wait_for(lambda: status(base)["generation"] > generation, "the rebuild")
    assert "让我们同志们更加紧密地团结" in fetch(base + "/my-repo/reports/2020-huaian-rdcwhgzbg.html")[2]

    # a template edit, with no browser connected
    generation = status(base)["generation"]
    index = site / "templates/index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("</h1>", "</h1><!-- served-marker -->", 1),
                     encoding="utf-8")
    wait_for(lambda: "served-marker" in fetch(base + "/my-repo/")[2], "the template edit")
    wait_for(lambda: status(base)["generation"] > generation, "the end of that build")  # (pages come first)

    # a burst of saves is one rebuild
    generation = status(base)["generation"]
    css = site / "templates/static/style.css"
    for n in range(5):
        css.write_text(css.read_text(encoding="utf-8") + f"\n/* save {n} */\n", encoding="utf-8")
        time.sleep(0.02)
    wait_for(lambda: status(base)["generation"] > generation, "the rebuild")
    time.sleep(1.0)
    assert status(base)["generation"] == generation + 1

    # a broken edit: an error page, the server keeps running, the next good save recovers
    path.write_text(text.replace("title: ", "title: [broken", 1), encoding="utf-8")
    wait_for(lambda: status(base)["error"], "the error")
    code, _, page = fetch(base + "/my-repo/")
    assert code == 500 and "2020-huaian-rdcwhgzbg.md" in page and 'id="builder-error"' in page
    path.write_text(text, encoding="utf-8")
    wait_for(lambda: not status(base)["error"], "the recovery")
    code, _, page = fetch(base + "/my-repo/reports/2020-huaian-rdcwhgzbg.html")
    assert code == 200 and "让我们更加紧密地团结" in page


def test_serve_template_error_shows_error_page(server):
    site, base, port = server
    report = site / "templates/report.html"
    good = report.read_text(encoding="utf-8")
    report.write_text(good + "{% if %}\n", encoding="utf-8")
    error = wait_for(lambda: status(base)["error"], "the template error")
    assert "template error" in error
    assert fetch(base + "/my-repo/reports/2020-huaian-rdcwhgzbg.html")[0] == 500
    report.write_text(good, encoding="utf-8")
    wait_for(lambda: not status(base)["error"], "the recovery")
    assert fetch(base + "/my-repo/reports/2020-huaian-rdcwhgzbg.html")[0] == 200


def test_a_file_saved_during_a_build_is_built_again(site):
    """The build's own writes are no change; a save while it runs is (it may have been read before)."""
    import threading

    from builder.commands.serve import SiteServer

    server = SiteServer(site / "config.yaml", say=lambda line: None)
    own, edited = str(site / "site_src/reports/new.md"), str(site / "site_src/reports/edited.md")
    pending = [str(site / "templates/index.html")]  # what the watcher sees next
    builds: list[int] = []

    class Watcher:
        def changed(self) -> list[str]:
            seen = list(pending)
            pending.clear()
            return seen

    def build(changed=None) -> set[str]:
        builds.append(len(builds))
        if len(builds) == 1:
            pending.extend([own, edited])  # its own write, and a save while it ran
        else:
            pending.append(own)  # only its own write: no third build
            threading.Timer(1.0, server.stop.set).start()
        return {own}

    server.build = build  # type: ignore[method-assign]
    threading.Timer(5.0, server.stop.set).start()  # in any case
    server.loop(Watcher())  # type: ignore[arg-type]
    assert builds == [0, 1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_inotify_watcher_names_what_changed(tmp_path):
    """Each file written, created (in a new folder too), renamed into place or deleted, by the
    name the polling watcher gives it; a file root (config.yaml) only by its own name; nothing
    of ignored folders or of editors' temporary files."""
    from builder.commands.serve import InotifyWatcher

    site = tmp_path / "site"
    (site / "site_src/reports").mkdir(parents=True)
    (site / "public").mkdir()
    report = site / "site_src/reports/a.md"
    report.write_text("a", encoding="utf-8")
    (site / "config.yaml").write_text("site_name: x\n", encoding="utf-8")
    watcher = InotifyWatcher([site / "site_src", site / "config.yaml"], ignore=[site / "public"])
    try:
        assert watcher.changed() == []
        report.write_text("b", encoding="utf-8")
        (site / "site_src/reports/.a.md.swp").write_text("x", encoding="utf-8")
        (site / "public/index.html").write_text("x", encoding="utf-8")
        (site / "notes.txt").write_text("x", encoding="utf-8")  # beside config.yaml, not watched
        watcher.wait(1.0)
        assert watcher.changed() == [str(report)]
        (site / "site_src/new").mkdir()
        time.sleep(0.05)
        (site / "site_src/new/b.txt").write_text("x", encoding="utf-8")
        tmp = site / "config.yaml.tmp"
        tmp.write_text("site_name: y\n", encoding="utf-8")
        os.replace(tmp, site / "config.yaml")
        report.unlink()
        watcher.wait(1.0)
        time.sleep(0.05)
        assert watcher.changed() == sorted([str(site / "site_src/new/b.txt"), str(site / "config.yaml"), str(report)])
    finally:
        watcher.close()

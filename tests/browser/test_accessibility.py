"""axe-core (from npm, injected into the page): no serious or critical violations."""

from __future__ import annotations

import pytest
from browser_support import AXE, require  # type: ignore[import-not-found]

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["index.html", "reports/2020-suzhou-zfgzbg.html", "glossary/index.html",
                                  "indicators/index.html", "indicators/2020-suzhou-zfgzbg.html"])
def test_axe_no_serious_violations(open_page, server, name, color_scheme):
    require(AXE.is_file(), f"axe-core ({AXE.relative_to(AXE.parents[2])})")
    page = open_page(server + name, color_scheme=color_scheme).page
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})""")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}" for v in bad]
    assert not summary, "\n".join(summary)

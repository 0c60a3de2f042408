import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the indicator-extraction figures (set by tests/unit/test_indicators_quality.py)."""
    lines = getattr(config, "_indicator_quality", None)
    if lines:
        terminalreporter.write_sep("-", "indicator quality")
        for line in lines:
            terminalreporter.write_line(line)

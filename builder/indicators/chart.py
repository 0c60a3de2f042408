"""The growth chart of a report page: which reports have one, and its geometry.

Only a government work report states the year's growth rates as results and targets, so only
its page draws them (the bar geometry is ``extract.growth_chart``'s).
"""

from __future__ import annotations

from collections.abc import Sequence

from builder.core.model import GOVERNMENT_WORK_REPORT
from builder.indicators.extract import Indicator, growth_chart


def report_chart(kind: str, indicators: Sequence[Indicator]) -> dict[str, object] | None:
    """The growth chart of a report of ``kind`` with ``indicators``; None when it has none."""
    return growth_chart(indicators) if kind == GOVERNMENT_WORK_REPORT else None

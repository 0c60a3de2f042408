"""Print a command of the README's Quick start: `python3 scripts/quickstart.py build|test`.

CI runs the README's commands through this, so the README cannot drift from what CI checks.
"""

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def quickstart_commands(text: str) -> list[str]:
    match = re.search(r"^#+[^\n]*quick ?start[^\n]*\n(.*?)```sh\n(.*?)```", text, re.S | re.I | re.M)
    if not match:
        raise SystemExit("README.md: no Quick start section with an sh code block")
    return [line.strip() for line in match.group(2).splitlines() if line.strip() and not line.strip().startswith("#")]


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    commands = quickstart_commands(README.read_text(encoding="utf-8"))
    if len(commands) != 2:
        raise SystemExit(f"README.md: the Quick start must hold exactly two commands, found {len(commands)}")
    index = {"build": 0, "test": 1}.get(which)
    if index is None:
        raise SystemExit("usage: quickstart.py build|test")
    print(commands[index])


if __name__ == "__main__":
    main()

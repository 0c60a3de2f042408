"""Issue #14: a YAML mistake is reported on the line to fix, in front matter and in config.yaml
(PyYAML notices a key without ``:`` or an unclosed bracket one line later, or at the end)."""

from pathlib import Path

import pytest

from builder.core.config import parse_config
from builder.core.errors import BuilderError
from builder.sitesrc import parse_front_matter

CASES = [  # (YAML, the 1-based line of the mistake in it)
    ("title: a\nkind\nslug: x\n", 2),  # a key without its colon
    ("title: a\nkind: [a\nslug: y\n", 2),  # an unclosed bracket
    ("title: a\nkind: {a: 1\n\n", 2),  # ... at the end of the file
    ("title: [oops\n", 1),
    ("title: a\nkind: b: c\nslug: x\n", 2),
    ("title: a\n- x\nslug: y\n", 2),
    ("title: a\n\tkind: x\nslug: y\n", 2),
    ("title: 'a\nslug: y\nkind: x\n", 1),  # an unclosed quote
]


@pytest.mark.parametrize("text, line", CASES)
def test_front_matter_yaml_error_names_the_line_to_fix(text, line):
    with pytest.raises(BuilderError) as raised:
        parse_front_matter(f"---\n{text}---\n正文。\n", "r.md")
    assert raised.value.line == line + 1  # the front matter starts on the file's line 2
    assert str(raised.value).startswith(f"r.md:{line + 1}: front matter is not valid YAML: ")


@pytest.mark.parametrize("text, line", [*CASES, ("site_name: x\npaths: [\n", 2)])
def test_config_yaml_error_names_the_line_to_fix(text, line):
    with pytest.raises(BuilderError) as raised:
        parse_config(text, Path("config.yaml"))
    assert raised.value.line == line
    assert str(raised.value).startswith(f"config.yaml:{line}: invalid YAML: ")

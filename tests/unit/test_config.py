from pathlib import Path

import pytest

from builder.core.config import BUNDLED_TEMPLATES, load_config, parse_config
from builder.core.errors import ConfigError


def test_defaults_are_relative_to_the_config_file(tmp_path: Path):
    config = parse_config("site_name: 测试\n", tmp_path / "config.yaml")
    assert config.site_name == "测试"
    assert config.scraped_dir == tmp_path / "site_src/scraped"
    assert config.reports_dir == tmp_path / "site_src/reports"
    assert config.output_dir == tmp_path / "public"
    assert config.extra_patterns == ()


def test_templates_fall_back_to_the_bundled_ones_when_the_site_has_none(tmp_path: Path):
    config = parse_config("", tmp_path / "config.yaml")
    assert config.templates_dir == BUNDLED_TEMPLATES


def test_paths_and_patterns_are_read(tmp_path: Path):
    text = "paths:\n  output: out\n  templates: tpl\ncleaning:\n  extra_patterns: ['^广告', '关注我们']\n"
    config = parse_config(text, tmp_path / "config.yaml")
    assert config.output_dir == tmp_path / "out"
    assert config.templates_dir == tmp_path / "tpl"
    assert config.extra_patterns == ("^广告", "关注我们")


def test_invalid_yaml_names_file_and_line(tmp_path: Path):
    with pytest.raises(ConfigError) as error:
        parse_config("site_name: a\npaths:\n  output: [unclosed\n", tmp_path / "config.yaml")
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'config.yaml'}:")
    assert "invalid YAML" in message
    assert "\n" not in message


def test_wrong_type_names_key_and_line(tmp_path: Path):
    with pytest.raises(ConfigError) as error:
        parse_config("site_name: a\npaths:\n  output: [a, b]\n", tmp_path / "config.yaml")
    assert str(error.value) == f"{tmp_path / 'config.yaml'}:3: paths.output: expected a string, got a list"


def test_every_problem_is_reported_at_once(tmp_path: Path):
    text = "colour: red\npaths:\n  outptu: x\ncleaning:\n  extra_patterns: ['(']\n"
    with pytest.raises(ConfigError) as error:
        parse_config(text, tmp_path / "config.yaml")
    message = str(error.value)
    assert "3 problems" in message
    assert "line 1: colour: unknown setting" in message
    assert "line 3: paths.outptu: unknown setting" in message
    assert "line 5: cleaning.extra_patterns: invalid regular expression" in message


def test_site_url_must_be_http(tmp_path: Path):
    with pytest.raises(ConfigError, match="site_url: expected an http"):
        parse_config("site_url: ftp://x\n", tmp_path / "config.yaml")


def test_not_a_mapping(tmp_path: Path):
    with pytest.raises(ConfigError, match="expected a mapping"):
        parse_config("- a\n- b\n", tmp_path / "config.yaml")


def test_explicit_missing_config_is_an_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_implicit_missing_config_uses_defaults(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(None)
    assert config.root == tmp_path.resolve()


# --- glossary (issue 3)
def test_glossary_settings(tmp_path) -> None:
    from builder.core.config import parse_config
    from builder.core.errors import ConfigError

    config = parse_config("paths:\n  glossary: terms.yaml\nglossary:\n  link: every\n", tmp_path / "config.yaml")
    assert (config.glossary_path, config.glossary_link) == (tmp_path / "terms.yaml", "every")
    default = parse_config("", tmp_path / "config.yaml")
    assert default.glossary_path == tmp_path / "site_src" / "glossary.yaml"
    assert default.glossary_link == "first-per-section"
    try:
        parse_config("glossary:\n  link: sometimes\n", tmp_path / "config.yaml")
    except ConfigError as error:
        assert str(error) == (f"{tmp_path / 'config.yaml'}:2: glossary.link: expected one of first-per-section, "
                              "first-per-page, every, got 'sometimes'")
    else:
        raise AssertionError("no error")


def test_relative_names_paths_as_resolve_and_relative_to_would(tmp_path: Path):
    (tmp_path / "site_src" / "reports").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "site_src" / "link").symlink_to(tmp_path / "elsewhere")
    config = parse_config("", tmp_path / "config.yaml")

    def reference(path) -> str:
        try:
            return str(Path(path).resolve().relative_to(config.root))
        except ValueError:
            return str(Path(path))

    for path in [tmp_path / "site_src/reports/a.md", tmp_path, tmp_path / "site_src/../config.yaml",
                 str(tmp_path) + "//site_src/./reports/b.md", tmp_path / "site_src/link/c.md",
                 tmp_path.parent / "other/d.md", Path("/"), tmp_path / "site_src/reports/"]:
        assert config.relative(path) == reference(path), path


def test_strict_is_off_unless_set(tmp_path: Path):
    assert parse_config("", tmp_path / "config.yaml").strict is False
    assert parse_config("strict: true\n", tmp_path / "config.yaml").strict is True
    with pytest.raises(ConfigError) as error:
        parse_config("site_name: a\nstrict: 1\n", tmp_path / "config.yaml")
    assert str(error.value) == f"{tmp_path / 'config.yaml'}:2: strict: expected true or false, got a number"

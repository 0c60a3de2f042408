"""User errors and warnings: one line each, naming the file and line."""

from builder.core.errors import InputError, Problem, StrictError


def test_a_problem_reads_like_an_error():
    assert str(Problem("a.csv", "row 4: no text in column “content”", 39)) == \
        "a.csv:39: row 4: no text in column “content”"
    assert str(Problem("empty.txt", "empty page\n(nothing to ingest)")) == "empty.txt: empty page (nothing to ingest)"


def test_a_problem_keeps_the_errors_hint_and_round_trips_through_json():
    problem = Problem.of(InputError("no front matter", path="r.md", line=1, hint="Did you forget the `---` lines?"))
    assert problem == Problem("r.md", "no front matter (Did you forget the `---` lines?)", 1)
    assert Problem.from_json(problem.to_json()) == problem
    assert Problem.from_json(["r.md", "one", "two"]) is None and Problem.from_json({"path": "r.md"}) is None


def test_strict_error_prints_every_problem_then_what_was_left_untouched():
    error = StrictError([Problem("a.txt", "empty page"), Problem("b.csv", "row 1: no text", 2)], untouched="public/")
    assert error.lines() == ["error: a.txt: empty page", "error: b.csv:2: row 1: no text",
                             "error: --strict: 2 warnings turned into errors; nothing was written (public/ unchanged)"]


def test_an_error_prints_the_warnings_before_it():
    error = InputError("no reports to build", path="site_src/scraped")
    error.warnings = (Problem("site_src/scraped/a.txt", "empty page"),)
    assert error.lines() == ["warning: site_src/scraped/a.txt: empty page",
                             "error: site_src/scraped: no reports to build"]

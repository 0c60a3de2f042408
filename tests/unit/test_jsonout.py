"""builder.core.jsonout writes exactly what json.dumps writes (issue 5)."""

import json
import random

import pytest

from builder.core.jsonout import dumps

CASES = [
    [], {}, [[]], [{}], {"a": []}, "x", 1, 1.5, None, True, False, -0.0, 1e300, 10**30,
    {"b": 1, "a": [1, 2.25, "三\n\"", None, True], "c": {"z": {}, "y": [[], [{}]]}},
    [{"label": "地区生产总值", "value": "1.9万亿元", "value_normalized": 1.9e12, "change": 3.4,
      "year": 2020, "qualifier": None}],
    {"nan": float("nan")}, {"inf": [float("inf")]}, {1: "int key"}, ("tuple", 1),
    {"\u2028 \x00 \\ /": "\ud800"},
    # lists of flat dicts (indicators.json) take the C encoder: braces, commas and newlines in
    # strings, non-str keys, NaN, a nested value, a dict subclass, a str subclass
    [{"a": "},\n    {", "b": "x}", "c": "{\n", "d": 1.5, "e": None}, {"a": "", "b": True}],
    [{2: "int key", 1: 2}], [{"nan": float("nan"), "inf": float("-inf")}], [{"a": [1]}, {"b": 2}],
    [{"a": 1}, {}], [{"a": 1}, 2], [{"b": 2, "a": 1}, {"c": 3}],
]


@pytest.mark.parametrize("obj", CASES)
@pytest.mark.parametrize("sort_keys", [False, True])
@pytest.mark.parametrize("indent", [1, 2])
def test_same_text_as_json_dumps(obj, sort_keys, indent):
    assert dumps(obj, indent=indent, sort_keys=sort_keys) == json.dumps(
        obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys)


def test_random_nested_data():
    rng = random.Random(5)

    def value(depth):
        choice = rng.randrange(8 if depth < 4 else 5)
        if choice == 0:
            return rng.choice(["", "苏州", "a\"b", "tab\t", "é"])
        if choice == 1:
            return rng.randint(-10**6, 10**6)
        if choice == 2:
            return rng.uniform(-1e6, 1e6)
        if choice == 3:
            return rng.choice([None, True, False])
        if choice == 4:
            return rng.random()
        if choice in (5, 6):
            return {rng.choice("abcdefg") + str(i): value(depth + 1) for i in range(rng.randrange(4))}
        return [value(depth + 1) for _ in range(rng.randrange(4))]

    for _ in range(300):
        obj = value(0)
        for sort_keys in (False, True):
            assert dumps(obj, sort_keys=sort_keys) == json.dumps(obj, ensure_ascii=False, indent=2,
                                                                 sort_keys=sort_keys)


def test_random_lists_of_flat_dicts():
    rng = random.Random(9)
    scalars = ["", "苏州", "a\"b", "},\n  {", "\n", "\\", None, True, False, 0, -3, 10**20, 2.5, -0.0, 1e-7]
    for _ in range(300):
        rows = [{rng.choice("abcdef"): rng.choice(scalars) for _ in range(rng.randrange(1, 6))}
                for _ in range(rng.randrange(1, 5))]
        for indent in (1, 2, 4):
            for sort_keys in (False, True):
                assert dumps(rows, indent=indent, sort_keys=sort_keys) == json.dumps(
                    rows, ensure_ascii=False, indent=indent, sort_keys=sort_keys)

"""libyaml's parser (the fast path of load_yaml) gives the same values and the same marks as the
pure-Python one, on every YAML file the project ships; bad input is still reported in one set of words."""
from pathlib import Path

import pytest
import yaml

from layout import yamlsrc

from .conftest import ROOT

FILES = sorted(p for p in (ROOT / "content").rglob("*.yaml")) + [ROOT / "fonts" / "fonts.yaml"]


def _with_marks(x):
    if isinstance(x, dict):
        return {k: (_with_marks(v), (x.value_where[k].line, x.value_where[k].col),
                    (x.key_where[k].line, x.key_where[k].col)) for k, v in x.items()}
    if isinstance(x, list):
        return [_with_marks(v) for v in x] + [(w.line, w.col) for w in x.item_where]
    return x


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_libyaml_and_pure_python_agree(path):
    assert hasattr(yaml, "CSafeLoader"), "PyYAML without libyaml: the fast path is off"
    text = path.read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=yamlsrc._loader_for(Path(path), yaml.CSafeLoader))  # noqa: S506
    slow = yaml.load(text, Loader=yamlsrc._loader_for(Path(path)))                     # noqa: S506
    assert _with_marks(fast) == _with_marks(slow)


def test_bad_input_reported_by_the_pure_parser_words():
    with pytest.raises(yamlsrc.SourceError) as err:
        yamlsrc.load_yaml("a: 1\n\tb: 2\n", "x.yaml")
    assert str(err.value).startswith("x.yaml:2:1: YAML syntax:") and "tabs" in str(err.value)

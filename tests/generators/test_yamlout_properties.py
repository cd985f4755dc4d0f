"""Properties of the printer that hold for any object: what it writes reads back as the same
object (PyYAML, a YAML 1.1 reader like go-yaml v2), and printing is deterministic."""
from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kcore.cli.kubectl.printers.yamlout import to_json, to_yaml

# Printable text plus line breaks and tabs. PyYAML and go-yaml disagree on a few plain words
# (`=` is PyYAML's value tag, `<<` its merge key, base-60 and exotic timestamps), left out here.
text = st.text(alphabet=st.characters(min_codepoint=9, max_codepoint=0x24F,
                                      blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"),
               max_size=40).filter(lambda s: s not in ("=", "<<") and (":" not in s or not s[:1].isdigit()))
scalars = st.one_of(text, st.integers(-10**12, 10**12), st.booleans(), st.none())
objects = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(text, children, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(text, objects, max_size=5))
def test_yaml_reads_back_as_the_same_object(obj):
    assert yaml.safe_load(to_yaml(obj)) == (obj or {})


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(text, objects, max_size=5))
def test_json_reads_back_as_the_same_object(obj):
    assert json.loads(to_json(obj)) == obj

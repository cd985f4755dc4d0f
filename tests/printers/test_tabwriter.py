"""Go's text/tabwriter semantics that every aligned output relies on."""
import pytest
from hypothesis import given, strategies as st

from kcore.cli.kubectl.printers.tabwriter import align


@pytest.mark.parametrize("text, minwidth, padding, expected", [
    pytest.param("a\tbb\tc\nccc\td\te\n", 0, 2, "a    bb  c\nccc  d   e\n", id="columns take the widest cell plus padding"),
    pytest.param("a\tb\n", 6, 3, "a     b\n", id="kubectl get pads short columns to the minimum width"),
    pytest.param("x\tlast cell is never padded\nyy\tz\n", 0, 1, "x  last cell is never padded\nyy z\n",
                 id="text after the last tab is not a column"),
    pytest.param("Name:\tweb\nIPs:\n  IP:\t10.0.0.1\nNamespace:\tdefault\n", 0, 2,
                 "Name:  web\nIPs:\n  IP:       10.0.0.1\nNamespace:  default\n",
                 id="a line without tabs ends the block above it and starts a new one"),
    pytest.param("Labels:\ta=b\n\tc=d\n", 0, 2, "Labels:  a=b\n         c=d\n",
                 id="an empty first cell continues the block"),
    pytest.param("a\tb\t\nccc\t\n", 0, 1, "a   b \nccc \n", id="a trailing tab pads an empty last column"),
    pytest.param("", 0, 2, "", id="nothing in, nothing out"),
])
def test_align(text, minwidth, padding, expected):
    assert align(text, minwidth, padding) == expected


@given(st.lists(st.lists(st.text(alphabet="abc xyz", max_size=6), min_size=2, max_size=2), min_size=1, max_size=6))
def test_rows_of_equal_shape_line_up(rows):
    text = "".join("\t".join(r) + "\n" for r in rows)
    out = align(text, 0, 2).splitlines()
    width = max(len(r[0]) for r in rows) + 2
    assert all(line[width:] == r[1] and line[:width].rstrip(" ") == r[0].rstrip(" ") or line[:width].startswith(r[0])
               for line, r in zip(out, rows))

"""Go's text/tabwriter, the elastic-tabstop algorithm behind every aligned kubectl output.

Text is a sequence of lines; each tab *terminates* a cell, so the text after a line's last tab
is not part of any column and is never padded. A column block is a run of consecutive lines
that all have a terminated cell in that column; the block's width is its widest cell plus the
padding (at least `minwidth`). Blocks nest to the right, which is why `describe` aligns
`Name:` and `Node-Selectors:` differently: a line without tabs ends every block above it.

kubectl get uses minwidth 6, padding 3; describe uses minwidth 0, padding 2."""
from __future__ import annotations

__all__ = ["align", "GET_MINWIDTH", "GET_PADDING", "DESCRIBE_PADDING"]

GET_MINWIDTH = 6
GET_PADDING = 3
DESCRIBE_PADDING = 2


def align(text: str, minwidth: int = 0, padding: int = 1) -> str:
    """Align tab-terminated cells the way tabwriter.Writer does (pad char ' ', no flags)."""
    trailing_newline = text.endswith("\n")
    raw = text[:-1] if trailing_newline else text
    lines = [line.split("\t") for line in raw.split("\n")]
    out: list[str] = []
    _format(lines, 0, len(lines), [], minwidth, padding, out)
    result = "\n".join(out)
    return result + "\n" if trailing_newline else result


def _format(lines, line0, line1, widths, minwidth, padding, out):
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write(lines, line0, this, widths, out)
        line0 = this
        width = minwidth
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, len(lines[this][column]) + padding)
            this += 1
        _format(lines, line0, this, widths + [width], minwidth, padding, out)
        line0 = this
    _write(lines, line0, line1, widths, out)


def _write(lines, line0, line1, widths, out):
    for cells in lines[line0:line1]:
        parts = []
        for j, cell in enumerate(cells):
            if j < len(widths):
                parts.append(cell + " " * (widths[j] - len(cell)))
            else:
                parts.append(cell)
        out.append("".join(parts))

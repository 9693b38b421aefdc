"""Tables laid out as text (a PDF's table read line by line): a caption's unit legend and the rows
under it.

A report's table gives its units once, in the caption or a note ("（新建工会单位：家；新发展会员单位：
人；驿站为截至年底建成数，单位：个）", "单位：万元"), and its rows as a name and label–number cells
separated by wide spaces ("西工区  新建工会 86  新发展会员 4200  驿站 28"). A row's numbers have no
unit of their own: the legend gives it, the label says what is counted, the row's name where.
Without a legend a row's bare numbers stay unknown quantities (no facts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.seeds import units

# "(…单位：家；…)" or a line "单位：万元", across line breaks
LEGEND_RE = re.compile(
    r"[（(]([^（()）]{0,300}?单位\s*[:：][^（()）]{0,300}?)[)）]|^\s*单位\s*[:：]\s*(\S{1,4})\s*$", re.M
)
LEGEND_PART_RE = re.compile(r"[；;]")
LEGEND_UNIT_RE = re.compile(r"单位\s*[:：]\s*([^\s，,；;。)）]{1,4})")
# where a column's name ends inside a legend part: "驿站为截至年底建成数" → 驿站
LABEL_END_RE = re.compile(r"单位|为|是|的|[，,:：\s]")
CELL_SEP = r"(?:\s{2,}|\t)"
ROW_RE = re.compile(r"^\s*(?P<head>[^\d\s]{1,16})(?P<cells>(?:" + CELL_SEP + r"[^\d\s]{1,12}\s*\d+(?:\.\d+)?)+)\s*$")
CELL_RE = re.compile(CELL_SEP + r"(?P<label>[^\d\s]{1,12})\s*(?P<number>\d+(?:\.\d+)?)")
ALL_COLUMNS = ""  # the legend key of a unit that holds for every column ("单位：万元")
SCALES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}  # 单位：万元, 万人


@dataclass(frozen=True)
class Column:
    unit: str
    scale: float  # 万元 → 元 × 10000
    as_of: bool = False


@dataclass(frozen=True)
class Cell:
    label: str  # the column's name: what is counted
    unit: str
    value: float
    start: int  # of the number, in the row's text
    end: int
    as_of: bool = False  # the legend says the column stands at a date (驿站为截至年底建成数): a level


def legends(text: str) -> list[tuple[int, dict[str, Column]]]:
    """The unit legends of a text, each with its offset: column name → its Column (ALL_COLUMNS for
    one unit of the whole table).

    >>> [(at, {name: (c.unit, c.scale, c.as_of) for name, c in legend.items()})
    ...  for at, legend in legends("表1\\n（新建工会单位：家；驿站为截至年底建成数，单位：个；资金单位：万元）")]
    [(3, {'新建工会': ('家', 1.0, False), '驿站': ('个', 1.0, True), '资金': ('元', 10000.0, False)})]
    """
    out = []
    for m in LEGEND_RE.finditer(text):
        legend: dict[str, Column] = {}
        if m.group(2):
            unit = _unit(m.group(2))
            if unit:
                legend[ALL_COLUMNS] = Column(*unit)
        else:
            for part in LEGEND_PART_RE.split(m.group(1).replace("\n", "")):
                unit_m = LEGEND_UNIT_RE.search(part)
                unit = _unit(unit_m.group(1)) if unit_m else None
                if unit:
                    label = LABEL_END_RE.split(part.strip(), 1)[0]
                    legend[label if len(label) >= 2 else ALL_COLUMNS] = Column(*unit, as_of="截至" in part)
        if legend:
            out.append((m.start(), legend))
    return out


def _unit(written: str) -> tuple[str, float] | None:
    """The canonical unit and the scale of a legend's unit (名 → 人; 万元 → 元 × 10000)."""
    scale = SCALES.get(written[0], 1.0) if len(written) > 1 else 1.0
    surface = written[1:] if scale != 1.0 else written
    known = units().get(surface)
    return (known.unit, scale) if known and known.is_fact_unit else None


def row_cells(line: str, legend: dict[str, Column]) -> tuple[str, list[Cell]] | None:
    """A table row's name and its cells whose column the legend knows; None when the line is no row.

    >>> row_cells("西工区  新建工会 86  驿站 28", {"新建工会": Column("家", 1.0), "驿站": Column("个", 1.0, True)})
    ('西工区', [Cell(label='新建工会', unit='家', value=86.0, start=10, end=12, as_of=False), Cell(label='驿站', unit='个', value=28.0, start=17, end=19, as_of=True)])
    """
    if not legend or "  " not in line and "\t" not in line:
        return None
    m = ROW_RE.match(line)
    if not m:
        return None
    cells = []
    for cell in CELL_RE.finditer(line, m.start("cells")):
        label = cell.group("label")
        column = legend.get(label) or _by_prefix(legend, label) or legend.get(ALL_COLUMNS)
        if column:
            value = round(float(cell.group("number")) * column.scale, 6)
            cells.append(Cell(label, column.unit, value, cell.start("number"), cell.end("number"), column.as_of))
    return (m.group("head"), cells) if cells else None


def _by_prefix(legend: dict[str, Column], label: str) -> Column | None:
    """A legend that names a column shorter or longer than its header (驿站 / 驿站数)."""
    for name, column in legend.items():
        if name and (label.startswith(name) or name.startswith(label)):
            return column
    return None

"""`unionfacts correct`: find the fact an analyst means, and turn what they ask into ledger rows
(tasks/corrections/ledger.py). The warehouse is only read; the rows take effect at the next publish,
where the corrected facts pass the same gate as extracted ones (an impossible value is quarantined
there with the check's name, not refused here).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tasks.corrections import ledger
from tasks.extract.numerals import parse_numeral

QUERIES = Path(__file__).resolve().parents[2] / "warehouse" / "queries"
# the options of `unionfacts correct` and the fields they change
OPTION_FIELDS = {
    "value": "value",
    "value_high": "value_high",
    "unit": "unit",
    "qualifier": "qualifier",
    "measure": "measure",
    "status": "status",
    "subject": "subject",
    "region": "region_code",
    "period": "period_id",
    "indicator": "indicator_code",
}


class CorrectionError(ValueError):
    """What the analyst asked cannot be recorded (no such fact, an ambiguous key, no change …)."""


@dataclass(frozen=True)
class Change:
    field: str
    old_value: str
    new_value: str


def number(text: str, option: str) -> str:
    """A number as the ledger stores it: '110000000' for '1.1亿', '12.5' for '12.5'."""
    try:
        value = float(text)
    except ValueError:
        value = parse_numeral(text.strip())
    if value is None:
        raise CorrectionError(f"--{option.replace('_', '-')} {text!r} is no number")
    return f"{value:.12g}"


def changes(fact: dict, requested: dict[str, str | None], regions: dict[str, str]) -> list[Change]:
    """The ledger changes for a found fact (`fact`: its current fields by ledger name) from the
    options given (None: not given); a region may be named (青岛市) or coded (370200)."""
    out = []
    for option, field in OPTION_FIELDS.items():
        wanted = requested.get(option)
        if wanted is None:
            continue
        if field in ledger.NUMBER_FIELDS and wanted != "":
            wanted = number(wanted, option)
        if field == "region_code" and wanted:
            wanted = region_code(wanted, regions)
        old = fact.get(field)
        old_text = "" if old is None else (f"{old:.12g}" if isinstance(old, float) else str(old))
        if old_text != wanted:
            out.append(Change(field, old_text, wanted))
    return out


def region_code(text: str, regions: dict[str, str]) -> str:
    """A region's code from its code or a name of dim_region (name, short name, display name)."""
    if text.isdigit():
        return text  # an unknown code is the gate's to reject (region_code_known)
    if text in regions:
        return regions[text]
    raise CorrectionError(f"no region named {text!r} in dim_region (give its name or its 6-digit code)")


def rows(key: str, field_changes: list[Change], reason: str, by: str, at: str) -> list[dict]:
    return [
        dict(fact_key=key, field=c.field, old_value=c.old_value, new_value=c.new_value, reason=reason, by=by, at=at)
        for c in field_changes
    ]


def split_id(fact_id: str) -> tuple[str, str] | None:
    """A short fact key '52836323:154-158' → ('52836323', '154-158'); None when it is none."""
    m = ledger.SHORT_KEY_RE.fullmatch(fact_id.strip())
    return (m.group(1), f"{m.group(2)}-{m.group(3)}") if m else None

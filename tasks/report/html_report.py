"""`unionfacts report`: a self-contained static HTML report of the published warehouse.

Totals, charts of the main indicators by region and by period, the conflicts between reports, the
quality of each report, and every figure drawn traced to its report and sentence (with the
traditional original where the report was traditional). One file, styles inline, charts as SVG, no
script and no external reference: it opens offline and can be mailed. Everything from reports is
escaped. Data comes from warehouse/queries/report_*.sql over the curated views, read-only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from string import Template

import pandas as pd

from tasks.publish import warehouse
from tasks.report.charts import Mark, bar_chart, line_chart, short_number

TEMPLATE = Path(__file__).resolve().parent / "templates" / "report.html"
MEASURE_NAMES = {"level": "，存量", "total": "，期内", "average": "，平均", "share": "，占比", "change": "，变化"}
MAIN_INDICATORS = 8  # charted indicator/unit pairs, those stated for the most regions first
BAR_REGIONS = 20  # regions per chart of latest figures, the largest first
LINE_SERIES = 6  # regions per chart over periods, those with the most periods first
QUALIFIER_MARKS = {"approx": "约", "more_than": "超", "at_least": "≥", "less_than": "不到"}


def report_dir(warehouse_path: str | Path) -> Path:
    """Where a run writes the report: beside the warehouse."""
    return Path(warehouse_path).resolve().parent / "report"


@dataclass(frozen=True)
class ReportData:
    totals: dict
    series: pd.DataFrame  # v_indicator_region_period
    conflicts: pd.DataFrame  # statements behind the conflicts shown
    documents: pd.DataFrame  # v_document_quality
    warehouse: str


def load(warehouse_path: str | Path) -> ReportData:
    """The report's data, read from the published warehouse (read-only)."""
    frames = warehouse.read_frames(
        warehouse_path,
        ["report_totals", "report_series", "report_conflicts", "report_documents"],
        {"report_series": {"charted": MAIN_INDICATORS}},  # only the charted groups' rows leave DuckDB
    )
    totals = frames["report_totals"]
    return ReportData(
        totals=totals.iloc[0].to_dict() if len(totals) else {},
        series=frames["report_series"],
        conflicts=frames["report_conflicts"],
        documents=frames["report_documents"],
        warehouse=str(Path(warehouse_path).resolve()),
    )


def write_report(warehouse_path: str | Path, out_dir: str | Path | None = None, now: datetime | None = None) -> Path:
    """Write <out_dir>/index.html (default: report/ beside the warehouse); return its path."""
    if not Path(warehouse_path).exists():
        raise FileNotFoundError(f"no warehouse at {warehouse_path}: run `unionfacts run` first")
    out = Path(out_dir) if out_dir else report_dir(warehouse_path)
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    partial = page.with_name(page.name + ".tmp")
    partial.write_text(render(load(warehouse_path), now or datetime.now()), encoding="utf-8")
    partial.replace(page)  # readers never see half a page
    return page


def render(data: ReportData, now: datetime) -> str:
    sections = [indicator_html(code, unit, frame) for code, unit, frame in main_indicators(data.series)]
    shown = pd.concat([drawn for _, drawn in sections]) if sections else data.series.iloc[:0]
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        generated=escape(now.strftime("%Y-%m-%d %H:%M")),
        warehouse=escape(data.warehouse),
        totals=totals_html(data.totals),
        indicators="".join(html for html, _ in sections)
        or '<p class="empty">No classified facts with a region and a period yet.</p>',
        conflicts=conflicts_html(data.conflicts),
        documents=documents_html(data.documents, int(data.totals.get("reports") or 0)),
        sources=sources_html(shown),
    )


def main_indicators(series: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """The indicator/unit/measure groups to chart (like with like: a per-head amount and a city's
    total never share a chart): stated for the most regions, then by the most statements."""
    if series.empty:
        return []
    keys = ["indicator", "unit", "measure"]
    ranked = (
        series.groupby(keys, dropna=False)
        .agg(regions=("region_code", "nunique"), rows=("observation_id", "size"))
        .reset_index()
        .sort_values(["regions", "rows", *keys], ascending=[False, False, True, True, True])
    )
    return [
        (
            r.indicator,
            r.unit,
            series[
                (series["indicator"] == r.indicator) & (series["unit"] == r.unit) & (series["measure"] == r.measure)
            ],
        )
        for r in ranked.head(MAIN_INDICATORS).itertuples(index=False)
    ]


def indicator_html(code: str, unit: str, frame: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    """An indicator's section (latest figure per region; by period where regions state several), and
    the rows its charts draw."""
    name = frame["indicator_name"].iloc[0] or code
    measure = frame["measure"].iloc[0]
    title = f"{name}（{unit}{MEASURE_NAMES.get(measure, '')}）"
    group, frame = frame, one_kind_of_period(frame)
    # a region's latest stated period; a rate (每年, 每月) only when the region states nothing else
    latest = (
        frame.assign(_point=frame["period_granularity"] != "rate")
        .sort_values(["_point", "period_end", "period"], na_position="first")
        .groupby("region_code", sort=False)
        .tail(1)
        .sort_values(["value", "region"], ascending=[False, True])
    )
    more = len(latest) - BAR_REGIONS
    latest = latest.head(BAR_REGIONS)
    bars = bar_chart(
        [_mark(r, r.region, note=r.period) for r in latest.itertuples(index=False)],
        f"{title}: latest figure per region",
    )
    drawn = [latest]
    dated = frame.dropna(subset=["period_end"])
    over_time = ""
    periods_per_region = dated.groupby("region")["period"].nunique()
    several = periods_per_region[periods_per_region > 1]
    regions = list(several.sort_values(ascending=False, kind="stable").index[:LINE_SERIES])
    if regions:
        points = dated[dated["region"].isin(regions)]
        periods = list(dict.fromkeys(points.sort_values(["period_end", "period"])["period"]))
        over_time = "<h4>By period</h4>" + line_chart(
            [_mark(r, r.period, series=r.region) for r in points.itertuples(index=False)],
            periods,
            f"{title}: by period",
        )
        drawn.append(points)
    note = f'<p class="muted">and {more} more regions</p>' if more > 0 else ""
    if len(frame) < len(group):
        kind = PERIOD_KIND_NAMES.get(frame["period_granularity"].iloc[0], frame["period_granularity"].iloc[0])
        note += (
            f'<p class="muted">drawn: figures for {escape(str(kind))}; {len(group) - len(frame)} for other kinds of'
            " period (a year's total and a five-year total are not compared) are in the warehouse</p>"
        )
    html = (
        f'<section class="indicator" id="ind-{escape(slug(code + "-" + unit + "-" + str(measure)))}"><h3>{escape(title)} '
        f"<small>{escape(code)} · {group['region_code'].nunique()} regions · {len(group)} figures</small></h3>"
        f"<h4>Latest figure per region</h4>{bars}{note}{over_time}</section>"
    )
    return html, pd.concat(drawn)


PERIOD_KIND_NAMES = {
    "year": "a year",
    "years": "several years",
    "half_year": "half a year",
    "quarter": "a quarter",
    "month": "a month",
    "months": "months of a year",
    "since": "the years since a date",
    "as_of": "a date",
    "rate": "a time unit (每年, 每月)",
}


def one_kind_of_period(frame: pd.DataFrame) -> pd.DataFrame:
    """The figures a chart compares: like with like. A total, an average, a change or a share over a
    year is not set beside one over half a year or over the five years since a date: the kind of
    period most figures have (a year first on ties). A level stands at a date whatever the period
    says, so levels are all kept."""
    if frame.empty or frame["measure"].iloc[0] == "level" or "period_granularity" not in frame:
        return frame
    kinds = frame["period_granularity"].fillna("").value_counts()
    top = kinds[kinds == kinds.max()].index
    kind = "year" if "year" in top else sorted(top)[0]
    return frame[frame["period_granularity"].fillna("") == kind]


def _mark(row, label: str, note: str = "", series: str = "") -> Mark:
    return Mark(
        label,
        float(row.value),
        format_value(row.value, row.unit, row.qualifier, row.value_high),
        "#" + anchor(row.observation_id),
        note=note,
        series=series,
    )


def totals_html(totals: dict) -> str:
    items = [
        ("reports", "reports"),
        ("facts_published", "facts published"),
        ("facts_quarantined", "quarantined"),
        ("facts_with_warning", "with warnings"),
        ("facts_unclassified", "unclassified"),
        ("regions", "regions"),
        ("indicators", "indicators"),
        ("conflicts", "conflicts"),
        ("runs", "runs"),
    ]
    cells = "".join(
        f'<div class="total"><b>{_count(totals.get(key))}</b><span>{label}</span></div>' for key, label in items
    )
    last = totals.get("last_run_at")
    when = f'<p class="muted">Last run finished {escape(str(last)[:19])}.</p>' if _present(last) else ""
    return f'<div class="totals">{cells}</div>{when}'


def conflicts_html(conflicts: pd.DataFrame) -> str:
    if conflicts.empty:
        return '<p class="empty">No two reports give different values for the same indicator, region and period.</p>'
    blocks = []
    keys = ["indicator", "region", "period", "unit"]
    for n, ((indicator, region, period, unit), group) in enumerate(conflicts.groupby(keys, sort=False, dropna=False)):
        name = group["indicator_name"].iloc[0] or indicator
        rows = "".join(
            f'<tr><td class="num">{escape(format_value(r.value, r.unit))}</td><td class="num">{int(r.reports)}</td>'
            f"<td>{escape(r.file_name)}</td>"
            f"<td>{sentence_html(r.sentence, r.text)}{original_html(r.source_sentence, r.document_script)}</td></tr>"
            for r in group.itertuples(index=False)
        )
        hidden = int(group["distinct_values"].iloc[0]) - len(group)
        if hidden > 0:
            rows += f'<tr><td colspan="4" class="muted">and {hidden} more values</td></tr>'
        blocks.append(
            f'<details class="conflict"{" open" if n < 3 else ""}><summary><b>{escape(name)}</b> · '
            f"{escape(region)} · {escape(period)} · {escape(unit)}: "
            f"{int(group['distinct_values'].iloc[0])} values from {int(group['documents'].iloc[0])} "
            f"reports</summary><table><thead><tr><th>value</th><th>reports</th><th>first report</th>"
            f"<th>its sentence</th></tr></thead><tbody>{rows}</tbody></table></details>"
        )
    return "".join(blocks)


def documents_html(documents: pd.DataFrame, total: int) -> str:
    if documents.empty:
        return '<p class="empty">No reports published yet.</p>'
    note = (
        (
            f'<p class="muted">The {len(documents)} of {total:,} reports needing the most attention: rejected, '
            "then with warnings, then the smallest share of their numbers published (all of them: "
            "<code>SELECT * FROM v_document_quality</code>).</p>"
        )
        if total > len(documents)
        else ""
    )
    rows = "".join(
        f'<tr class="{escape(str(r.quality or ""))}"><td>{escape(r.file_name)}</td><td>{escape(_text(r.title))}</td>'
        f'<td>{escape(_text(r.script))}</td><td class="num">{_count(r.numbers_seen)}</td>'
        f'<td class="num">{_count(r.facts_published)}</td><td class="num">{_count(r.facts_quarantined)}</td>'
        f'<td class="num">{_count(r.facts_unclassified)}</td><td>{escape(_text(r.quality))}'
        f"{' · ' + escape(r.quality_checks) if _present(r.quality_checks) else ''}</td></tr>"
        for r in documents.itertuples(index=False)
    )
    return (
        note + "<table><thead><tr><th>report</th><th>title</th><th>script</th><th>numbers seen</th>"
        "<th>published</th><th>quarantined</th><th>unclassified</th><th>quality</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def sources_html(shown: pd.DataFrame) -> str:
    if shown.empty:
        return '<p class="empty">No figures charted.</p>'
    shown = shown.drop_duplicates("observation_id").sort_values(["indicator", "unit", "region", "period"])
    rows = "".join(
        f'<tr id="{anchor(r.observation_id)}"><td>{escape(r.indicator_name or r.indicator)}</td>'
        f"<td>{escape(r.region)}</td><td>{escape(r.period)}</td>"
        f'<td class="num">{escape(format_value(r.value, r.unit, r.qualifier, r.value_high))}</td>'
        f"<td>{escape(r.file_name)}{_reports_note(r.reports)}</td>"
        f"<td>{sentence_html(r.sentence, r.text)}{original_html(r.source_sentence, r.document_script)}"
        f"{corrected_html(r)}</td><td>{key_html(getattr(r, 'fact_key', None))}</td></tr>"
        for r in shown.itertuples(index=False)
    )
    return (
        '<p class="muted">To correct a figure: <code>unionfacts correct KEY --value … --reason "…"</code> '
        "with the key of its row (corrections.csv beside the warehouse keeps it; the next run applies it).</p>"
        '<table class="sources"><thead><tr><th>indicator</th><th>region</th><th>period</th><th>value</th>'
        f"<th>report</th><th>sentence</th><th>key</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def key_html(fact_key) -> str:
    """A fact's short key, as `unionfacts correct` takes it: the report's sha256 prefix and the span."""
    if not _present(fact_key):
        return ""
    digest, _, span = str(fact_key).partition(":")
    return f'<code class="key" title="{escape(str(fact_key))}">{escape(digest[:12])}:{escape(span)}</code>'


def corrected_html(r) -> str:
    """The mark of a corrected figure: why and by whom."""
    flag = getattr(r, "is_corrected", None)
    if not _present(flag) or not bool(flag):
        return ""
    by = f" ({escape(str(r.corrected_by))})" if _present(getattr(r, "corrected_by", None)) else ""
    reason = escape(str(r.correction_reason)) if _present(getattr(r, "correction_reason", None)) else ""
    return f'<div class="corrected">corrected{by}: {reason}</div>'


def sentence_html(sentence: str, number: str) -> str:
    """The sentence, escaped, with the number it states marked."""
    sentence = _text(sentence).strip()
    at = sentence.find(number) if number else -1
    if at < 0:
        return escape(sentence)
    return escape(sentence[:at]) + f"<mark>{escape(number)}</mark>" + escape(sentence[at + len(number) :])


def original_html(source_sentence, script) -> str:
    """The sentence as the report wrote it, when that differs from the simplified one shown."""
    if script != "traditional" or not _present(source_sentence):
        return ""
    return f'<div class="original" lang="zh-Hant">原文：{escape(source_sentence.strip())}</div>'


def format_value(value, unit: str, qualifier: str | None = None, value_high=None) -> str:
    """A figure as a reader writes it: 1.1亿元, 1289家, 12.5万人, 96.5%, 约3000人, 200–500元.

    >>> format_value(110000000, "元"), format_value(1289, "家"), format_value(125000, "人", "more_than")
    ('1.1亿元', '1289家', '超12.5万人')
    >>> format_value(96.5, "%"), format_value(200, "元", "approx", 500)
    ('96.5%', '约200–500元')
    """
    if not _present(value):
        return ""
    shown = _number(float(value), unit)
    if _present(value_high):
        shown += "–" + _number(float(value_high), unit)
    return QUALIFIER_MARKS.get(qualifier or "", "") + shown + (unit or "")


def _number(value: float, unit: str) -> str:
    return f"{value:.6g}" if unit in ("%", "个百分点") else short_number(value)


def anchor(observation_id: str) -> str:
    return "f-" + slug(observation_id)


def slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "-", str(text))


def _reports_note(reports) -> str:
    n = int(reports) if _present(reports) else 1
    return f' <span class="muted">(latest of {n} reports)</span>' if n > 1 else ""


def _count(value) -> str:
    return f"{int(value):,}" if _present(value) else "0"


def _text(value) -> str:
    return "" if not _present(value) else str(value)


def _present(value) -> bool:
    """False for None, NaN, NaT and pandas' NA."""
    try:
        return not pd.isna(value)
    except (TypeError, ValueError):  # a list-like has no single truth value
        return True

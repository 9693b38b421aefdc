"""What the checks read besides a fact's own columns: the reference sets a suite names ($units,
$regions …), the columns derived from the staged rows (value magnitudes, text measures, conflicting
values, periods' bounds), and the frames handed to Great Expectations."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from tasks.audit.suites import CONFLICT_KEY, Suite, read_columns
from tasks.seeds import indicators, regions, unit_dimensions, units
from tasks.warehouse_rows import period_rows

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

UNDECODABLE = "[\ufffd\ue000-\uf8ff]"  # replacement and private-use characters: what a wrong decoding leaves


def reference_values(observations: pd.DataFrame | None = None) -> dict[str, list]:
    """What `$name` in a suite stands for: sets read from seeds/ and the run.

    The large sets (3,400 region codes, indicator:dimension pairs) are cut to the members the run's
    facts use: the verdicts are the same, and Great Expectations copies every value set many times.
    """
    fact_dimensions = sorted({u.dimension for u in units().values() if u.is_fact_unit})
    pairs = {f"{i.code}:{d}" for i in indicators() for d in i.dimensions}
    pairs |= {f"unclassified:{d}" for d in fact_dimensions}
    codes = set(regions())
    if observations is not None:  # it holds the columns the checks read
        codes &= set(observations["region_code"].dropna().unique()) if "region_code" in observations else set()
        pairs &= set(observations["indicator_dimension"].unique())
    return {
        "fact_units": sorted({u.unit for u in units().values() if u.is_fact_unit}),
        "region_codes": sorted(codes),
        "indicator_codes": sorted({i.code for i in indicators()} | {"unclassified"}),
        "indicator_dimensions": sorted(pairs),
    }


def comparable(facts: pd.DataFrame) -> pd.Series:
    """Facts that can be compared with other reports': classified, with a region and a stated period
    (the rule of the warehouse's v_comparable_fact, for a run's staged facts)."""
    return (facts["indicator_code"] != "unclassified") & (facts["period_id"] != "") & facts["region_code"].notna()


def conflicting_values(facts: pd.DataFrame, documents: pd.DataFrame, published: pd.DataFrame | None) -> pd.Series:
    """For each staged fact, how many different values other current reports give for its indicator,
    region, period and unit (published reports of other files, and the run's other documents).

    Linear in the number of facts: per key, the distinct values (D), and for each file the values
    only it states (E); a fact's conflicts are D − 1 − (E − [its own value is only its file's]).
    """
    out = pd.Series(0, index=facts.index, dtype="int64")
    eligible = facts[comparable(facts)]
    if eligible.empty:
        return out
    file_of = dict(zip(documents["document_id"], documents["file_name"])) if len(documents) else {}
    staged = eligible.assign(file_name=eligible["document_id"].map(file_of)).dropna(subset=["file_name"])
    pool = [staged[[*CONFLICT_KEY, "value", "file_name"]]]
    if published is not None and len(published):
        pool.append(
            published.loc[~published["file_name"].isin(set(file_of.values())), [*CONFLICT_KEY, "value", "file_name"]]
        )
    pool = pd.concat(pool, ignore_index=True).drop_duplicates()
    values = (
        pool.groupby([*CONFLICT_KEY, "value"], dropna=False)["file_name"]
        .agg(file_count="nunique", only_file="first")
        .reset_index()
    )
    values["only_file"] = values["only_file"].where(values["file_count"] == 1)
    distinct = values.groupby(CONFLICT_KEY, dropna=False).size().rename("distinct_values").reset_index()
    exclusive = (
        values.dropna(subset=["only_file"])
        .groupby([*CONFLICT_KEY, "only_file"], dropna=False)
        .size()
        .rename("exclusive_values")
        .reset_index()
        .rename(columns={"only_file": "file_name"})
    )
    rows = (
        staged.reset_index()[["index", *CONFLICT_KEY, "value", "file_name"]]
        .merge(distinct, on=CONFLICT_KEY, how="left")
        .merge(exclusive, on=[*CONFLICT_KEY, "file_name"], how="left")
        .merge(values[[*CONFLICT_KEY, "value", "only_file"]], on=[*CONFLICT_KEY, "value"], how="left")
    )
    own_exclusive = (rows["only_file"] == rows["file_name"]).astype("int64")
    conflicts = rows["distinct_values"] - 1 - (rows["exclusive_values"].fillna(0).astype("int64") - own_exclusive)
    out.loc[rows["index"].to_numpy()] = conflicts.to_numpy()
    return out


def observation_frame(
    facts: pd.DataFrame, documents: pd.DataFrame, published: pd.DataFrame | None, columns: set[str]
) -> pd.DataFrame:
    """The staged facts' `columns` (those the checks read), with the derived ones; row labels kept.
    (No copy of the facts' columns: pandas copies on write, and they are only read.)"""
    frame = facts[[c for c in facts.columns if c in columns]]
    frame["unit_dimension"] = facts["unit"].map(unit_dimensions())
    frame["indicator_dimension"] = facts["indicator_code"] + ":" + frame["unit_dimension"].fillna("unknown")
    frame["value_fraction"] = (facts["value"] - facts["value"].round()).abs()
    frame["value_magnitude"] = value_magnitudes(facts["value"], facts["value_high"])
    periods = {row["period_id"]: row for row in period_rows(set(facts["period_id"].dropna().unique()))}
    frame["period_start"] = pd.to_datetime(facts["period_id"].map({p: r["start_date"] for p, r in periods.items()}))
    frame["period_end"] = pd.to_datetime(facts["period_id"].map({p: r["end_date"] for p, r in periods.items()}))
    frame["reported_ahead_of_publication"] = reported_ahead_of_publication(facts, documents, frame["period_start"])
    _add_text_measures(frame, facts, FACT_TEXT_MEASURES)
    frame["conflicting_values"] = conflicting_values(facts, documents, published)
    # a set of every staged document id in the suite would be copied by each of its metrics
    frame["document_staged"] = facts["document_id"].isin(set(documents["document_id"]))
    return frame


def reported_ahead_of_publication(facts: pd.DataFrame, documents: pd.DataFrame, period_start: pd.Series) -> pd.Series:
    """Facts reported as achieved for a period that starts after their report's publication date."""
    if "published_on" not in documents or "status" not in facts:
        return pd.Series(False, index=facts.index)
    published = pd.to_datetime(
        facts["document_id"].map(dict(zip(documents["document_id"], documents["published_on"], strict=True)))
    )
    return ((facts["status"] == "reported") & (period_start > published)).fillna(False).astype(bool)


def value_magnitudes(value: pd.Series, value_high: pd.Series) -> np.ndarray:
    """The larger absolute value of a fact's value and upper end; infinite when either is missing
    (a fact always has a value), infinite or not a number — so that no check can skip it as null.

    >>> value_magnitudes(pd.Series([3.0, -5.0, float("inf"), float("nan")]), pd.Series([4.0, None, None, None])).tolist()
    [4.0, 5.0, inf, inf]
    """
    import numpy as np

    low = value.to_numpy(dtype="float64", na_value=np.nan)
    high = value_high.to_numpy(dtype="float64", na_value=np.nan)
    magnitude = np.where(np.isfinite(low), np.abs(low), np.inf)
    return np.where(np.isnan(high), magnitude, np.where(np.isfinite(high), np.maximum(magnitude, np.abs(high)), np.inf))


def text_lengths(texts: pa.ChunkedArray) -> np.ndarray:
    """Each text's length in characters (0 for none), of an Arrow column.

    >>> import pyarrow as pa
    >>> text_lengths(pa.chunked_array([["职工驿站", None, ""]])).tolist()
    [4, 0, 0]
    """
    import pyarrow.compute as pc

    return pc.fill_null(pc.utf8_length(texts), 0).to_numpy().astype("int64")


def undecodable_shares(texts: pa.ChunkedArray) -> np.ndarray:
    """For each text of an Arrow column, the share of replacement (U+FFFD) and private-use characters
    (0 for none or empty): what a wrong decoding leaves.

    >>> import pyarrow as pa
    >>> undecodable_shares(pa.chunked_array([["职工\\ufffd驿站", None, "", "\\ue000"]])).tolist()
    [0.2, 0.0, 0.0, 1.0]
    """
    import numpy as np
    import pyarrow.compute as pc

    lengths = text_lengths(texts)
    found = pc.fill_null(pc.count_substring_regex(texts, UNDECODABLE), 0).to_numpy().astype("float64")
    return np.divide(found, lengths, out=np.zeros(len(lengths)), where=lengths > 0)


# the checks read measures of long texts, never the texts: the flow takes them where the texts are
# stored ({column the checks read: (text column, measure)}); a caller holding the texts gets them
# computed from its frames


# measures of the texts that validation reads without loading the texts (batch_store.frame)
FACT_TEXT_MEASURES = {"sentence_length": ("sentence", text_lengths)}
DOCUMENT_TEXT_MEASURES = {"undecodable_share": ("source_text", undecodable_shares)}


def document_frame(documents: pd.DataFrame, facts: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """The staged reports with the measures the document checks read."""
    today = today or date.today()
    frame = documents.reset_index(drop=True).copy()
    counts = facts.groupby("document_id").size() if len(facts) else pd.Series(dtype="int64")
    frame["fact_count"] = frame["document_id"].map(counts).fillna(0).astype("int64")
    _add_text_measures(frame, frame, DOCUMENT_TEXT_MEASURES)
    seen = frame["numbers_seen"].astype("float64")
    frame["fact_share"] = (frame["fact_count"] / seen).where(seen > 0)
    frame["published_days_ahead"] = (
        frame["published_on"].map(lambda d: (d - today).days if isinstance(d, date) else None).astype("float64")
    )
    return frame


def _add_text_measures(frame: pd.DataFrame, rows: pd.DataFrame, measures: dict) -> None:
    """The measures of texts the checks read, for a caller that holds the texts (the flow reads the
    measures only: it has them already)."""
    import pyarrow as pa

    for name, (text, measure) in measures.items():
        if name not in frame and text in rows:
            frame[name] = measure(pa.chunked_array([pa.array(rows[text], type=pa.string(), from_pandas=True)]))


def checked_columns(frame: pd.DataFrame, suites: list[Suite]) -> pd.DataFrame:
    """The columns of `frame` the suites read (a missing one still fails its check), texts as
    categories. Great Expectations copies the frame for every row condition: long texts it does not
    read would be copied dozens of times, and Arrow strings are slow to copy (categories: small codes)."""
    wanted = read_columns(suites)
    narrow = frame[[c for c in frame.columns if c in wanted]]
    return narrow.astype({c: "category" for c in narrow.columns if pd.api.types.is_string_dtype(narrow[c])})

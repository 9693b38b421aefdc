-- grain: one row per fact of fct_observation as published: corrected where the corrections ledger
-- changes it (fct_corrected_observation, warehouse/corrections/), without those it removes, with
-- the figures analysts added. What the extractor said stays in fct_observation.
CREATE OR REPLACE VIEW v_fact AS
SELECT
    o.*,
    NULL::VARCHAR   AS fact_key,
    false           AS is_corrected,
    NULL::VARCHAR   AS correction_reason,
    NULL::VARCHAR   AS corrected_by
FROM fct_observation o
ANTI JOIN fct_corrected_observation c ON c.observation_id = o.observation_id
UNION ALL BY NAME
SELECT
    c.* EXCLUDE (fact_change, corrected_at, corrected_fields),
    true            AS is_corrected
FROM fct_corrected_observation c
WHERE c.fact_change IS DISTINCT FROM 'removed';

-- grain: one row per published fact of the current version of each report
CREATE OR REPLACE VIEW v_observation AS
SELECT
    o.observation_id,
    d.file_name,
    d.document_id,
    d.version       AS document_version,
    o.article_no,
    a.headline      AS article_headline,
    o.text,
    o.value,
    o.value_high,
    o.value_min,
    o.value_max,
    o.unit,
    u.dimension     AS unit_dimension,
    o.qualifier,
    o.kind,
    o.measure,
    o.status,
    o.subject,
    o.indicator_code AS indicator,
    i.name          AS indicator_name,
    i.category      AS indicator_category,
    r.name          AS region_name,
    r.display_name  AS region,
    o.region_code,
    r.parent_code   AS region_parent_code,
    o.period_id     AS period,
    o.period_source,
    pe.start_date   AS period_start,
    pe.end_date     AS period_end,
    pe.granularity  AS period_granularity,
    o.sentence,
    o.source_text   AS source_number,
    o.source_sentence,
    d.format        AS document_format,
    d.script        AS document_script,
    o.start_offset,
    o.end_offset,
    o.has_warning,
    o.warnings,
    o.run_id,
    coalesce(o.fact_key, d.sha256 || ':' || o.source_start || '-' || o.source_end) AS fact_key,
    o.is_corrected,
    o.correction_reason,
    o.corrected_by
FROM v_fact o
JOIN dim_document d ON d.document_id = o.document_id AND d.is_current
LEFT JOIN dim_unit u ON u.unit = o.unit
LEFT JOIN dim_indicator i ON i.indicator_code = o.indicator_code
LEFT JOIN dim_region r ON r.region_code = o.region_code
LEFT JOIN dim_period pe ON pe.period_id = o.period_id
LEFT JOIN dim_article a ON a.document_id = o.document_id AND a.article_no = o.article_no;

-- grain: one row per fact that can be compared with other reports' facts: of a report's current
-- version, classified, with a region and a stated period. The one statement of the rule, read by
-- v_conflict, queries/current_facts.sql and publish/050_conflict_warnings.sql (the audit applies it
-- to a run's staged facts: tasks/audit/derived.py, tested to agree with this view)
CREATE OR REPLACE VIEW v_comparable_fact AS
SELECT o.*, d.file_name
FROM v_fact o
JOIN dim_document d ON d.document_id = o.document_id AND d.is_current
WHERE o.indicator_code <> 'unclassified' AND o.period_id <> '' AND o.region_code IS NOT NULL;

-- grain: one row per (indicator, region, period) reported with different values by different reports
-- (current versions, classified facts with a stated period); the documents and sentences say who said what
CREATE OR REPLACE VIEW v_conflict AS
SELECT
    c.indicator_code               AS indicator,
    r.display_name                 AS region,
    c.region_code,
    c.period_id                    AS period,
    c.unit,
    count(DISTINCT c.value)        AS distinct_values,
    min(c.value)                   AS min_value,
    max(c.value)                   AS max_value,
    count(DISTINCT c.document_id)  AS documents,
    string_agg(DISTINCT c.file_name, ' | ' ORDER BY c.file_name) AS file_names,
    string_agg(c.file_name || ': ' || c.text || ' — ' || c.sentence, '\n' ORDER BY c.file_name, c.start_offset) AS statements
FROM v_comparable_fact c  -- read once: v_observation IN (v_comparable_fact) read the facts twice (≈ 2× the memory)
LEFT JOIN dim_region r ON r.region_code = c.region_code
GROUP BY c.indicator_code, r.display_name, c.region_code, c.period_id, c.unit
HAVING count(DISTINCT c.value) > 1 AND count(DISTINCT c.document_id) > 1;

-- grain: one row per (quarantined fact, blocking check it failed) of the current version of each report:
-- what was held back, why, and where it was written
CREATE OR REPLACE VIEW v_quarantine AS
SELECT
    q.observation_id,
    d.file_name,
    d.document_id,
    d.version       AS document_version,
    d.quality       AS document_quality,
    q.suite,
    q.expectation,
    q.observed_value,
    q.text,
    q.value,
    q.unit,
    q.kind,
    q.subject,
    q.indicator_code AS indicator,
    q.region_code,
    q.period_id     AS period,
    q.sentence,
    q.source_sentence,
    q.start_offset,
    q.run_id,
    q.rejected_at,
    q.origin,
    q.fact_key,
    q.correction_reason
FROM (
    SELECT *, 'extraction' AS origin, NULL::VARCHAR AS fact_key, NULL::VARCHAR AS correction_reason
    FROM rejected_observation
    UNION ALL BY NAME
    SELECT * EXCLUDE (fact_change, corrected_at, corrected_fields, corrected_by), 'correction' AS origin
    FROM rejected_correction
) q
JOIN dim_document d ON d.document_id = q.document_id AND d.is_current;

-- grain: one row per row of the corrections ledger (corrections.csv beside the warehouse): the change,
-- who made it and why, and what became of it at the last publish — applied, rejected (the corrected
-- fact failed a blocking check: detail names it), orphaned (no current report holds the fact's span)
-- or invalid (the row cannot be read: detail says why)
CREATE OR REPLACE VIEW v_correction AS
SELECT
    c.line_no,
    c.fact_key,
    c.field,
    c.old_value,
    c.new_value,
    c.reason,
    c.corrected_by,
    c.corrected_at,
    CASE WHEN c.problem IS NOT NULL THEN 'invalid' ELSE coalesce(o.status, 'orphaned') END AS status,
    coalesce(c.problem, o.rejected_by) AS detail,
    coalesce(d.file_name, (SELECT any_value(x.file_name) FROM dim_document x WHERE x.sha256 = c.sha256)) AS file_name,
    o.observation_id
FROM fact_correction c
LEFT JOIN correction_outcome o ON o.fact_key = c.fact_key AND c.problem IS NULL
LEFT JOIN dim_document d ON d.document_id = o.document_id;

-- grain: one row per (indicator, region, period, measure, unit, status) stated by a current report
-- (classified facts with a region and a stated period): the figure to use — from the most recently
-- published report, then the most specific statement (exact, then a range, then a bound, then an
-- approximation; the narrower bounds first), then the most recently loaded — with its source, how
-- many reports state it and whether they agree (v_conflict lists the disagreements). Corrections
-- are applied (v_observation). The report's charts read it.
CREATE OR REPLACE VIEW v_series AS
WITH stated AS (
    SELECT
        o.*,
        d.published_on,
        d.loaded_at,
        row_number() OVER (
            PARTITION BY o.indicator, o.region_code, o.period, o.measure, o.unit, o.status
            ORDER BY
                d.published_on DESC NULLS LAST,
                CASE
                    WHEN o.qualifier = 'exact' AND o.value_high IS NULL THEN 0
                    WHEN o.value_high IS NOT NULL THEN 1
                    WHEN o.qualifier IN ('at_least', 'more_than', 'less_than') THEN 2
                    ELSE 3
                END,
                coalesce(o.value_max - o.value_min, 'infinity'::DOUBLE),
                d.loaded_at DESC,
                o.file_name,
                o.start_offset
        ) AS preference,
        count(DISTINCT o.value) OVER (PARTITION BY o.indicator, o.region_code, o.period, o.measure, o.unit, o.status) AS distinct_values,
        count(DISTINCT o.document_id) OVER (PARTITION BY o.indicator, o.region_code, o.period, o.measure, o.unit, o.status) AS reports
    FROM v_observation o
    JOIN dim_document d ON d.document_id = o.document_id
    WHERE o.indicator <> 'unclassified' AND o.period <> '' AND o.region_code IS NOT NULL
)
SELECT
    indicator,
    indicator_name,
    indicator_category,
    region,
    region_code,
    region_parent_code,
    period,
    period_start,
    period_end,
    period_granularity,
    measure,
    unit,
    unit_dimension,
    status,
    value,
    value_high,
    value_min,
    value_max,
    qualifier,
    kind,
    text,
    subject,
    reports,
    distinct_values,
    distinct_values = 1 AS reports_agree,
    distinct_values > 1 AS has_conflict,
    file_name,
    document_id,
    published_on,
    document_script,
    sentence,
    source_number,
    source_sentence,
    fact_key,
    is_corrected,
    observation_id
FROM stated
WHERE preference = 1;

-- the name v_series had before it was the series view (queries written against it keep working)
CREATE OR REPLACE VIEW v_indicator_region_period AS SELECT * FROM v_series;

-- grain: one row per (parent region, indicator, period, measure, unit, status) where every child
-- region of the parent (dim_region.parent_code) states the figure, all with the same measure, and
-- one that adds up (a total, a level, a change; never an average or a share): their sum and its
-- bounds, and what the parent region itself states, if it does (a check of both reports)
CREATE OR REPLACE VIEW v_series_rollup AS
WITH child_count AS (
    SELECT parent_code, count(*) AS child_regions FROM dim_region WHERE parent_code IS NOT NULL GROUP BY parent_code
),
children AS (
    SELECT s.*, count(DISTINCT s.measure) OVER (
        PARTITION BY s.region_parent_code, s.indicator, s.period, s.unit, s.status
    ) AS measures
    FROM v_series s
    WHERE s.region_parent_code IS NOT NULL AND s.region_parent_code <> ''
)
SELECT
    c.indicator,
    any_value(c.indicator_name)                     AS indicator_name,
    c.region_parent_code                            AS region_code,
    any_value(p.display_name)                       AS region,
    c.period,
    c.measure,
    c.unit,
    c.status,
    sum(c.value)                                    AS value,
    CASE WHEN count(c.value_min) = count(*) THEN sum(c.value_min) END AS value_min,
    CASE WHEN count(c.value_max) = count(*) THEN sum(c.value_max) END AS value_max,
    count(*)                                        AS children,
    string_agg(c.region, ' | ' ORDER BY c.region_code) AS child_regions,
    any_value(own.value)                            AS stated_value,
    any_value(own.file_name)                        AS stated_in
FROM children c
JOIN dim_region p ON p.region_code = c.region_parent_code
JOIN child_count n ON n.parent_code = c.region_parent_code
LEFT JOIN v_series own
  ON own.region_code = c.region_parent_code AND own.indicator = c.indicator AND own.period = c.period
 AND own.measure = c.measure AND own.unit = c.unit AND own.status = c.status
WHERE c.measures = 1 AND c.measure IN ('total', 'level', 'change') AND c.unit <> '%'
GROUP BY c.indicator, c.region_parent_code, c.period, c.measure, c.unit, c.status
HAVING count(DISTINCT c.region_code) = any_value(n.child_regions);

-- grain: one row per current report: what the parser saw, what was published, held back, or left
-- unclassified, and the report's own quality verdict
CREATE OR REPLACE VIEW v_document_quality AS
SELECT
    d.file_name,
    d.document_id,
    d.version       AS document_version,
    d.title,
    d.publisher,
    d.published_on,
    d.format,
    d.script,
    d.encoding,
    d.damaged_bytes,
    d.char_count,
    d.article_count,
    d.numbers_seen,
    coalesce(f.facts, 0)          AS facts_published,
    coalesce(q.facts, 0)          AS facts_quarantined,
    coalesce(f.unclassified, 0)   AS facts_unclassified,
    coalesce(f.warned, 0)         AS facts_with_warning,
    CASE WHEN d.numbers_seen > 0 THEN round(coalesce(f.facts, 0) / d.numbers_seen, 3) END AS published_share,
    d.quality,
    d.quality_checks,
    d.run_id,
    d.loaded_at
FROM dim_document d
LEFT JOIN (
    SELECT document_id, count(*) AS facts, count(*) FILTER (WHERE indicator_code = 'unclassified') AS unclassified,
           count(*) FILTER (WHERE has_warning) AS warned
    FROM fct_observation GROUP BY document_id
) f ON f.document_id = d.document_id
LEFT JOIN (
    SELECT document_id, count(DISTINCT observation_id) AS facts FROM rejected_observation GROUP BY document_id
) q ON q.document_id = d.document_id
WHERE d.is_current;

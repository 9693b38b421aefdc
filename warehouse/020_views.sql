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
    o.run_id
FROM fct_observation o
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
FROM fct_observation o
JOIN dim_document d ON d.document_id = o.document_id AND d.is_current
WHERE o.indicator_code <> 'unclassified' AND o.period_id <> '' AND o.region_code IS NOT NULL;

-- grain: one row per (indicator, region, period) reported with different values by different reports
-- (current versions, classified facts with a stated period); the documents and sentences say who said what
CREATE OR REPLACE VIEW v_conflict AS
SELECT
    indicator,
    region,
    region_code,
    period,
    unit,
    count(DISTINCT value)        AS distinct_values,
    min(value)                   AS min_value,
    max(value)                   AS max_value,
    count(DISTINCT document_id)  AS documents,
    string_agg(DISTINCT file_name, ' | ' ORDER BY file_name) AS file_names,
    string_agg(file_name || ': ' || text || ' — ' || sentence, '\n' ORDER BY file_name, start_offset) AS statements
FROM v_observation
WHERE observation_id IN (SELECT observation_id FROM v_comparable_fact)
GROUP BY indicator, region, region_code, period, unit
HAVING count(DISTINCT value) > 1 AND count(DISTINCT document_id) > 1;

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
    q.rejected_at
FROM rejected_observation q
JOIN dim_document d ON d.document_id = q.document_id AND d.is_current;

-- grain: one row per (indicator, region, period, unit, measure, status) stated by a current report (classified facts
-- with a region and a stated period): the latest statement — the most recently published report,
-- then the most recently loaded — with its source, and how many reports agree or differ
CREATE OR REPLACE VIEW v_indicator_region_period AS
WITH stated AS (
    SELECT
        o.*,
        d.published_on,
        d.loaded_at,
        row_number() OVER (
            PARTITION BY o.indicator, o.region_code, o.period, o.unit, o.measure, o.status
            ORDER BY d.published_on DESC NULLS LAST, d.loaded_at DESC, o.file_name, o.start_offset
        ) AS recency,
        count(DISTINCT o.value) OVER (PARTITION BY o.indicator, o.region_code, o.period, o.unit, o.measure, o.status) AS distinct_values,
        count(DISTINCT o.document_id) OVER (PARTITION BY o.indicator, o.region_code, o.period, o.unit, o.measure, o.status) AS reports
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
    period,
    period_start,
    period_end,
    period_granularity,
    unit,
    unit_dimension,
    measure,
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
    distinct_values > 1 AS has_conflict,
    file_name,
    document_id,
    published_on,
    document_script,
    sentence,
    source_number,
    source_sentence,
    observation_id
FROM stated
WHERE recency = 1;

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

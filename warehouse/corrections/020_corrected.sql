-- The corrected facts: each fact of a current report version that the ledger changes, with its
-- changes applied (what the extractor said stays in fct_observation), and the figures an analyst
-- added where the extractor found none. tasks/corrections/apply.py then completes them (kind and
-- bounds from the new unit and value) and runs them through the same Great Expectations gate as
-- extracted facts: those failing a blocking check move to rejected_correction.
CREATE OR REPLACE TABLE fct_corrected_observation AS
SELECT
    o.* REPLACE (
        coalesce(TRY_CAST(f.value AS DOUBLE), o.value)               AS value,
        CASE WHEN f.value_high = '' THEN NULL
             ELSE coalesce(TRY_CAST(f.value_high AS DOUBLE), o.value_high) END AS value_high,
        coalesce(f.unit, o.unit)                                     AS unit,
        coalesce(f.qualifier, o.qualifier)                           AS qualifier,
        coalesce(f.measure, o.measure)                               AS measure,
        coalesce(f.status, o.status)                                 AS status,
        coalesce(f.subject, o.subject)                               AS subject,
        CASE WHEN f.region_code = '' THEN NULL ELSE coalesce(f.region_code, o.region_code) END AS region_code,
        coalesce(f.period_id, o.period_id)                           AS period_id,
        coalesce(f.indicator_code, o.indicator_code)                 AS indicator_code
    ),
    f.fact_key,
    f.fact_change,
    f.correction_reason,
    f.corrected_by,
    f.corrected_at,
    f.corrected_fields
FROM correction_fix f
JOIN dim_document d ON d.sha256 = f.sha256 AND d.is_current
JOIN fct_observation o
  ON o.document_id = d.document_id AND o.source_start = f.source_start AND o.source_end = f.source_end;

-- figures the extractor missed (fact = added): the span's text, its sentence in the original, and
-- the article (with its region) of the nearest extracted fact before it
INSERT INTO fct_corrected_observation BY NAME
WITH added AS (
    SELECT
        f.*,
        d.document_id,
        d.source_text AS document_text,
        coalesce((
            SELECT arg_max(x.article_no, x.source_start)
            FROM fct_observation x
            WHERE x.document_id = d.document_id AND x.source_start <= f.source_start
        ), 1) AS article_no
    FROM correction_fix f
    JOIN dim_document d ON d.sha256 = f.sha256 AND d.is_current
    WHERE f.fact_change = 'added'
      AND f.source_end <= length(d.source_text)
      AND NOT EXISTS (
          SELECT 1 FROM fct_observation o
          WHERE o.document_id = d.document_id AND o.source_start = f.source_start AND o.source_end = f.source_end
      )
)
SELECT
    'added:' || substr(n.document_id, 1, 12) || ':' || n.source_start || '-' || n.source_end AS observation_id,
    n.document_id,
    n.article_no,
    n.source_start                                                   AS start_offset,
    n.source_end                                                     AS end_offset,
    substr(n.document_text, n.source_start + 1, n.source_end - n.source_start) AS text,
    TRY_CAST(n.value AS DOUBLE)                                      AS value,
    TRY_CAST(nullif(n.value_high, '') AS DOUBLE)                     AS value_high,
    n.unit,
    coalesce(n.qualifier, 'exact')                                   AS qualifier,
    coalesce(n.measure, 'level')                                     AS measure,
    coalesce(n.status, 'reported')                                   AS status,
    n.subject,
    coalesce(n.indicator_code, 'unclassified')                       AS indicator_code,
    CASE WHEN n.region_code = '' THEN NULL ELSE coalesce(n.region_code, a.region_code) END AS region_code,
    coalesce(n.period_id, '')                                        AS period_id,
    'correction'                                                     AS period_source,
    regexp_extract(substr(n.document_text, greatest(1, n.source_start - 199), least(n.source_start, 200)), '[^。！？!?\n]*$')
      || substr(n.document_text, n.source_start + 1, n.source_end - n.source_start)
      || regexp_extract(substr(n.document_text, n.source_end + 1, 200), '^[^。！？!?\n]*[。！？!?]?') AS sentence,
    'correction'                                                     AS run_id,
    false                                                            AS has_warning,
    n.source_start,
    n.source_end,
    n.fact_key,
    n.fact_change,
    n.correction_reason,
    n.corrected_by,
    n.corrected_at,
    n.corrected_fields
FROM added n
LEFT JOIN dim_article a ON a.document_id = n.document_id AND a.article_no = n.article_no;

UPDATE fct_corrected_observation SET source_text = text, source_sentence = sentence WHERE fact_change = 'added' AND source_text IS NULL;

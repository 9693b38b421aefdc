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

-- figures the extractor missed (fact = added): the span's text, its sentence in the original, the
-- article of the nearest extracted fact before it
INSERT INTO fct_corrected_observation BY NAME
SELECT
    'added:' || substr(d.document_id, 1, 12) || ':' || f.source_start || '-' || f.source_end AS observation_id,
    d.document_id,
    coalesce((
        SELECT arg_max(x.article_no, x.source_start)
        FROM fct_observation x
        WHERE x.document_id = d.document_id AND x.source_start <= f.source_start
    ), 1)                                                            AS article_no,
    f.source_start                                                   AS start_offset,
    f.source_end                                                     AS end_offset,
    substr(d.source_text, f.source_start + 1, f.source_end - f.source_start) AS text,
    TRY_CAST(f.value AS DOUBLE)                                      AS value,
    TRY_CAST(nullif(f.value_high, '') AS DOUBLE)                     AS value_high,
    f.unit,
    coalesce(f.qualifier, 'exact')                                   AS qualifier,
    coalesce(f.measure, 'level')                                     AS measure,
    coalesce(f.status, 'reported')                                   AS status,
    f.subject,
    coalesce(f.indicator_code, 'unclassified')                       AS indicator_code,
    coalesce(nullif(f.region_code, ''), a.region_code)               AS region_code,
    coalesce(f.period_id, '')                                        AS period_id,
    'correction'                                                     AS period_source,
    regexp_extract(substr(d.source_text, greatest(1, f.source_start - 199), least(f.source_start, 200)), '[^。！？!?\n]*$')
      || substr(d.source_text, f.source_start + 1, f.source_end - f.source_start)
      || regexp_extract(substr(d.source_text, f.source_end + 1, 200), '^[^。！？!?\n]*[。！？!?]?') AS sentence,
    'correction'                                                     AS run_id,
    false                                                            AS has_warning,
    f.source_start,
    f.source_end,
    f.fact_key,
    f.fact_change,
    f.correction_reason,
    f.corrected_by,
    f.corrected_at,
    f.corrected_fields
FROM correction_fix f
JOIN dim_document d ON d.sha256 = f.sha256 AND d.is_current
LEFT JOIN dim_article a ON a.document_id = d.document_id AND a.article_no = 1
WHERE f.fact_change = 'added'
  AND f.source_end <= length(d.source_text)
  AND NOT EXISTS (
      SELECT 1 FROM fct_observation o
      WHERE o.document_id = d.document_id AND o.source_start = f.source_start AND o.source_end = f.source_end
  );

UPDATE fct_corrected_observation SET source_text = text, source_sentence = sentence WHERE fact_change = 'added' AND source_text IS NULL;

-- the published fact `unionfacts correct` names: by observation_id, by its full fact key, or by a
-- short key (the sha256's first characters and the span: 52836323:154-158); facts an earlier
-- correction removed are found too (removed = true), so that a removal can be undone
WITH facts AS (
    SELECT fact_key, observation_id, file_name, text, sentence, value, value_high, unit, qualifier, measure,
           status, subject, region_code, period AS period_id, indicator AS indicator_code, false AS removed
    FROM v_observation
    UNION ALL
    SELECT c.fact_key, c.observation_id, d.file_name, c.text, c.sentence, c.value, c.value_high, c.unit,
           c.qualifier, c.measure, c.status, c.subject, c.region_code, c.period_id, c.indicator_code, true
    FROM fct_corrected_observation c
    JOIN dim_document d ON d.document_id = c.document_id AND d.is_current
    WHERE c.fact_change = 'removed'
)
SELECT *
FROM facts
WHERE observation_id = $fact_id
   OR fact_key = $fact_id
   OR (starts_with(fact_key, $key_prefix) AND ends_with(fact_key, ':' || $key_span))
ORDER BY fact_key
LIMIT 5;

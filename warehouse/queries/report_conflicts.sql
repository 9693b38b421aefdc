-- the conflicts stated by the most reports (at most 50), one row per value given (the 10 given by the
-- most reports): how many reports give it, and the first of them with its sentence
WITH shown AS (
    SELECT *
    FROM v_conflict
    ORDER BY documents DESC, distinct_values DESC, indicator, region, period, unit
    LIMIT 50
)
SELECT
    c.indicator,
    any_value(o.indicator_name)                                      AS indicator_name,
    c.region,
    c.period,
    c.unit,
    any_value(c.distinct_values)                                     AS distinct_values,
    any_value(c.documents)                                           AS documents,
    o.value,
    count(DISTINCT o.document_id)                                    AS reports,
    arg_min(o.text, o.file_name || o.observation_id)                 AS text,
    min(o.file_name)                                                 AS file_name,
    arg_min(o.sentence, o.file_name || o.observation_id)             AS sentence,
    arg_min(o.source_sentence, o.file_name || o.observation_id)      AS source_sentence,
    arg_min(o.document_script, o.file_name || o.observation_id)      AS document_script
FROM shown c
JOIN v_observation o
  ON o.indicator = c.indicator AND o.region_code = c.region_code AND o.period = c.period AND o.unit = c.unit
GROUP BY c.indicator, c.region, c.period, c.unit, o.value
QUALIFY row_number() OVER (PARTITION BY c.indicator, c.region, c.period, c.unit ORDER BY reports DESC, o.value) <= 10
ORDER BY any_value(c.documents) DESC, any_value(c.distinct_values) DESC, c.indicator, c.region, c.period, c.unit,
         reports DESC, o.value

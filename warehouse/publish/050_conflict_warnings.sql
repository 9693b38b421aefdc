-- The cross-report warning (expectations/conflicts.json, agrees_with_other_reports) of every current
-- fact, derived again from the whole published warehouse once the run is in: a report that arrives
-- later flags the facts published before that it contradicts, and a superseded version clears them,
-- so the warehouse does not depend on the order in which reports arrived (one clean run over the same
-- files gives the same rows). The rule of derived.conflicting_values and v_conflict: another current
-- report (another file) states another value for the fact's indicator, region, period and unit
-- (facts that can be compared: v_comparable_fact).
-- The conflicts suite sorts first, so its warning leads a fact's ','-separated `warnings`.
CREATE OR REPLACE TEMP TABLE conflict_check AS
WITH eligible AS (
    SELECT observation_id, file_name, indicator_code, region_code, period_id, coalesce(unit, '') AS unit, value
    FROM v_comparable_fact
), statements AS (  -- who states which value, once each
    SELECT DISTINCT indicator_code, region_code, period_id, unit, file_name, value FROM eligible
), per_key AS (
    SELECT indicator_code, region_code, period_id, unit, count(*) AS n FROM statements GROUP BY ALL
), per_value AS (
    SELECT indicator_code, region_code, period_id, unit, value, count(*) AS n FROM statements GROUP BY ALL
), per_file AS (
    SELECT indicator_code, region_code, period_id, unit, file_name, count(*) AS n FROM statements GROUP BY ALL
)
-- statements of other files with other values = all − same value − same file + the fact's own
SELECT e.observation_id, k.n - v.n - f.n + 1 > 0 AS conflicting
FROM eligible e
JOIN per_key k USING (indicator_code, region_code, period_id, unit)
JOIN per_value v USING (indicator_code, region_code, period_id, unit, value)
JOIN per_file f USING (indicator_code, region_code, period_id, unit, file_name);

UPDATE fct_observation AS o
SET warnings = w.warnings, has_warning = w.warnings IS NOT NULL
FROM (
    SELECT c.observation_id,
           CASE WHEN c.conflicting
                THEN concat_ws(',', 'agrees_with_other_reports', nullif(r.rest, ''))
                ELSE nullif(r.rest, '') END AS warnings
    FROM conflict_check c
    JOIN fct_observation f ON f.observation_id = c.observation_id
    CROSS JOIN LATERAL (SELECT regexp_replace(coalesce(f.warnings, ''), '^agrees_with_other_reports,?', '') AS rest) r
    WHERE c.conflicting <> coalesce(starts_with(f.warnings, 'agrees_with_other_reports'), false)
) w
WHERE o.observation_id = w.observation_id;

DROP TABLE conflict_check;

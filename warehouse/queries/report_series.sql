-- the rows of the $charted (indicator, unit, measure) groups the report charts — those stated for the most
-- regions, then by the most statements — each (indicator, region, period, unit, measure) with its
-- latest reported statement (targets are plans, not figures; a per-head amount and a total never
-- share a chart). The latest statements are chosen without their texts, which are joined to the
-- chosen rows only (at 10,000 reports: ≈ 535 MB instead of ≈ 800 MB for the query)
WITH stated AS (
    SELECT * EXCLUDE (text, subject, sentence, source_number, source_sentence)
    FROM v_series
    WHERE status = 'reported'
),
charted AS (
    SELECT indicator, unit, measure
    FROM stated
    GROUP BY ALL
    ORDER BY count(DISTINCT region_code) DESC, count(*) DESC, indicator, unit, measure
    LIMIT $charted
),
picked AS (
    SELECT stated.*
    FROM stated
    SEMI JOIN charted
        ON stated.indicator IS NOT DISTINCT FROM charted.indicator
        AND stated.unit IS NOT DISTINCT FROM charted.unit
        AND stated.measure IS NOT DISTINCT FROM charted.measure
)
SELECT picked.*, o.text, o.subject, o.sentence, o.source_number, o.source_sentence, o.correction_reason, o.corrected_by
FROM picked
JOIN v_observation o USING (observation_id)
ORDER BY indicator, unit, measure, region_code, period_end NULLS FIRST, period

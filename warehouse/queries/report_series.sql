-- the rows of the $charted (indicator, unit, measure) groups the report charts — those stated for the most
-- regions, then by the most statements — each (indicator, region, period, unit, measure) with its
-- latest reported statement (targets are plans, not figures; a per-head amount and a total never
-- share a chart)
WITH stated AS (
    SELECT * FROM v_indicator_region_period WHERE status = 'reported'
),
charted AS (
    SELECT indicator, unit, measure
    FROM stated
    GROUP BY ALL
    ORDER BY count(DISTINCT region_code) DESC, count(*) DESC, indicator, unit, measure
    LIMIT $charted
)
SELECT stated.*
FROM stated
SEMI JOIN charted
    ON stated.indicator IS NOT DISTINCT FROM charted.indicator
    AND stated.unit IS NOT DISTINCT FROM charted.unit
    AND stated.measure IS NOT DISTINCT FROM charted.measure
ORDER BY indicator, unit, measure, region_code, period_end NULLS FIRST, period

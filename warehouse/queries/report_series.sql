-- every (indicator, region, period, unit, measure) with its latest reported statement: what the report's
-- charts draw (targets are plans, not figures; a per-head amount and a total never share a chart)
SELECT *
FROM v_indicator_region_period
WHERE status = 'reported'
ORDER BY indicator, unit, measure, region_code, period_end NULLS FIRST, period

-- every (indicator, region, period, unit) with its latest statement: what the report's charts draw
SELECT *
FROM v_indicator_region_period
ORDER BY indicator, unit, region_code, period_end NULLS FIRST, period

-- new period labels of this run's staged facts
INSERT INTO dim_period
SELECT DISTINCT s.period_id, s.start_date, s.end_date, s.granularity
FROM stg_period s
WHERE NOT EXISTS (SELECT 1 FROM dim_period p WHERE p.period_id = s.period_id);

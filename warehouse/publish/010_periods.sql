-- the period labels of this run's facts, with their bounds as the current rules read them
DELETE FROM dim_period WHERE period_id IN (SELECT period_id FROM stg_period);
INSERT INTO dim_period BY NAME
SELECT DISTINCT period_id, start_date, end_date, granularity FROM stg_period;

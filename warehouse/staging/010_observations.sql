-- facts that passed the blocking checks: the run's stored rows (fact_rows, the batches' Arrow files)
-- with their verdicts (fact_verdicts: has_warning, warnings)
INSERT INTO stg_observation BY NAME
SELECT r.*, v.has_warning, v.warnings
FROM fact_rows r
JOIN fact_verdicts v USING (observation_id);

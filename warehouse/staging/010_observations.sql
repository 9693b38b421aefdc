-- facts that passed the blocking checks: the run's stored rows (fact_rows, the batches' Parquet files)
-- with their verdicts (fact_verdicts: has_warning, warnings). A view, not a table: the rows go from
-- the files into fct_observation in one pass (publish/040_observations.sql), written once
CREATE OR REPLACE TEMP VIEW stg_observation AS
SELECT r.*, v.has_warning, v.warnings
FROM fact_rows r
JOIN fact_verdicts v USING (observation_id);

-- facts that failed a blocking check: their stored rows with each failed check (fact_rejections);
-- a view, read once by publish/045_rejected.sql
CREATE OR REPLACE TEMP VIEW stg_rejected AS
SELECT r.*, q.expectation, q.suite, q.observed_value, q.rejected_at, q.warnings
FROM fact_rows r
JOIN fact_rejections q USING (observation_id);

-- facts that failed a blocking check: their stored rows with each failed check (fact_rejections)
INSERT INTO stg_rejected BY NAME
SELECT r.*, q.expectation, q.suite, q.observed_value, q.rejected_at, q.warnings
FROM fact_rows r
JOIN fact_rejections q USING (observation_id);

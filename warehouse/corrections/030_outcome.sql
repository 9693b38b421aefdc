-- What became of each corrected fact: applied, rejected (its corrected form failed a blocking check
-- of the gate; what the extractor said stays published) or orphaned (no current report holds its
-- span any more: kept in the ledger, reported in the run summary and v_correction)
CREATE OR REPLACE TABLE correction_outcome AS
SELECT
    f.fact_key,
    CASE
        WHEN r.fact_key IS NOT NULL THEN 'rejected'
        WHEN c.fact_key IS NULL THEN 'orphaned'
        ELSE 'applied'
    END                     AS status,
    r.expectations          AS rejected_by,
    coalesce(c.observation_id, r.observation_id) AS observation_id,
    coalesce(c.document_id, r.document_id)       AS document_id
FROM correction_fix f
LEFT JOIN (
    SELECT fact_key, any_value(observation_id) AS observation_id, any_value(document_id) AS document_id
    FROM fct_corrected_observation
    GROUP BY fact_key
) c ON c.fact_key = f.fact_key
LEFT JOIN (
    SELECT
        fact_key,
        string_agg(DISTINCT expectation, ',' ORDER BY expectation) AS expectations,
        any_value(observation_id) AS observation_id,
        any_value(document_id) AS document_id
    FROM rejected_correction
    GROUP BY fact_key
) r ON r.fact_key = f.fact_key;

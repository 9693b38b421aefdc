-- published facts that can conflict with a new report's: current versions, classified, with a region
-- and a stated period (the same rule as v_conflict)
SELECT o.document_id, d.file_name, o.indicator_code, o.region_code, o.period_id, o.unit, o.value
FROM fct_observation o
JOIN dim_document d ON d.document_id = o.document_id AND d.is_current
WHERE o.indicator_code <> 'unclassified' AND o.period_id <> '' AND o.region_code IS NOT NULL

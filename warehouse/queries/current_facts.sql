-- published facts that can conflict with a new report's (v_comparable_fact: the rule of v_conflict)
SELECT document_id, file_name, indicator_code, region_code, period_id, unit, value
FROM v_comparable_fact

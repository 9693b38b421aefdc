-- the corrections ledger's rows and what became of them at the last publish, for the run summary
SELECT line_no, fact_key, field, status, detail, file_name
FROM v_correction
ORDER BY line_no;

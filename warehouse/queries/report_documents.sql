-- the reports needing the most attention first (rejected, then warnings, then the smallest share of
-- their numbers published), at most 100; v_document_quality has them all
SELECT *
FROM v_document_quality
ORDER BY CASE quality WHEN 'rejected' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, published_share NULLS FIRST, file_name
LIMIT 100

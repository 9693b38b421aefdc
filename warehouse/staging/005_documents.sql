-- the run's reports: their stored rows (document_rows: the batches' files, or a caller's frame) with
-- the quality validation gave each (document_verdicts). A table, not a view: publish/015 numbers
-- each one's version
DELETE FROM stg_document;
INSERT INTO stg_document BY NAME
SELECT d.*, v.quality, v.quality_checks
FROM document_rows d
JOIN document_verdicts v USING (document_id);

-- a re-extracted document keeps its version and whether it is current
UPDATE stg_document SET version = d.version, is_current = d.is_current
FROM dim_document d
WHERE d.document_id = stg_document.document_id;
-- a new document is the next version of its file name, and the current one
UPDATE stg_document SET
    version = coalesce((SELECT max(d.version) FROM dim_document d WHERE d.file_name = stg_document.file_name), 0) + 1,
    is_current = true
WHERE NOT EXISTS (SELECT 1 FROM dim_document d WHERE d.document_id = stg_document.document_id);
-- an earlier version re-extracted by the same run (--reprocess) that brings a newer one is no longer current
UPDATE stg_document SET is_current = false
WHERE EXISTS (
    SELECT 1 FROM stg_document n WHERE n.file_name = stg_document.file_name AND n.version > stg_document.version
);

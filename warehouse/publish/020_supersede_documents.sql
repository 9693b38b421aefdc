-- a new version of a file supersedes its earlier versions
UPDATE dim_document SET is_current = false
WHERE file_name IN (SELECT file_name FROM stg_document WHERE is_current)
  AND document_id NOT IN (SELECT document_id FROM stg_document);

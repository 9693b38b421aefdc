-- every published document version, with the inbox path it was last seen at (a fallback when its
-- raw bytes are not in the landing area, e.g. for warehouses older than the landing area)
SELECT d.document_id, d.file_name, d.sha256,
       (SELECT f.path FROM etl_file f WHERE f.document_id = d.document_id ORDER BY f.seen_at DESC LIMIT 1) AS path,
       (SELECT f.size_bytes FROM etl_file f WHERE f.document_id = d.document_id ORDER BY f.seen_at DESC LIMIT 1)
           AS size_bytes
FROM dim_document d
ORDER BY d.file_name, d.version

INSERT INTO dim_document BY NAME
SELECT s.* FROM stg_document s
WHERE NOT EXISTS (SELECT 1 FROM dim_document d WHERE d.document_id = s.document_id);

-- what the warehouse holds for a document this run extracted (again) is replaced as a whole:
-- a rerun after a crash, or --reprocess after the rules changed, converges to one copy
DELETE FROM fct_observation WHERE document_id IN (SELECT document_id FROM stg_document);
DELETE FROM rejected_observation WHERE document_id IN (SELECT document_id FROM stg_document);
DELETE FROM dim_article WHERE document_id IN (SELECT document_id FROM stg_document);
DELETE FROM dim_document WHERE document_id IN (SELECT document_id FROM stg_document);

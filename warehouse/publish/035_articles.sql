-- the articles of this run's documents
INSERT INTO dim_article BY NAME
SELECT s.* FROM stg_article s
WHERE NOT EXISTS (SELECT 1 FROM dim_article a WHERE a.document_id = s.document_id AND a.article_no = s.article_no);

-- the articles of this run's documents
INSERT INTO dim_article BY NAME
SELECT s.* FROM stg_article s;

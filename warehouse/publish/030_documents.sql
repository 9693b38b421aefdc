INSERT INTO dim_document BY NAME
SELECT s.* FROM stg_document s;

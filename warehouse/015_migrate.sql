-- columns added after a warehouse was first created (CREATE TABLE IF NOT EXISTS keeps old tables);
-- staging tables get the same columns in the same order
ALTER TABLE dim_document ADD COLUMN IF NOT EXISTS format VARCHAR;
ALTER TABLE dim_document ADD COLUMN IF NOT EXISTS script VARCHAR;
ALTER TABLE dim_document ADD COLUMN IF NOT EXISTS source_text VARCHAR;
ALTER TABLE stg_document ADD COLUMN IF NOT EXISTS format VARCHAR;
ALTER TABLE stg_document ADD COLUMN IF NOT EXISTS script VARCHAR;
ALTER TABLE stg_document ADD COLUMN IF NOT EXISTS source_text VARCHAR;
ALTER TABLE fct_observation ADD COLUMN IF NOT EXISTS source_start INTEGER;
ALTER TABLE fct_observation ADD COLUMN IF NOT EXISTS source_end INTEGER;
ALTER TABLE fct_observation ADD COLUMN IF NOT EXISTS source_text VARCHAR;
ALTER TABLE fct_observation ADD COLUMN IF NOT EXISTS source_sentence VARCHAR;
ALTER TABLE stg_observation ADD COLUMN IF NOT EXISTS source_start INTEGER;
ALTER TABLE stg_observation ADD COLUMN IF NOT EXISTS source_end INTEGER;
ALTER TABLE stg_observation ADD COLUMN IF NOT EXISTS source_text VARCHAR;
ALTER TABLE stg_observation ADD COLUMN IF NOT EXISTS source_sentence VARCHAR;

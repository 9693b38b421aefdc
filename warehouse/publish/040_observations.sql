-- facts that passed validation; a rerun after a crash inserts nothing twice
INSERT INTO fct_observation BY NAME
SELECT s.* FROM stg_observation s
WHERE NOT EXISTS (SELECT 1 FROM fct_observation o WHERE o.observation_id = s.observation_id);

-- facts that passed the blocking checks
INSERT INTO fct_observation BY NAME
SELECT s.* FROM stg_observation s;

-- facts that failed a blocking check, with the check's name and the value it saw
INSERT INTO rejected_observation BY NAME
SELECT s.* FROM stg_rejected s;

-- the report's headline figures: what the warehouse holds now (current report versions)
SELECT
    (SELECT count(*) FROM dim_document WHERE is_current)                              AS reports,
    (SELECT count(*) FROM v_observation)                                              AS facts_published,
    (SELECT count(DISTINCT observation_id) FROM v_quarantine)                         AS facts_quarantined,
    (SELECT count(*) FROM v_observation WHERE has_warning)                            AS facts_with_warning,
    (SELECT count(*) FROM v_observation WHERE indicator = 'unclassified')             AS facts_unclassified,
    (SELECT count(DISTINCT region_code) FROM v_observation)                           AS regions,
    (SELECT count(DISTINCT indicator) FROM v_observation WHERE indicator <> 'unclassified') AS indicators,
    (SELECT count(*) FROM v_conflict)                                                 AS conflicts,
    (SELECT count(*) FROM etl_run)                                                    AS runs,
    (SELECT max(finished_at) FROM etl_run)                                            AS last_run_at

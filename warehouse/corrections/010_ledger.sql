-- The corrections ledger (corrections.csv beside the warehouse, tasks/corrections/ledger.py), reloaded
-- whole at every publish: the file is the truth, the table its copy. correction_rows is the file as
-- read, registered by tasks/corrections/apply.py.
CREATE OR REPLACE TABLE fact_correction AS
SELECT
    line_no,
    fact_key,
    sha256,
    source_start,
    source_end,
    field,
    old_value,
    new_value,
    reason,
    "by"                           AS corrected_by,
    TRY_CAST("at" AS TIMESTAMP)    AS corrected_at,
    problem
FROM correction_rows;

-- the latest change of each (fact, field) that can be applied; one row per fact with its changes
CREATE OR REPLACE TEMP TABLE correction_fix AS
WITH latest AS (
    SELECT *
    FROM fact_correction
    WHERE problem IS NULL
    QUALIFY row_number() OVER (PARTITION BY fact_key, field ORDER BY line_no DESC) = 1
)
SELECT
    fact_key,
    any_value(sha256)                                          AS sha256,
    any_value(source_start)                                    AS source_start,
    any_value(source_end)                                      AS source_end,
    max(new_value) FILTER (WHERE field = 'value')              AS value,
    max(new_value) FILTER (WHERE field = 'value_high')         AS value_high,
    max(new_value) FILTER (WHERE field = 'unit')               AS unit,
    max(new_value) FILTER (WHERE field = 'qualifier')          AS qualifier,
    max(new_value) FILTER (WHERE field = 'measure')            AS measure,
    max(new_value) FILTER (WHERE field = 'status')             AS status,
    max(new_value) FILTER (WHERE field = 'subject')            AS subject,
    max(new_value) FILTER (WHERE field = 'region_code')        AS region_code,
    max(new_value) FILTER (WHERE field = 'period_id')          AS period_id,
    max(new_value) FILTER (WHERE field = 'indicator_code')     AS indicator_code,
    max(new_value) FILTER (WHERE field = 'fact')               AS fact_change,
    string_agg(reason, '; ' ORDER BY line_no)                  AS correction_reason,
    arg_max(corrected_by, line_no)                             AS corrected_by,
    max(corrected_at)                                          AS corrected_at,
    list(DISTINCT field ORDER BY field)                        AS corrected_fields
FROM latest
GROUP BY fact_key;

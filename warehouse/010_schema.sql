-- Star schema of unionfacts. Dimensions are refreshed from seeds/ on every run; facts are
-- appended per document version. Run in order by tasks/publish/warehouse.py.

-- grain: one row per canonical unit (人, 人次, 元, % …)
CREATE TABLE IF NOT EXISTS dim_unit (
    unit        VARCHAR PRIMARY KEY,
    dimension   VARCHAR NOT NULL,   -- person, person_time, money_cny, percent …
    is_fact_unit BOOLEAN NOT NULL,  -- false for durations, ages, measurements: never facts
    surfaces    VARCHAR NOT NULL    -- the written forms that map to it, '|'-separated
);

-- grain: one row per administrative region (GB/T 2260 code), plus 000000 全国
CREATE TABLE IF NOT EXISTS dim_region (
    region_code VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    short_name  VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,   -- country, province, prefecture, county
    parent_code VARCHAR,
    vintage     VARCHAR,
    display_name VARCHAR            -- how facts name it: 青岛市即墨区 (a county with its parent), 青岛市 (tasks/extract/regions.py)
);

-- grain: one row per indicator of the taxonomy in seeds/indicators.csv
CREATE TABLE IF NOT EXISTS dim_indicator (
    indicator_code VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    category    VARCHAR NOT NULL,
    dimensions  VARCHAR NOT NULL,   -- unit dimensions the indicator accepts, '|'-separated
    keywords    VARCHAR,            -- match rules: '|'-separated, A+B = both (tasks/indicators.py)
    exclude     VARCHAR             -- words that keep the indicator from matching
);

-- grain: one row per period label a fact refers to ('2024', '2023-2025', '每年', '' …)
CREATE TABLE IF NOT EXISTS dim_period (
    period_id   VARCHAR PRIMARY KEY,
    start_date  DATE,
    end_date    DATE,
    granularity VARCHAR NOT NULL    -- year, years, rate, relative, unknown
);

-- grain: one row per version of a report file (same file name, new content = new version)
CREATE TABLE IF NOT EXISTS dim_document (
    document_id   VARCHAR PRIMARY KEY,  -- sha256 of file name and content
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,     -- of the raw bytes
    version       INTEGER NOT NULL,
    is_current    BOOLEAN NOT NULL,
    title         VARCHAR,
    encoding      VARCHAR,
    char_count    INTEGER,
    article_count INTEGER,
    normalization_steps VARCHAR,        -- steps that changed the text, ','-separated
    numbers_seen  INTEGER,              -- numeric expressions found by the parser
    run_id        VARCHAR NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    format        VARCHAR,              -- text, html, docx, pdf
    script        VARCHAR,              -- simplified or traditional
    source_text   VARCHAR,              -- the decoded original that source offsets point into
    publisher     VARCHAR,              -- from a source line or masthead (来源：工人日报)
    published_on  DATE,                 -- from a date line near the top
    published_on_source VARCHAR,        -- hints (page meta), date_label (发布时间：…), date_line, url_path, file_properties
    period_anchor_year   INTEGER,       -- the year 今年, 去年, 五年来 were resolved against
    period_anchor_source VARCHAR,       -- published_on, latest_year_in_text when no date is stated, file_properties when no year either
    quality       VARCHAR,              -- passed, warning, rejected (expectations/documents.json)
    quality_checks VARCHAR,             -- the document checks it failed, ','-separated
    damaged_bytes INTEGER               -- bytes of the file that decoded to replacement characters (U+FFFD)
);

-- grain: one row per article of a report version (a newspaper page holds several)
CREATE TABLE IF NOT EXISTS dim_article (
    document_id   VARCHAR NOT NULL,
    article_no    INTEGER NOT NULL,     -- 1, 2, … in reading order; fct_observation.article_no
    headline      VARCHAR,              -- the headline group, lines joined by spaces
    dateline      VARCHAR,              -- 本报讯(记者…) line, if any
    start_offset  INTEGER NOT NULL,     -- in the normalized text
    end_offset    INTEGER NOT NULL,
    region_code   VARCHAR,              -- the article's default region
    opening_year  VARCHAR,              -- a year the article opens with (2024年,…)
    fact_count    INTEGER NOT NULL,
    PRIMARY KEY (document_id, article_no)
);

-- fct_observation (grain: one row per fact statement in one report version) and rejected_observation
-- (grain: one row per (fact, blocking check it failed) of the latest extraction of each document
-- version; re-extracting a document replaces its rows) are created from their one declaration,
-- tasks/fact_schema.py, before this file runs

-- grain: one row per run of ingest-reports
CREATE TABLE IF NOT EXISTS etl_run (
    run_id        VARCHAR PRIMARY KEY,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    inbox         VARCHAR,
    files_new     INTEGER,
    files_unchanged INTEGER,
    files_failed  INTEGER,
    facts_published INTEGER,
    facts_quarantined INTEGER,
    status        VARCHAR NOT NULL,
    is_reprocess  BOOLEAN,              -- --reprocess: every published document re-extracted
    files_reprocessed INTEGER,
    facts_warned  INTEGER,              -- published with has_warning
    documents_rejected INTEGER,         -- failed a blocking document check
    data_docs     VARCHAR               -- Great Expectations Data Docs of the run's validation
);

-- grain: one row per expectation checked by one run
CREATE TABLE IF NOT EXISTS etl_check (
    run_id        VARCHAR NOT NULL,
    suite         VARCHAR NOT NULL,     -- expectations/<suite>.json
    expectation   VARCHAR NOT NULL,
    severity      VARCHAR NOT NULL,     -- blocking or warning
    success       BOOLEAN NOT NULL,
    unexpected_count INTEGER NOT NULL,  -- facts (or documents) that failed it
    description   VARCHAR
);

-- grain: one row per file seen by one run
CREATE TABLE IF NOT EXISTS etl_file (
    run_id        VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,
    sha256        VARCHAR,
    size_bytes    BIGINT,
    status        VARCHAR NOT NULL,     -- new, changed, reprocessed, unchanged, failed
    reason        VARCHAR,              -- why a file failed
    document_id   VARCHAR,
    seen_at       TIMESTAMP NOT NULL
);

-- grain: one row per URL requested by one run (HTTP sources, seeds/sources.yaml)
CREATE TABLE IF NOT EXISTS etl_fetch (
    run_id        VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,     -- report or index
    found_on      VARCHAR,              -- the index page that linked to it
    status        VARCHAR NOT NULL,     -- fetched, not_modified (304), unchanged (same sha256), failed
    http_status   INTEGER,
    file_name     VARCHAR,              -- where the report was written, relative to <inbox>/http/
    sha256        VARCHAR,
    size_bytes    BIGINT,
    etag          VARCHAR,              -- sent back as If-None-Match next time
    last_modified VARCHAR,              -- sent back as If-Modified-Since next time
    attempts      INTEGER,
    reason        VARCHAR,              -- why it failed (HTTP 404, timed out, unexpected content type …)
    fetched_at    TIMESTAMP NOT NULL
);

-- staging: the rows of the current run, before publishing. The run's facts and rejections are staged
-- as views over its stored rows instead (stg_observation, stg_rejected: warehouse/staging/*.sql)
CREATE TABLE IF NOT EXISTS stg_document AS SELECT * FROM dim_document WHERE false;
CREATE TABLE IF NOT EXISTS stg_article AS SELECT * FROM dim_article WHERE false;
CREATE TABLE IF NOT EXISTS stg_period AS SELECT * FROM dim_period WHERE false;

-- the corrections ledger and what it does (warehouse/corrections/*.sql rebuilds them at every publish
-- from corrections.csv beside the warehouse; tasks/corrections/)
CREATE TABLE IF NOT EXISTS fact_correction (
    line_no       INTEGER,              -- of corrections.csv
    fact_key      VARCHAR,              -- <sha256 of the report>:<source_start>-<source_end>
    sha256        VARCHAR,
    source_start  INTEGER,
    source_end    INTEGER,
    field         VARCHAR,              -- value, unit, region_code, … or fact (removed, added, restored)
    old_value     VARCHAR,
    new_value     VARCHAR,
    reason        VARCHAR,
    corrected_by  VARCHAR,
    corrected_at  TIMESTAMP,
    problem       VARCHAR               -- why the row cannot be applied (a malformed key …), else null
);
-- grain: one row per corrected or added fact of a current report, corrections applied
CREATE TABLE IF NOT EXISTS fct_corrected_observation AS
SELECT
    *,
    NULL::VARCHAR AS fact_key,
    NULL::VARCHAR AS fact_change,
    NULL::VARCHAR AS correction_reason,
    NULL::VARCHAR AS corrected_by,
    NULL::TIMESTAMP AS corrected_at,
    NULL::VARCHAR[] AS corrected_fields
FROM fct_observation WHERE false;
-- grain: one row per (corrected fact, blocking check its corrected form failed)
CREATE TABLE IF NOT EXISTS rejected_correction AS
SELECT
    *,
    NULL::VARCHAR AS expectation,
    NULL::VARCHAR AS suite,
    NULL::VARCHAR AS observed_value,
    NULL::TIMESTAMP AS rejected_at
FROM fct_corrected_observation WHERE false;
-- grain: one row per corrected fact: applied, rejected or orphaned
CREATE TABLE IF NOT EXISTS correction_outcome (
    fact_key      VARCHAR,
    status        VARCHAR,
    rejected_by   VARCHAR,              -- the blocking checks the corrected fact failed, ','-separated
    observation_id VARCHAR,
    document_id   VARCHAR
);

-- what each URL's server said the last time it answered: sent back so only changes are downloaded
SELECT url, etag, last_modified, sha256, found_on
FROM etl_fetch
WHERE status <> 'failed'
QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1

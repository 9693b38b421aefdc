-- the current report a figure is added to (`unionfacts correct --add`): by the sha256 of a file's
-- bytes or by its file name; the original text its offsets count in
SELECT document_id, file_name, sha256, source_text
FROM dim_document
WHERE is_current AND (sha256 = $sha256 OR file_name = $file_name)
ORDER BY sha256 = $sha256 DESC
LIMIT 1;

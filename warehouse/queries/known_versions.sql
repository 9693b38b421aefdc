-- (file_name, sha256) of every published document version: files a run need not read again
SELECT file_name, sha256 FROM dim_document

-- Batch payloads are already compressed by the node when that pays (LZ4, see storage/BatchPayloads);
-- what it stores raw does not compress. Keep PostgreSQL from trying again on every insert:
-- out-of-line TOAST storage without compression.
ALTER TABLE batch ALTER COLUMN payload SET STORAGE EXTERNAL;

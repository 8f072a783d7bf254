-- How much of its file a load has read: the bytes through the last line of its last committed chunk, and the file's
-- size, so the runs API can show the share of a long load done while it runs.
ALTER TABLE transform.upsert_progress
    ADD COLUMN bytes_read bigint NOT NULL DEFAULT 0,
    ADD COLUMN file_bytes bigint;

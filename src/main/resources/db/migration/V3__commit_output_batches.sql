-- Exactly-once output: each commit records the batch digests it outputs (32 bytes each, in
-- order), after the consensus skipped batches the committed history already carried. NULL on
-- commits written before this column existed: those output every batch their certificates
-- listed, once per commit.
ALTER TABLE committed_sub_dag ADD COLUMN output_batches BYTEA
    CHECK (output_batches IS NULL OR octet_length(output_batches) % 32 = 0);

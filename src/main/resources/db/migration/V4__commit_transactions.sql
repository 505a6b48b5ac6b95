-- Transaction-level exactly-once output: per commit, the digests of the transactions it outputs
-- (32 bytes each, in order) and of those it left out because the committed output already
-- carried them within the transaction window, plus the running count of output transactions
-- (the window is the last N of them). Written after the commit, in commit order; a commit is
-- published only once its row is here.
CREATE TABLE commit_transactions (
    commit_index BIGINT PRIMARY KEY CHECK (commit_index >= 1),
    output_end   BIGINT NOT NULL CHECK (output_end >= 0),
    output       BYTEA  NOT NULL CHECK (octet_length(output) % 32 = 0),
    skipped      BYTEA  NOT NULL CHECK (octet_length(skipped) % 32 = 0)
);
CREATE INDEX commit_transactions_output_end_idx ON commit_transactions (output_end);

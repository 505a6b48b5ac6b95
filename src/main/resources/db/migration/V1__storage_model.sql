-- Shoal Sequencer storage model (DESIGN.md section 4).
-- Byte strings are the canonical codec encodings (little-endian, u64 length prefixes), so what
-- is stored is exactly what was signed and hashed; columns beside them exist for queries.

-- Certified DAG vertices. Parents and batch digests live inside the canonical header bytes
-- (one source of truth); round/author/commit columns serve the queries.
CREATE TABLE certificate (
    digest          BYTEA       PRIMARY KEY CHECK (octet_length(digest) = 32),
    epoch           BIGINT      NOT NULL CHECK (epoch >= 0),
    round           BIGINT      NOT NULL CHECK (round >= 0),
    author          INTEGER     NOT NULL CHECK (author >= 0),
    header          BYTEA       NOT NULL,
    signer_bitmap   BYTEA       NOT NULL,
    signatures      BYTEA       NOT NULL CHECK (octet_length(signatures) % 64 = 0),
    committed       BOOLEAN     NOT NULL DEFAULT FALSE,
    commit_index    BIGINT      CHECK (commit_index IS NULL OR commit_index >= 1),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT certificate_author_round_unique UNIQUE (author, round),
    CONSTRAINT certificate_commit_mark CHECK (committed = (commit_index IS NOT NULL))
);
CREATE INDEX certificate_round_idx ON certificate (round);
CREATE INDEX certificate_uncommitted_idx ON certificate (round) WHERE NOT committed;
CREATE INDEX certificate_commit_index_idx ON certificate (commit_index) WHERE committed;

-- Worker batches. payload is the compressed canonical batch; certificate_digest links the
-- batch to the (first) certificate whose header references it, NULL while unreferenced.
CREATE TABLE batch (
    digest             BYTEA       PRIMARY KEY CHECK (octet_length(digest) = 32),
    author             INTEGER     NOT NULL CHECK (author >= 0),
    worker             INTEGER     NOT NULL CHECK (worker >= 0),
    transaction_count  INTEGER     NOT NULL CHECK (transaction_count >= 0),
    size_bytes         BIGINT      NOT NULL CHECK (size_bytes >= 0),
    codec              TEXT        NOT NULL,
    payload            BYTEA       NOT NULL,
    certificate_digest BYTEA       CHECK (certificate_digest IS NULL OR octet_length(certificate_digest) = 32),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX batch_author_idx ON batch (author);
CREATE INDEX batch_unreferenced_idx ON batch (created_at) WHERE certificate_digest IS NULL;
CREATE INDEX batch_certificate_idx ON batch (certificate_digest) WHERE certificate_digest IS NOT NULL;

-- Safety rule 1: the header this validator proposed for a round, persisted before it is sent
-- and re-sent unchanged after a restart.
CREATE TABLE own_header (
    author        INTEGER     NOT NULL CHECK (author >= 0),
    round         BIGINT      NOT NULL CHECK (round >= 0),
    header_digest BYTEA       NOT NULL CHECK (octet_length(header_digest) = 32),
    header        BYTEA       NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (author, round)
);

-- Safety rule 2: the one header this validator voted for per (author, round).
CREATE TABLE vote_record (
    author        INTEGER     NOT NULL CHECK (author >= 0),
    round         BIGINT      NOT NULL CHECK (round >= 0),
    header_digest BYTEA       NOT NULL CHECK (octet_length(header_digest) = 32),
    voted_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (author, round)
);

-- Safety rule 4: the commit log, gap-free from 1, written in one transaction with the
-- certificates' commit marks before anything is published.
CREATE TABLE committed_sub_dag (
    commit_index          BIGINT      PRIMARY KEY CHECK (commit_index >= 1),
    anchor_digest         BYTEA       NOT NULL CHECK (octet_length(anchor_digest) = 32),
    anchor_round          BIGINT      NOT NULL CHECK (anchor_round >= 0),
    anchor_author         INTEGER     NOT NULL CHECK (anchor_author >= 0),
    certificate_count     INTEGER     NOT NULL CHECK (certificate_count >= 1),
    certificate_digests   BYTEA       NOT NULL CHECK (octet_length(certificate_digests) = 32 * certificate_count),
    last_committed_rounds BYTEA       NOT NULL,
    reputation_inputs     BYTEA       NOT NULL,
    committed_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX committed_sub_dag_anchor_idx ON committed_sub_dag (anchor_digest);

-- Compressed, checksummed checkpoints of DAG window, consensus and reputation state.
CREATE TABLE checkpoint (
    round             BIGINT      PRIMARY KEY CHECK (round >= 0),
    format_version    INTEGER     NOT NULL CHECK (format_version >= 1),
    codec             TEXT        NOT NULL,
    payload           BYTEA       NOT NULL,
    checksum          BYTEA       NOT NULL,
    uncompressed_size BIGINT      NOT NULL CHECK (uncompressed_size >= 0),
    compressed_size   BIGINT      NOT NULL CHECK (compressed_size >= 0),
    certificate_count INTEGER     NOT NULL CHECK (certificate_count >= 0),
    commit_index      BIGINT      NOT NULL CHECK (commit_index >= 0),
    gc_round          BIGINT      NOT NULL CHECK (gc_round >= 0),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row, id = 'current': the node's consensus progress and totals.
CREATE TABLE consensus_metadata (
    id                      TEXT        PRIMARY KEY CHECK (id = 'current'),
    committee_epoch         BIGINT      NOT NULL DEFAULT 0,
    current_round           BIGINT      NOT NULL DEFAULT 0,
    highest_committed_round BIGINT      NOT NULL DEFAULT 0,
    last_anchor_round       BIGINT      NOT NULL DEFAULT 0,
    last_commit_index       BIGINT      NOT NULL DEFAULT 0,
    total_certificates      BIGINT      NOT NULL DEFAULT 0,
    total_batches           BIGINT      NOT NULL DEFAULT 0,
    total_transactions      BIGINT      NOT NULL DEFAULT 0,
    total_commits           BIGINT      NOT NULL DEFAULT 0,
    last_checkpoint_round   BIGINT,
    last_checkpoint_at      TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO consensus_metadata (id) VALUES ('current');

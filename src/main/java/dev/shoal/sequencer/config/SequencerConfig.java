package dev.shoal.sequencer.config;

import dev.shoal.sequencer.config.devdb.DevDatabaseBootstrap;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every {@code sequencer.*} setting of the service (docs/configuration.md lists them): the node's
 * identity and files, health checks and the dev database, then the engine's storage, group-commit
 * pipeline, batching, consensus timing, checkpoints, recovery, API, network and sync. All are
 * runtime settings: each can be overridden from the environment, e.g. {@code sequencer.data-dir}
 * as {@code SEQUENCER_DATA_DIR} and {@code sequencer.pipeline.max-group-records} as
 * {@code SEQUENCER_PIPELINE_MAX_GROUP_RECORDS}.
 */
@ConfigMapping(prefix = "sequencer")
public interface SequencerConfig {

    /** Directory for the node's own files (the generated validator key); {@code ./data} in dev and test, {@code /var/lib/shoal} in prod. */
    @WithDefault("./data")
    Path dataDir();

    /** Committee file (JSON: epoch and validators with name, publicKey hex, stake, address); absent = run as a one-validator committee. */
    Optional<Path> committeeFile();

    /** Epoch of the default one-validator committee (a committee file carries its own epoch). */
    @WithDefault("0")
    long epoch();

    /** This validator's identity. */
    Validator validator();

    /** Health checks. */
    Health health();

    /** How dev mode finds a PostgreSQL when no datasource URL is configured (never used in prod). */
    DevDatabase devDatabase();

    /** This validator's name and key. */
    interface Validator {
        /** Name of this validator in the default one-validator committee (with a committee file the file's name for our key wins). */
        @WithDefault("validator-0")
        String name();

        /** Ed25519 secret key file (64 hex characters, permissions 0600); default {@code <data-dir>/validator.key}, generated there on first start when missing. */
        Optional<Path> keyFile();

        /** Ed25519 secret key as 64 hex characters, normally from the environment (SEQUENCER_VALIDATOR_KEY, e.g. from a Kubernetes Secret); takes precedence over the key file. */
        @WithName("key")
        Optional<String> keyHex();
    }

    /** Health check settings. */
    interface Health {
        /** How long the readiness check waits for the database to answer {@code SELECT 1} before reporting DOWN. */
        @WithDefault("2s")
        Duration databaseTimeout();
    }

    /** Zero-setup database of dev mode. */
    interface DevDatabase {
        /** {@code auto}: local PostgreSQL at 127.0.0.1:5432, else an embedded one; {@code local}: local only; {@code embedded}: embedded only. */
        @WithDefault("auto")
        DevDatabaseBootstrap.Mode mode();
    }


    Storage storage();

    Pipeline pipeline();

    Batch batch();

    Consensus consensus();

    Checkpoint checkpoint();

    Retention retention();

    Recovery recovery();

    Api api();

    Network network();

    Sync sync();

    /** Where the node keeps its state. */
    interface Storage {
        /** {@code postgresql} (durable; the default) or {@code memory} (nothing survives a restart: benchmarks' baseline only). */
        @WithDefault("postgresql")
        String kind();

        /**
         * Payload bytes of recently written batches PostgreSQL readers are served from memory (the
         * commit stream, peers fetching fresh batches); 0 disables.
         */
        @WithDefault("67108864")
        long batchCacheBytes();
    }

    /** The group-commit persistence pipeline. */
    interface Pipeline {
        /** Flush a group as soon as this many records wait. */
        @WithDefault("2000")
        int maxGroupRecords();

        /** Flush at the latest this long after the first waiting record. */
        @WithDefault("2ms")
        Duration flushInterval();

        /** Records that may wait to be written; beyond it the consensus loop waits and clients get 503. */
        @WithDefault("100000")
        int capacity();

        /** First retry delay after a failed database write (doubles up to max-backoff). */
        @WithDefault("50ms")
        Duration minBackoff();

        /** Longest retry delay after failed database writes. */
        @WithDefault("5s")
        Duration maxBackoff();
    }

    /** The worker's batching of client transactions. */
    interface Batch {
        /** Seal a batch at this many transactions. */
        @WithDefault("1000")
        int maxTransactions();

        /** Seal a batch at this many payload bytes. */
        @WithDefault("524288")
        long maxBytes();

        /** Seal a non-empty batch at the latest this long after its first transaction. */
        @WithDefault("10ms")
        Duration maxDelay();

        /** Transactions accepted but not yet durable; beyond it POST /transactions answers 503. */
        @WithDefault("200000")
        int maxPendingTransactions();

        /**
         * Transactions this validator acknowledged that the committee has not yet ordered; beyond it
         * POST /transactions answers 503 overloaded. Over the validator's share of the ordered rate,
         * it bounds the queueing delay of what is admitted when clients offer more than the committee orders.
         */
        @WithDefault("10000")
        int maxUnorderedTransactions();

        /** Recent transaction digests remembered so a resubmitted payload is not packed twice. */
        @WithDefault("1000000")
        int dedupWindow();
    }

    /** Consensus timing and limits. */
    interface Consensus {
        /** Rounds kept in memory below the last committed round. */
        @WithDefault("50")
        long gcDepth();

        /** Commits between leader-reputation updates. */
        @WithDefault("10")
        int reputationUpdatePeriod();

        /** How long to wait for a round's leader before advancing without it. */
        @WithDefault("1s")
        Duration roundTimeout();

        /** Period of re-sending our uncertified header and re-requesting missing parents. */
        @WithDefault("500ms")
        Duration resendInterval();

        /** Most batch digests in one header. */
        @WithDefault("100")
        int maxBatchesPerHeader();

        /** Least time between two of our headers unless a header's worth of batches waits (paces empty rounds). */
        @WithDefault("50ms")
        Duration minHeaderInterval();

        /**
         * Least time between two of our headers while there is nothing to order: no batch waits
         * and no peer is a round ahead. Work ends the wait at once. Each empty round costs the
         * database about 1.2 KB for a validator of its own, about 4 KB in a committee of four;
         * at least min-header-interval.
         */
        @WithDefault("10s")
        Duration idleHeaderInterval();

        /** Period at which the loop feeds the clock to the core. */
        @WithDefault("10ms")
        Duration tick();

        /**
         * Transaction-level exactly-once output: a transaction the committed output carried within
         * the last this many transactions is not output again. Must be equal on every validator.
         */
        @WithDefault("1000000")
        int transactionWindow();
    }

    /** Checkpoints of DAG, consensus and reputation state. */
    interface Checkpoint {
        /** Take a checkpoint every this many rounds of progress (0 disables the round trigger). */
        @WithDefault("100")
        long everyRounds();

        /** Take a checkpoint at least this often while rounds advance. */
        @WithDefault("60s")
        Duration interval();

        /** Checkpoints kept; older ones are deleted. */
        @WithDefault("5")
        int keep();

        /** Compression of checkpoint bodies: zstd, lz4, deflate or none. */
        @WithDefault("zstd")
        String codec();

        /** Largest checkpoint body accepted when loading (guards against corrupt lengths). */
        @WithDefault("1073741824")
        long maxBodyBytes();
    }

    /**
     * How much history the node keeps (docs/storage.md, "Retention"). Unless archive is on, after
     * each checkpoint the node deletes the commits beyond either limit (older than keep-duration,
     * or more than keep-commits behind the last) with their certificates, batches, own headers,
     * votes and transaction rows, never above what the oldest kept checkpoint needs.
     */
    interface Retention {
        /** Keep every record forever: an archive node (FROM_SCRATCH recovery and every read stay possible). */
        @WithDefault("false")
        boolean archive();

        /** Commits older than this (by this node's commit time) are pruned; 0 sets no time limit. */
        @WithDefault("7d")
        Duration keepDuration();

        /** Commits more than this many behind the last are pruned; 0 sets no count limit. */
        @WithDefault("0")
        long keepCommits();

        /**
         * When the PostgreSQL server's autovacuum is off, the node vacuums its own tables at most
         * this often (after a checkpoint), so that pruned and updated rows' space is reused; 0 never.
         */
        @WithDefault("10m")
        Duration vacuumInterval();
    }

    /** Start-up recovery. */
    interface Recovery {
        /** FROM_SCRATCH, FROM_CHECKPOINT or HYBRID (checkpoint, falling back to a full rebuild). */
        @WithDefault("HYBRID")
        String strategy();

        /** Certificates read per page while streaming from the database. */
        @WithDefault("5000")
        int pageSize();
    }

    /** Client API limits and the commit stream's timing. */
    interface Api {
        /** Most transactions in one POST /transactions. */
        @WithDefault("10000")
        int maxTransactionsPerRequest();

        /** Largest decoded transaction payload in bytes. */
        @WithDefault("1048576")
        int maxTransactionBytes();

        /** Largest page of GET /commits, /certificates and /batches. */
        @WithDefault("1000")
        int maxPageSize();

        /** How long the commit stream asks a disconnected EventSource client to wait before it reconnects (its retry field). */
        @WithDefault("2s")
        Duration streamRetryDelay();

        /** Interval of the comment lines the commit stream sends so that proxies do not close it while it has no commit to send. */
        @WithDefault("15s")
        Duration streamHeartbeatInterval();
    }

    /** The peer endpoint and the connections to the other validators of the committee file. */
    interface Network {
        /** Interface the peer endpoint binds to. */
        @WithDefault("0.0.0.0")
        String listenHost();

        /** Peer port; 0 = the port of this validator's address in the committee file. */
        @WithDefault("0")
        int port();

        /** Largest peer frame accepted or sent, in bytes (a batch must fit in one). */
        @WithDefault("16777216")
        int maxFrameBytes();

        /** Messages queued for one peer before the oldest are dropped (consensus re-sends; batches are fetched on demand). */
        @WithDefault("10000")
        int queueCapacity();

        /** Bytes queued for one peer before the oldest messages are dropped. */
        @WithDefault("134217728")
        long queueBytes();

        /** First delay before reconnecting to a peer; doubles per failure. */
        @WithDefault("100ms")
        Duration minBackoff();

        /** Longest delay between reconnection attempts. */
        @WithDefault("5s")
        Duration maxBackoff();

        /** Time a new connection has to complete the authenticated handshake. */
        @WithDefault("5s")
        Duration handshakeTimeout();
    }

    /** Fetching what a validator is missing from its peers: batches, parents, whole round ranges. */
    interface Sync {
        /** Most rounds of certificates in one range response. */
        @WithDefault("20")
        int maxRoundsPerResponse();

        /** Most batches in one batch response (also bounded by the frame size). */
        @WithDefault("64")
        int maxBatchesPerResponse();

        /** A validator this many rounds behind the highest round it has seen from peers asks for round ranges. */
        @WithDefault("10")
        long catchUpLagRounds();

        /**
         * Rounds below our DAG's highest round whose certificates stay in memory to answer peers' parent
         * requests by digest; older ones are served only by range sync, from the database.
         */
        @WithDefault("1000")
        long retentionRounds();

        /** How long a batch or range request waits for its answer before it is asked of another peer. */
        @WithDefault("2s")
        Duration requestTimeout();

        /** Bytes of pushed batches one peer may have stored here before a certificate names them; beyond it its pushes are refused. */
        @WithDefault("268435456")
        long maxUnreferencedBytesPerPeer();

        /**
         * When a validator with an empty database joins from a peer's checkpoint (f+1 peers vouching for
         * its consensus state) instead of syncing every round from genesis: when-pruned (only when peers
         * no longer hold the history), always, or never.
         */
        @WithDefault("when-pruned")
        String joinFromCheckpoint();

        /** How long a joining validator waits for its peers' checkpoint offers, and for vouches for one offer. */
        @WithDefault("10s")
        Duration joinTimeout();
    }
}

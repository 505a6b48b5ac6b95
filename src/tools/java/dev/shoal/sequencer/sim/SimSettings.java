package dev.shoal.sequencer.sim;

/**
 * One simulated run: committee size, faults and the network model. All times are simulated
 * milliseconds.
 *
 * @param seed             seeds every random choice of the run (keys, delays, drops, faults)
 * @param validators       committee size n (equal stakes)
 * @param byzantine        Byzantine validators (at most f = (n-1)/3)
 * @param crashes          crash-and-restart events of honest validators, all before stabilisation
 * @param rounds           the target: every honest node must commit an anchor of at least this round
 * @param minDelayMs       smallest one-way delay
 * @param maxDelayMs       largest one-way delay before stabilisation
 * @param stableMaxDelayMs largest one-way delay after stabilisation (GST)
 * @param dropPercent      chance that a transmission is lost before GST; the link retransmits it
 * @param retransmitMs     link retransmission timeout
 * @param maxGstMs         GST is drawn uniformly from [500, 500 + maxGstMs); crashes happen before it
 * @param maxDowntimeMs    a crashed validator restarts after [100, 100 + maxDowntimeMs) ms
 * @param wipes            of the crashes, how many also lose the validator's records (its database is
 *                         emptied; it restarts with the same key and must not equivocate)
 * @param idleIntervalMs   the validators' idle header interval (0: no idle pacing)
 * @param busyPhaseMs      with {@code idlePhaseMs}, the load pattern: batches arrive for this long,
 *                         then none for {@code idlePhaseMs}, and again (busy first, from time 0)
 * @param idlePhaseMs      0: batches arrive all the time
 * @param absent           honest validators that never start (crashed for the whole run, as in the
 *                         papers' runs with failures); with the Byzantine ones at most f
 * @param reputationPeriod commits between leader-reputation updates ({@link Integer#MAX_VALUE}: the
 *                         round-robin schedule never changes, no reputation)
 * @param startWithoutRecords every validator starts as the service does on an empty database (a
 *                         first start cannot be told from a lost database): without records,
 *                         abstaining until its safe-round probe is answered, at a random time
 * @param departures       of the crashes, how many never restart (the validator is gone for the rest
 *                         of the run, as a pod that does not come back); the committee must go on
 *                         without it
 */
public record SimSettings(long seed, int validators, int byzantine, int crashes, int rounds,
                        long minDelayMs, long maxDelayMs, long stableMaxDelayMs, int dropPercent, long retransmitMs,
                        int maxGstMs, int maxDowntimeMs, int wipes, long idleIntervalMs, long busyPhaseMs,
                        long idlePhaseMs, int absent, int reputationPeriod, boolean startWithoutRecords, int departures) {
    public SimSettings {
        if (validators < 1) throw new IllegalArgumentException("--validators must be at least 1");
        if (byzantine < 0 || byzantine > (validators - 1) / 3) {
            throw new IllegalArgumentException("--byzantine must be between 0 and f = (n-1)/3 = " + (validators - 1) / 3
                    + " for n = " + validators + ", got " + byzantine);
        }
        if (crashes < 0) throw new IllegalArgumentException("--crashes must be non-negative");
        if (crashes > 0 && byzantine == validators) throw new IllegalArgumentException("no honest validator to crash");
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be at least 1");
        if (minDelayMs < 0 || maxDelayMs < minDelayMs || stableMaxDelayMs < minDelayMs) {
            throw new IllegalArgumentException("delays must satisfy 0 <= min <= max");
        }
        if (dropPercent < 0 || dropPercent > 90) throw new IllegalArgumentException("drop percent must be in 0..90");
        if (maxGstMs < 1 || maxDowntimeMs < 1) throw new IllegalArgumentException("--max-gst and --max-downtime must be positive");
        if (idleIntervalMs < 0) throw new IllegalArgumentException("--idle-interval must be non-negative");
        if (idlePhaseMs < 0 || busyPhaseMs < 0 || (idlePhaseMs > 0 && busyPhaseMs == 0)) {
            throw new IllegalArgumentException("--load-phases BUSY:IDLE needs BUSY > 0 and IDLE >= 0");
        }
        if (absent < 0 || byzantine + absent > (validators - 1) / 3) {
            throw new IllegalArgumentException("--absent plus --byzantine must be at most f = (n-1)/3 = " + (validators - 1) / 3
                    + " for n = " + validators + ", got " + absent + " absent");
        }
        if (reputationPeriod < 1) throw new IllegalArgumentException("--reputation-period must be at least 1");
        // Every member of a new committee abstains until its probe is answered, and through the round
        // after the answer: one answered late counts against f for those rounds, and with f Byzantine
        // validators withholding their votes the committee cannot certify that round (docs/safety.md).
        if (startWithoutRecords && byzantine > 0) {
            throw new IllegalArgumentException("--start-without-records runs without Byzantine validators: a member whose"
                    + " safe-round probe is answered late counts against f until the committee certifies past it");
        }
        if (departures < 0 || departures > crashes) {
            throw new IllegalArgumentException("--departures must be between 0 and --crashes, got " + departures);
        }
        if (byzantine + absent + departures + wipes > (validators - 1) / 3 && departures > 0) {
            throw new IllegalArgumentException("--departures plus --wipes plus --absent plus --byzantine must be at most f = (n-1)/3 = "
                    + (validators - 1) / 3 + " for n = " + validators + ": a wiped validator counts against f while it abstains");
        }
        if (byzantine + absent + departures > (validators - 1) / 3) {
            throw new IllegalArgumentException("--departures plus --absent plus --byzantine must be at most f = (n-1)/3 = "
                    + (validators - 1) / 3 + " for n = " + validators);
        }
        if (wipes < 0 || wipes > crashes) throw new IllegalArgumentException("--wipes must be between 0 and --crashes, got " + wipes);
        // A validator that lost its records sits out the rounds it may have used: until the committee
        // certifies past them it counts against f, so Byzantine validators and wipes share the budget.
        if (wipes > 0 && byzantine + wipes > (validators - 1) / 3) {
            throw new IllegalArgumentException("--byzantine plus --wipes must be at most f = (n-1)/3 = " + (validators - 1) / 3
                    + ": a wiped validator counts against f until the committee certifies past the rounds it may have used");
        }
    }

    /** The default network model with the given run shape. */
    public static SimSettings of(long seed, int validators, int byzantine, int crashes, int rounds) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, 1, 120, 30, 10, 150, 2_500, 1_500, 0, 0, 0, 0, 0,
                dev.shoal.sequencer.core.consensus.ConsensusConfig.DEFAULT_REPUTATION_UPDATE_PERIOD, false, 0);
    }

    /** The same run with another GST range and crash downtime. */
    public SimSettings withTiming(int gstMs, int downtimeMs) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs,
                dropPercent, retransmitMs, gstMs, downtimeMs, wipes, idleIntervalMs, busyPhaseMs, idlePhaseMs, absent, reputationPeriod, startWithoutRecords, departures);
    }

    /** The same run where the first {@code count} crashes also empty the validator's database. */
    public SimSettings withWipes(int count) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs,
                dropPercent, retransmitMs, maxGstMs, maxDowntimeMs, count, idleIntervalMs, busyPhaseMs, idlePhaseMs, absent, reputationPeriod, startWithoutRecords, departures);
    }

    /** The same run with this idle header interval on every validator (0: none). */
    public SimSettings withIdleInterval(long ms) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs,
                dropPercent, retransmitMs, maxGstMs, maxDowntimeMs, wipes, ms, busyPhaseMs, idlePhaseMs, absent, reputationPeriod, startWithoutRecords, departures);
    }

    /** The same run with batches for {@code busyMs}, none for {@code idleMs}, and again (idleMs 0: steady). */
    public SimSettings withLoadPhases(long busyMs, long idleMs) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs,
                dropPercent, retransmitMs, maxGstMs, maxDowntimeMs, wipes, idleIntervalMs, busyMs, idleMs, absent, reputationPeriod, startWithoutRecords, departures);
    }

    /**
     * The same run on a network where every message takes exactly {@code ms} (no loss, stable from
     * the start): latencies divided by it are message delays, the papers' unit.
     */
    public SimSettings withFixedDelay(long ms) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, ms, ms, ms, 0, retransmitMs, 1, maxDowntimeMs, wipes,
                idleIntervalMs, busyPhaseMs, idlePhaseMs, absent, reputationPeriod, startWithoutRecords, departures);
    }

    /** The same run with {@code count} honest validators down from the start to the end. */
    public SimSettings withAbsent(int count) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs, dropPercent,
                retransmitMs, maxGstMs, maxDowntimeMs, wipes, idleIntervalMs, busyPhaseMs, idlePhaseMs, count, reputationPeriod, startWithoutRecords, departures);
    }

    /** The same run with this leader-reputation update period. */
    public SimSettings withReputationPeriod(int commits) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs, dropPercent,
                retransmitMs, maxGstMs, maxDowntimeMs, wipes, idleIntervalMs, busyPhaseMs, idlePhaseMs, absent, commits, startWithoutRecords, departures);
    }

    /** The same run with every validator starting without records (rule 8 at genesis). */
    public SimSettings withStartWithoutRecords(boolean on) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs, dropPercent,
                retransmitMs, maxGstMs, maxDowntimeMs, wipes, idleIntervalMs, busyPhaseMs, idlePhaseMs, absent, reputationPeriod, on, departures);
    }

    /** The same run where the last {@code count} crashes never restart. */
    public SimSettings withDepartures(int count) {
        return new SimSettings(seed, validators, byzantine, crashes, rounds, minDelayMs, maxDelayMs, stableMaxDelayMs, dropPercent,
                retransmitMs, maxGstMs, maxDowntimeMs, wipes, idleIntervalMs, busyPhaseMs, idlePhaseMs, absent, reputationPeriod,
                startWithoutRecords, count);
    }

    /** A fixed-delay network: latencies can be counted in message delays. */
    boolean fixedDelay() {
        return minDelayMs > 0 && minDelayMs == maxDelayMs && maxDelayMs == stableMaxDelayMs && dropPercent == 0;
    }

    /** True when no batch arrives at time {@code t}. */
    boolean idlePhaseAt(long t) {
        return idlePhaseMs > 0 && t % (busyPhaseMs + idlePhaseMs) >= busyPhaseMs;
    }

    /** Start of the busy phase after time {@code t}. */
    long nextBusyPhase(long t) {
        long period = busyPhaseMs + idlePhaseMs;
        return (t / period + 1) * period;
    }
}

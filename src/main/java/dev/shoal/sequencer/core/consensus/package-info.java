/**
 * Ordering over the certified DAG: the Bullshark commit rule with Shoal pipelining and leader
 * reputation ({@link dev.shoal.sequencer.core.consensus.Consensus}), the deterministic
 * {@link dev.shoal.sequencer.core.consensus.LeaderSchedule}, the
 * {@link dev.shoal.sequencer.core.consensus.ReputationState} derived from the committed prefix, and the
 * outputs and state as immutable, canonically encoded data
 * ({@link dev.shoal.sequencer.core.consensus.CommittedSubDag},
 * {@link dev.shoal.sequencer.core.consensus.ConsensusState}).
 *
 * <p>Driving loop (what the validator and recovery do): for each certificate that passed
 * {@code Committee.checkCertificate} (recovery may skip that for data it validated before),
 * {@code dag.insert(c)}; for each certificate the outcome reports as inserted, in order,
 * {@code consensus.process(it)}; then {@code dag.gc(consensus.lastCommittedRound())} and process
 * whatever that released. Commit indexes start at 1.
 */
package dev.shoal.sequencer.core.consensus;

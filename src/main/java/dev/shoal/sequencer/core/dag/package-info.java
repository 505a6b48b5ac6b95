/**
 * The certified DAG of one committee (Narwhal): {@link dev.shoal.sequencer.core.dag.Dag} holds
 * certificates after structural checks, keeps those with missing parents in a bounded pending set,
 * answers lookups, path and support queries, and garbage-collects old rounds. Signatures are checked
 * by the caller ({@code Committee.checkCertificate}) before insertion. Pure Java, no I/O, no clock.
 */
package dev.shoal.sequencer.core.dag;

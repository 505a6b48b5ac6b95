package dev.shoal.sequencer.net;

/**
 * A snapshot of the link to one other committee member.
 *
 * @param index            committee index of the peer
 * @param name             its name in the committee
 * @param address          its peer address "host:port"
 * @param connected        our outbound connection to it is authenticated and open
 * @param inboundConnected it holds an authenticated connection to us
 * @param queuedMessages   messages waiting to be written to it
 * @param queuedBytes      bytes of those messages
 * @param sent             messages written to it
 * @param dropped          messages dropped for it (queue overflow, or too large for a frame)
 * @param reconnects       connection attempts after the first one
 */
public record PeerStatus(int index, String name, String address, boolean connected, boolean inboundConnected,
                         int queuedMessages, long queuedBytes, long sent, long dropped, long reconnects) {}

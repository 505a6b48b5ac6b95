/**
 * The authenticated peer transport between the validators of a committee, over Vert.x TCP.
 *
 * <h2>Connections</h2>
 * Each validator writes on its OWN outbound connection to each peer ({@link dev.shoal.sequencer.net.OutboundLink})
 * and reads on the connections the peers opened to it ({@link dev.shoal.sequencer.net.InboundConnection}):
 * two TCP connections per pair, each carrying data in one direction, so there is no tie-breaking between
 * simultaneous dials. An outbound link reconnects with exponential backoff and jitter; its queue is bounded
 * and drops the oldest messages when full, so a slow or absent peer never blocks the consensus loop.
 *
 * <h2>Framing</h2>
 * Every frame is {@code u32le length | payload | trailer}. Handshake frames have no trailer and at most
 * 256 bytes; after the handshake the trailer is a 32-byte MAC and the payload at most {@code maxFrameBytes}.
 * A longer length prefix is refused as soon as its four bytes arrive, before anything is buffered.
 *
 * <h2>Handshake</h2>
 * <ol>
 *   <li>client &rarr; server {@code Hello}: magic "SHOALNET", protocol version (u32), committee epoch (u64),
 *       client index (u32), intended server index (u32), client ephemeral X25519 key (32), nonce (32).</li>
 *   <li>server &rarr; client {@code ServerAuth}: server ephemeral X25519 key (32), server nonce (32), and the
 *       server's Ed25519 committee signature (64) over
 *       {@code SHA-256("shoal-net/v1 server-auth" 0x00 || Hello || serverKey || serverNonce)}.</li>
 *   <li>client &rarr; server {@code ClientAuth}: the client's Ed25519 committee signature (64) over
 *       {@code T = SHA-256("shoal-net/v1 client-auth" 0x00 || Hello || ServerAuth)}.</li>
 *   <li>server &rarr; client {@code Accept}: {@code HKDF-SHA256(ikm = X25519 shared secret, salt = T,
 *       info = "shoal-net/v1 server accept")}, proving the server verified the client and holds the keys.</li>
 * </ol>
 * Both sides check the other's signature against the committee's pinned key of the index it claims (the
 * server: the Hello's client index; the client: the index it dialled). The server refuses a wrong magic,
 * version or epoch, a Hello meant for another index, an index that is not another committee member, a bad
 * signature, a degenerate X25519 key, and a handshake not finished within {@code handshakeTimeout}: it
 * closes the connection and counts {@code rejected{reason=handshake}}. The client writes nothing but
 * handshake frames until it has the Accept. Fresh ephemeral keys and nonces on both sides make every
 * transcript, and so every signature and key, unique to one connection.
 *
 * <h2>Data frames</h2>
 * After the handshake the client sends {@code u32le length | payload | HMAC-SHA256(K, u64le(seq) || payload)}
 * with {@code K = HKDF-SHA256(ikm = shared secret, salt = T, info = "shoal-net/v1 client-to-server frames")}
 * and {@code seq} counting from 0 on the connection (implicit, never sent). A frame that is tampered,
 * replayed, reordered or dropped-then-resent fails its MAC: the server closes the connection and counts
 * {@code rejected{reason=mac}}. Only the two committee members hold K, so every delivered message comes from
 * the authenticated index passed to the {@link dev.shoal.sequencer.net.InboundHandler}. Payloads are not
 * encrypted: consensus data is public to the committee, authenticity is what matters. A payload that does
 * not decode ({@link dev.shoal.sequencer.net.WireCodec}) counts {@code rejected{reason=malformed}} and closes.
 */
package dev.shoal.sequencer.net;

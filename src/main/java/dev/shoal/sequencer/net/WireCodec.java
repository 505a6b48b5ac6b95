package dev.shoal.sequencer.net;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.CodecLimits;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Message;
import java.util.List;

/**
 * The canonical encoding of a {@link PeerMessage}: a one-byte tag, then the fields in the core's
 * canonical layout (little-endian, u64 length prefixes). Decoding consumes the whole buffer and
 * fails only with {@link CodecException}: unknown tag, truncation, trailing bytes, a list longer
 * than the limits or than the bytes left could hold.
 */
public final class WireCodec {
    static final int TAG_HEADER = 1;
    static final int TAG_VOTE = 2;
    static final int TAG_CERTIFICATE = 3;
    static final int TAG_CERTIFICATE_REQUEST = 4;
    static final int TAG_BATCH_PUSH = 5;
    static final int TAG_BATCH_REQUEST = 6;
    static final int TAG_BATCH_RESPONSE = 7;
    static final int TAG_RANGE_REQUEST = 8;
    static final int TAG_RANGE_RESPONSE = 9;
    static final int TAG_CHECKPOINT_REQUEST = 10;
    static final int TAG_CHECKPOINT_OFFER = 11;
    static final int TAG_STATE_REQUEST = 12;
    static final int TAG_STATE_VOUCH = 13;
    static final int TAG_WINDOW_REQUEST = 14;
    static final int TAG_WINDOW_PAGE = 15;
    static final int TAG_SAFE_ROUND_REQUEST = 16;
    static final int TAG_SAFE_ROUND_ANSWER = 17;

    /** Smallest encodings, so a list count is checked against the bytes left before allocating. */
    private static final int MIN_BATCH = 4 + 4 + 8;
    private static final int MIN_HEADER = 8 + 8 + 4 + 8 + 8 + 8;
    private static final int MIN_CERTIFICATE = MIN_HEADER + 8 + 8;

    private final CodecLimits limits;

    public WireCodec(CodecLimits limits) {
        this.limits = limits;
    }

    /** Limits for frames of at most {@code maxFrameBytes}: no byte string can be longer than the frame. */
    public static WireCodec forFrameSize(int maxFrameBytes) {
        return new WireCodec(new CodecLimits(Math.min(maxFrameBytes, CodecLimits.DEFAULT.maxBytesLength()),
                CodecLimits.DEFAULT.maxListLength()));
    }

    public byte[] encode(PeerMessage message) {
        CanonicalWriter out = new CanonicalWriter(256);
        if (message instanceof PeerMessage.Consensus c) {
            encodeConsensus(out, c.message());
        } else if (message instanceof PeerMessage.BatchPush p) {
            out.u8(TAG_BATCH_PUSH);
            p.batch().encode(out);
        } else if (message instanceof PeerMessage.BatchRequest r) {
            out.u8(TAG_BATCH_REQUEST);
            out.list(r.digests(), (w, d) -> d.encode(w));
        } else if (message instanceof PeerMessage.BatchResponse r) {
            out.u8(TAG_BATCH_RESPONSE);
            out.list(r.batches(), (w, b) -> b.encode(w));
        } else if (message instanceof PeerMessage.RangeRequest r) {
            out.u8(TAG_RANGE_REQUEST);
            out.u64(r.fromRound()).u32(r.maxRounds());
        } else if (message instanceof PeerMessage.RangeResponse r) {
            out.u8(TAG_RANGE_RESPONSE);
            out.u64(r.fromRound()).u64(r.toRoundExclusive()).u64(r.highestRound());
            out.list(r.certificates(), (w, c) -> c.encode(w));
        } else if (message instanceof PeerMessage.CheckpointRequest) {
            out.u8(TAG_CHECKPOINT_REQUEST);
        } else if (message instanceof PeerMessage.CheckpointOffer o) {
            out.u8(TAG_CHECKPOINT_OFFER);
            out.u64(o.lowestRound()).u64(o.highestRound()).bytes(o.checkpoint());
        } else if (message instanceof PeerMessage.StateRequest r) {
            out.u8(TAG_STATE_REQUEST);
            out.u64(r.commitIndex());
        } else if (message instanceof PeerMessage.StateVouch v) {
            out.u8(TAG_STATE_VOUCH);
            out.u64(v.commitIndex());
            out.u8(v.stateDigest().isPresent() ? 1 : 0);
            v.stateDigest().ifPresent(d -> d.encode(out));
        } else if (message instanceof PeerMessage.WindowRequest r) {
            out.u8(TAG_WINDOW_REQUEST);
            out.u64(r.commitIndex()).u64(r.fromPosition()).u32(r.maxEntries());
        } else if (message instanceof PeerMessage.WindowPage p) {
            out.u8(TAG_WINDOW_PAGE);
            out.u64(p.commitIndex()).bool(p.available()).u64(p.outputEnd()).u64(p.windowStart()).u64(p.firstPosition());
            out.list(p.entries(), (w, e) -> {
                w.u64(e.commitIndex());
                e.digest().encode(w);
            });
        } else if (message instanceof PeerMessage.SafeRoundRequest) {
            out.u8(TAG_SAFE_ROUND_REQUEST);
        } else if (message instanceof PeerMessage.SafeRoundAnswer a) {
            out.u8(TAG_SAFE_ROUND_ANSWER);
            out.u8(a.highest().isPresent() ? 1 : 0);
            a.highest().ifPresent(c -> c.encode(out));
        } else {
            throw new IllegalArgumentException("unknown peer message " + message);
        }
        return out.toByteArray();
    }

    private static void encodeConsensus(CanonicalWriter out, Message m) {
        if (m instanceof Message.HeaderMessage h) {
            out.u8(TAG_HEADER);
            h.header().encode(out);
        } else if (m instanceof Message.VoteMessage v) {
            out.u8(TAG_VOTE);
            v.vote().encode(out);
        } else if (m instanceof Message.CertificateMessage c) {
            out.u8(TAG_CERTIFICATE);
            c.certificate().encode(out);
        } else if (m instanceof Message.CertificateRequest r) {
            out.u8(TAG_CERTIFICATE_REQUEST);
            out.list(r.digests(), (w, d) -> d.encode(w));
        } else {
            throw new IllegalArgumentException("unknown consensus message " + m);
        }
    }

    /** Decodes one whole message; anything else in the buffer is an error. */
    public PeerMessage decode(byte[] bytes) {
        CanonicalReader in = new CanonicalReader(bytes, limits);
        PeerMessage message;
        try {
            message = decodeBody(in);
        } catch (IllegalArgumentException e) {
            // A record invariant (reversed range, zero maxRounds) broken by the bytes: malformed input.
            throw new CodecException("invalid peer message: " + e.getMessage());
        }
        in.expectEnd();
        return message;
    }

    private static PeerMessage decodeBody(CanonicalReader in) {
        int tag = in.u8();
        return switch (tag) {
            case TAG_HEADER -> new PeerMessage.Consensus(new Message.HeaderMessage(Header.decode(in)));
            case TAG_VOTE -> new PeerMessage.Consensus(new Message.VoteMessage(Vote.decode(in)));
            case TAG_CERTIFICATE -> new PeerMessage.Consensus(new Message.CertificateMessage(Certificate.decode(in)));
            case TAG_CERTIFICATE_REQUEST ->
                    new PeerMessage.Consensus(new Message.CertificateRequest(in.list(Digest::decode, Digest.LENGTH)));
            case TAG_BATCH_PUSH -> new PeerMessage.BatchPush(Batch.decode(in));
            case TAG_BATCH_REQUEST -> new PeerMessage.BatchRequest(in.list(Digest::decode, Digest.LENGTH));
            case TAG_BATCH_RESPONSE -> new PeerMessage.BatchResponse(in.list(Batch::decode, MIN_BATCH));
            case TAG_RANGE_REQUEST -> {
                long from = in.u64NonNegative("fromRound");
                long max = in.u32();
                if (max < 1 || max > Integer.MAX_VALUE) throw new CodecException("maxRounds out of range: " + max);
                yield new PeerMessage.RangeRequest(from, (int) max);
            }
            case TAG_RANGE_RESPONSE -> {
                long from = in.u64NonNegative("fromRound");
                long to = in.u64NonNegative("toRoundExclusive");
                long highest = in.u64NonNegative("highestRound");
                yield new PeerMessage.RangeResponse(from, to, highest, in.list(Certificate::decode, MIN_CERTIFICATE));
            }
            case TAG_CHECKPOINT_REQUEST -> new PeerMessage.CheckpointRequest();
            case TAG_CHECKPOINT_OFFER -> {
                long lowest = in.u64NonNegative("lowestRound");
                long highest = in.u64NonNegative("highestRound");
                yield new PeerMessage.CheckpointOffer(lowest, highest, in.bytes());
            }
            case TAG_STATE_REQUEST -> new PeerMessage.StateRequest(in.u64NonNegative("commitIndex"));
            case TAG_STATE_VOUCH -> {
                long index = in.u64NonNegative("commitIndex");
                int present = in.u8();
                if (present > 1) throw new CodecException("state vouch presence flag must be 0 or 1, got " + present);
                yield new PeerMessage.StateVouch(index, present == 1 ? java.util.Optional.of(Digest.decode(in)) : java.util.Optional.empty());
            }
            case TAG_WINDOW_REQUEST -> {
                long index = in.u64NonNegative("commitIndex");
                long from = in.u64NonNegative("fromPosition");
                long max = in.u32();
                if (max < 1 || max > Integer.MAX_VALUE) throw new CodecException("maxEntries out of range: " + max);
                yield new PeerMessage.WindowRequest(index, from, (int) max);
            }
            case TAG_WINDOW_PAGE -> {
                long index = in.u64NonNegative("commitIndex");
                boolean available = in.bool();
                long end = in.u64NonNegative("outputEnd");
                long start = in.u64NonNegative("windowStart");
                long first = in.u64NonNegative("firstPosition");
                List<PeerMessage.WindowEntry> entries = in.list(
                        r -> new PeerMessage.WindowEntry(r.u64NonNegative("commitIndex"), Digest.decode(r)), 8 + Digest.LENGTH);
                yield new PeerMessage.WindowPage(index, available, end, start, first, entries);
            }
            case TAG_SAFE_ROUND_REQUEST -> new PeerMessage.SafeRoundRequest();
            case TAG_SAFE_ROUND_ANSWER -> {
                int present = in.u8();
                if (present > 1) throw new CodecException("safe round answer presence flag must be 0 or 1, got " + present);
                yield new PeerMessage.SafeRoundAnswer(present == 1 ? java.util.Optional.of(Certificate.decode(in)) : java.util.Optional.empty());
            }
            default -> throw new CodecException("unknown peer message tag " + tag);
        };
    }

    /** A short name of the message kind, for logs and metrics. */
    public static String kind(PeerMessage message) {
        if (message instanceof PeerMessage.Consensus c) {
            return c.message().getClass().getSimpleName();
        }
        return message.getClass().getSimpleName();
    }
}

package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Codec;
import dev.shoal.sequencer.core.codec.CodecLimits;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One core type's canonical codec as a pair of functions, so decode-error tests and
 * properties can treat every type alike.
 */
record CodecCase<T>(String name, BiConsumer<CanonicalWriter, T> encoder, Function<CanonicalReader, T> decoder) {

    static final CodecCase<Digest> DIGEST = new CodecCase<>("Digest", (w, v) -> v.encode(w), Digest::decode);
    static final CodecCase<PublicKey> PUBLIC_KEY = new CodecCase<>("PublicKey", (w, v) -> v.encode(w), PublicKey::decode);
    static final CodecCase<Signature> SIGNATURE = new CodecCase<>("Signature", (w, v) -> v.encode(w), Signature::decode);
    static final CodecCase<SignerBitmap> SIGNER_BITMAP = new CodecCase<>("SignerBitmap", (w, v) -> v.encode(w), SignerBitmap::decode);
    static final CodecCase<Transaction> TRANSACTION = new CodecCase<>("Transaction", (w, v) -> v.encode(w), Transaction::decode);
    static final CodecCase<Batch> BATCH = new CodecCase<>("Batch", (w, v) -> v.encode(w), Batch::decode);
    static final CodecCase<Header> HEADER = new CodecCase<>("Header", (w, v) -> v.encode(w), Header::decode);
    static final CodecCase<Vote> VOTE = new CodecCase<>("Vote", (w, v) -> v.encode(w), Vote::decode);
    static final CodecCase<Certificate> CERTIFICATE = new CodecCase<>("Certificate", (w, v) -> v.encode(w), Certificate::decode);
    static final CodecCase<Validator> VALIDATOR = new CodecCase<>("Validator", (w, v) -> v.encode(w), Validator::decode);
    static final CodecCase<Committee> COMMITTEE = new CodecCase<>("Committee", (w, v) -> v.encode(w), Committee::decode);

    static final List<CodecCase<?>> ALL = List.of(DIGEST, PUBLIC_KEY, SIGNATURE, SIGNER_BITMAP, TRANSACTION, BATCH,
            HEADER, VOTE, CERTIFICATE, VALIDATOR, COMMITTEE);

    byte[] encode(T value) {
        CanonicalWriter w = new CanonicalWriter();
        encoder.accept(w, value);
        return w.toByteArray();
    }

    /** Whole-buffer decode: trailing bytes are an error. */
    T decode(byte[] bytes) {
        return Codec.decode(bytes, decoder);
    }

    T decode(byte[] bytes, CodecLimits limits) {
        return Codec.decode(bytes, limits, decoder);
    }

    /** Decodes then encodes again; throws CodecException where decoding does. */
    byte[] reencode(byte[] bytes) {
        return encode(decode(bytes));
    }

    @SuppressWarnings("unchecked")
    byte[] encodeUnchecked(Object value) {
        return encode((T) value);
    }

    @Override
    public String toString() {
        return name;
    }
}

package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Vote;
import java.util.List;

/** A peer-to-peer protocol message between the primaries of a committee. */
public sealed interface Message {
    record HeaderMessage(Header header) implements Message {}

    record VoteMessage(Vote vote) implements Message {}

    record CertificateMessage(Certificate certificate) implements Message {}

    /** Please send me these certificates (parents I am missing). */
    record CertificateRequest(List<Digest> digests) implements Message {
        public CertificateRequest {
            digests = List.copyOf(digests);
        }
    }
}

package dev.shoal.sequencer.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a committee file:
 * <pre>{"epoch":0,"validators":[{"name":"v0","publicKey":"&lt;64 hex&gt;","stake":1,"address":"host:port"}]}</pre>
 * Strict: unknown fields, missing fields and wrong types are errors (a typo must not silently
 * change the committee). Every error is an {@link IdentityException} naming the file and the field.
 */
public final class CommitteeFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_FIELDS = Set.of("epoch", "validators");
    private static final Set<String> VALIDATOR_FIELDS = Set.of("name", "publicKey", "stake", "address");

    private CommitteeFile() {}

    public static Committee read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IdentityException("committee file " + file + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new IdentityException("committee file " + file + " cannot be read: " + e.getMessage());
        }
        return parse(text, "committee file " + file);
    }

    /** Parses committee JSON; {@code what} names the source in error messages. */
    public static Committee parse(String json, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IdentityException(what + " is malformed: not valid JSON (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) throw malformed(what, "the top level must be a JSON object");
        checkFields(root, TOP_FIELDS, what, "the top level");
        long epoch = nonNegativeLong(root, "epoch", what, "");
        JsonNode vs = root.get("validators");
        if (vs == null || !vs.isArray() || vs.isEmpty()) throw malformed(what, "\"validators\" must be a non-empty array");
        List<Validator> members = new ArrayList<>();
        for (int i = 0; i < vs.size(); i++) {
            JsonNode v = vs.get(i);
            String where = "validators[" + i + "]";
            if (!v.isObject()) throw malformed(what, where + " must be an object");
            checkFields(v, VALIDATOR_FIELDS, what, where);
            String name = text(v, "name", what, where, true);
            String keyHex = text(v, "publicKey", what, where, true);
            PublicKey key;
            try {
                key = PublicKey.fromHex(keyHex);
            } catch (IllegalArgumentException e) {
                throw malformed(what, where + ".publicKey is not a 32-byte Ed25519 public key in hex (" + e.getMessage() + ")");
            }
            long stake = nonNegativeLong(v, "stake", what, where + ".");
            if (stake < 1) throw malformed(what, where + ".stake must be at least 1");
            String address = text(v, "address", what, where, false);
            members.add(new Validator(name, key, stake, address == null ? "" : address));
        }
        try {
            return new Committee(epoch, members);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw malformed(what, e.getMessage());
        }
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String what, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) throw malformed(what, where + " has an unknown field \"" + f + "\" (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
    }

    private static long nonNegativeLong(JsonNode node, String field, String what, String prefix) {
        JsonNode n = node.get(field);
        if (n == null) throw malformed(what, prefix + field + " is missing");
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw malformed(what, prefix + field + " must be a non-negative integer, found " + n);
        }
        return n.asLong();
    }

    private static String text(JsonNode node, String field, String what, String where, boolean required) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            if (required) throw malformed(what, where + "." + field + " is missing");
            return null;
        }
        if (!n.isTextual()) throw malformed(what, where + "." + field + " must be a string, found " + n);
        if (required && n.asText().isBlank()) throw malformed(what, where + "." + field + " is empty");
        return n.asText();
    }

    private static IdentityException malformed(String what, String why) {
        return new IdentityException(what + " is malformed: " + why);
    }
}

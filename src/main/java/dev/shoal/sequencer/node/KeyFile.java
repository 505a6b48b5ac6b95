package dev.shoal.sequencer.node;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Ed25519;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A validator's key file: one line holding the lower-case hex of the 32-byte Ed25519 secret
 * seed (64 characters, then a newline). The same text, without the file, is accepted from an
 * environment variable through {@link #parse(String, String)}.
 *
 * <p>Writes are atomic (a temporary file in the same directory, flushed to disk, then renamed
 * over the target) and the file is created with POSIX permissions {@code 0600}, so a crash
 * never leaves a half-written key and no other user can read it. Error messages name the
 * source and what was wrong with it, never the content: the content is the secret.
 */
public final class KeyFile {
    /** Characters of the hex secret: two per byte of the seed. */
    public static final int HEX_LENGTH = 2 * Ed25519.SECRET_KEY_LENGTH;

    /** Owner read and write only. */
    public static final Set<PosixFilePermission> PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    // A key file is 64 characters and a line break; anything much larger is not a key file,
    // and is refused before it is read into memory.
    private static final long MAX_FILE_SIZE = 256;

    private KeyFile() {}

    /** Reads the key pair stored in {@code file}. */
    public static KeyPair read(Path file) throws IOException {
        String source = "key file " + file;
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "validator key file does not exist");
        }
        if (size > MAX_FILE_SIZE) {
            throw new IllegalArgumentException(source + " is not a validator key: " + size
                    + " bytes, expected one line of " + HEX_LENGTH + " hex characters");
        }
        byte[] content = Files.readAllBytes(file);
        return parse(new String(content, StandardCharsets.ISO_8859_1), source);
    }

    /**
     * Parses the hex form of a secret seed, for example from an environment variable.
     * One trailing line break (LF or CRLF) is accepted; nothing else besides the 64 hex
     * characters is. Upper-case hex digits are accepted, the file writer uses lower case.
     *
     * @param text   the hex text
     * @param source what the text came from, for error messages (e.g. "environment variable SEQUENCER_KEY")
     */
    public static KeyPair parse(String text, String source) {
        if (text == null) throw new IllegalArgumentException(source + " is missing");
        String hex = stripOneLineBreak(text);
        if (hex.length() != HEX_LENGTH) {
            throw new IllegalArgumentException(source + " is not a validator key: expected one line of "
                    + HEX_LENGTH + " hex characters (a 32-byte Ed25519 secret seed), found "
                    + hex.length() + " characters" + (hex.indexOf('\n') >= 0 ? " on more than one line" : ""));
        }
        byte[] seed = new byte[Ed25519.SECRET_KEY_LENGTH];
        for (int i = 0; i < HEX_LENGTH; i++) {
            int nibble = Character.digit(hex.charAt(i), 16);
            // Character.digit also accepts non-ASCII digits; the format is ASCII hex only.
            if (nibble < 0 || hex.charAt(i) > 'f') {
                throw new IllegalArgumentException(source + " is not a validator key: character "
                        + (i + 1) + " of " + HEX_LENGTH + " is not a hex digit");
            }
            seed[i / 2] |= (byte) (nibble << (i % 2 == 0 ? 4 : 0));
        }
        try {
            return KeyPair.fromSecret(seed);
        } finally {
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    /** The file content for a key pair: lower-case hex of the secret seed and a newline. */
    public static String format(KeyPair key) {
        byte[] seed = key.secretBytes();
        StringBuilder sb = new StringBuilder(HEX_LENGTH + 1);
        for (byte b : seed) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        java.util.Arrays.fill(seed, (byte) 0);
        return sb.append('\n').toString();
    }

    /**
     * Writes the key pair to {@code file} atomically with permissions 0600 (where the file
     * system supports POSIX permissions), creating missing parent directories. An existing
     * file is replaced.
     */
    public static void write(Path file, KeyPair key) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PERMISSIONS)}
                : new FileAttribute<?>[0];
        // Created 0600 from the start, so the secret is never readable by others, not even briefly.
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(format(key).getBytes(StandardCharsets.US_ASCII));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        syncDirectory(dir);
    }

    /** Makes the rename durable; not every platform can open a directory, which is fine to skip. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the file itself is already on disk.
        }
    }

    private static String stripOneLineBreak(String s) {
        if (s.endsWith("\r\n")) return s.substring(0, s.length() - 2);
        if (s.endsWith("\n")) return s.substring(0, s.length() - 1);
        return s;
    }
}

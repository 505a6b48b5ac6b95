package dev.shoal.sequencer.node;

import dev.shoal.sequencer.core.crypto.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyFileTest {
    private static final byte[] SEED = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static final String SEED_HEX = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    /** RFC 8032 test 1: the public key of SEED. */
    private static final String PUBLIC_HEX = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    @TempDir
    Path dir;

    @Test
    void writesOneLineOfLowerCaseHexAndReadsItBack() throws IOException {
        Path file = dir.resolve("validator.key");
        KeyFile.write(file, KeyPair.fromSecret(SEED));
        assertThat(Files.readString(file, StandardCharsets.US_ASCII)).isEqualTo(SEED_HEX + "\n");
        KeyPair read = KeyFile.read(file);
        assertThat(read.publicKey().toHex()).isEqualTo(PUBLIC_HEX);
        assertThat(read.secretBytes()).isEqualTo(SEED);
    }

    @Test
    void theFileIsOwnerReadWriteOnly() throws IOException {
        Path file = dir.resolve("validator.key");
        KeyFile.write(file, KeyPair.fromSecret(SEED));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void createsMissingParentDirectories() throws IOException {
        Path file = dir.resolve("a/b/c/validator.key");
        KeyFile.write(file, KeyPair.fromSecret(SEED));
        assertThat(KeyFile.read(file).publicKey().toHex()).isEqualTo(PUBLIC_HEX);
    }

    @Test
    void replacesAnExistingFileAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("validator.key");
        Files.writeString(file, "old content");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        KeyPair other = KeyPair.fromSecret(new byte[32]);
        KeyFile.write(file, other);
        assertThat(KeyFile.read(file).publicKey()).isEqualTo(other.publicKey());
        // The rename put a new 0600 inode in place; the old, world-readable one is gone.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("validator.key");
        }
    }

    @Test
    void formatIsLowerCaseHexAndANewline() {
        assertThat(KeyFile.format(KeyPair.fromSecret(SEED))).isEqualTo(SEED_HEX + "\n");
    }

    @Test
    void acceptsCrlfUpperCaseAndNoLineBreak() throws IOException {
        for (String content : new String[] {SEED_HEX, SEED_HEX + "\r\n", SEED_HEX.toUpperCase() + "\n"}) {
            Path file = dir.resolve("k");
            Files.writeString(file, content);
            assertThat(KeyFile.read(file).publicKey().toHex()).as(content.strip()).isEqualTo(PUBLIC_HEX);
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", "", "found 0 characters"),
                Arguments.of("one character short", SEED_HEX.substring(1) + "\n", "found 63 characters"),
                Arguments.of("one character long", SEED_HEX + "0\n", "found 65 characters"),
                Arguments.of("two line breaks", SEED_HEX + "\n\n", "found 65 characters on more than one line"),
                Arguments.of("leading space", " " + SEED_HEX.substring(1), "character 1 of 64 is not a hex digit"),
                Arguments.of("trailing space", SEED_HEX.substring(0, 63) + " \n", "character 64 of 64 is not a hex digit"),
                Arguments.of("a 'g'", SEED_HEX.substring(0, 10) + "g" + SEED_HEX.substring(11), "character 11 of 64 is not a hex digit"),
                // U+0663 ARABIC-INDIC DIGIT THREE is two bytes of UTF-8: the file is one byte too long.
                Arguments.of("a non-ASCII digit", SEED_HEX.substring(0, 5) + "\u0663" + SEED_HEX.substring(6),
                        "found 65 characters"),
                Arguments.of("base64 of the seed", java.util.Base64.getEncoder().encodeToString(SEED), "found 44 characters"),
                Arguments.of("a 0x prefix", "0x" + SEED_HEX.substring(2), "character 2 of 64 is not a hex digit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesAnythingButOneLineOf64HexCharacters(String what, String content, String reason) throws IOException {
        Path file = dir.resolve("bad.key");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> KeyFile.read(file))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key file " + file + " is not a validator key: ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertNoSecretIn(e.getMessage(), content));
    }

    @Test
    void refusesALargeFileWithoutReadingIt() throws IOException {
        Path file = dir.resolve("big.key");
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 'a');
        Files.write(file, big);
        assertThatThrownBy(() -> KeyFile.read(file))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("key file " + file + " is not a validator key: 1048576 bytes, expected one line of 64 hex characters");
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("missing.key");
        assertThatThrownBy(() -> KeyFile.read(file))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void parsesAKeyFromAnEnvironmentVariableValue() {
        assertThat(KeyFile.parse(SEED_HEX, "environment variable SEQUENCER_KEY").publicKey().toHex()).isEqualTo(PUBLIC_HEX);
        assertThat(KeyFile.parse(SEED_HEX + "\n", "environment variable SEQUENCER_KEY").publicKey().toHex()).isEqualTo(PUBLIC_HEX);
    }

    @Test
    void aBadEnvironmentValueIsNamedButNotPrinted() {
        String almost = SEED_HEX.substring(0, 62) + "zz";
        assertThatThrownBy(() -> KeyFile.parse(almost, "environment variable SEQUENCER_KEY"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable SEQUENCER_KEY is not a validator key: character 63 of 64 is not a hex digit")
                .satisfies(e -> assertNoSecretIn(e.getMessage(), almost));
        // Character.digit would take U+0663 as 3; the format is ASCII hex only.
        assertThatThrownBy(() -> KeyFile.parse(SEED_HEX.substring(0, 5) + "\u0663" + SEED_HEX.substring(6), "env"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("env is not a validator key: character 6 of 64 is not a hex digit");
        assertThatThrownBy(() -> KeyFile.parse(null, "environment variable SEQUENCER_KEY"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable SEQUENCER_KEY is missing");
    }

    /** No 8-character run of the secret text appears in the message. */
    private static void assertNoSecretIn(String message, String secretText) {
        String hexOnly = secretText.replaceAll("[^0-9a-fA-F]", "");
        for (int i = 0; i + 8 <= hexOnly.length(); i++) {
            assertThat(message).doesNotContain(hexOnly.substring(i, i + 8));
        }
        assertThat(message).doesNotContain(SEED_HEX.substring(0, 8)).doesNotContain(SEED_HEX.substring(56));
    }
}

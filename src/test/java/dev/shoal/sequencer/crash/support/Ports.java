package dev.shoal.sequencer.crash.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports for the services and proxies the crash tests start, taken from a range of their
 * own ({@code SHOAL_CRASH_PORT_BASE}, default 18400, 100 ports) so concurrent checkouts and other
 * suites do not collide with them.
 */
public final class Ports {
    private static final int BASE = Integer.parseInt(System.getenv().getOrDefault("SHOAL_CRASH_PORT_BASE", "18400"));
    private static int next = 0;

    private Ports() {}

    /** The next port of the range nobody listens on right now. */
    public static synchronized int free() {
        for (int i = 0; i < 100; i++) {
            int port = BASE + (next++ % 100);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                return port;
            } catch (IOException busy) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free port in " + BASE + ".." + (BASE + 99));
    }
}

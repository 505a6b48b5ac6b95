package dev.shoal.sequencer.crash.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between the service and PostgreSQL that the test can cut and heal: a database
 * outage for one service only, without touching the server or any other database.
 * <ul>
 *   <li>{@link #cut()} closes every open connection and then closes each new one as soon as it is
 *       accepted: to the service the database is gone (connections reset, reconnects fail).</li>
 *   <li>{@link #heal()} lets new connections through again.</li>
 * </ul>
 * One accept thread and two pump threads per connection; daemon threads, closed with the proxy.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    public TcpProxy(int listenPort, String upstreamHost, int upstreamPort) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept-" + listenPort);
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}, for a JDBC or reactive URL. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** The database is unreachable from now on: open connections are closed, new ones refused. */
    public void cut() {
        cut.set(true);
        for (Socket s : open) closeQuietly(s);
        open.clear();
    }

    /** The database is reachable again for new connections. */
    public void heal() {
        cut.set(false);
    }

    /** Connections passed through since the start. */
    public int accepted() {
        return accepted.get();
    }

    /** Connections closed at once because the proxy was cut (the service tried to reconnect). */
    public int refused() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed.get()) return;
                continue;
            }
            if (cut.get()) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            accepted.incrementAndGet();
            open.add(client);
            open.add(upstream);
            if (cut.get()) { // cut while connecting
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // closed by cut() or by either end
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-" + direction + "-" + from.getPort());
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed.set(true);
        cut();
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}

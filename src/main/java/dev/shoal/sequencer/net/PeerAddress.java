package dev.shoal.sequencer.net;

/** A peer endpoint "host:port" from the committee ("[v6addr]:port" for IPv6 literals). */
record PeerAddress(String host, int port) {
    static PeerAddress parse(String address) {
        if (address == null || address.isBlank()) throw new IllegalArgumentException("no peer address");
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("peer address '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer address '" + address + "' has no numeric port");
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("peer address '" + address + "' is not host:port with a port 1..65535");
        }
        return new PeerAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}

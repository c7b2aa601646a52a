package io.siplane.gateway;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Ports free for UDP and TCP on several loopback addresses at once (replicas behind one name share a port). */
final class TestPorts {

    private TestPorts() {
    }

    static int freeOnAll(String... addresses) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(addresses[0]))) {
                port = probe.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (freeEverywhere(port, addresses)) {
                return port;
            }
        }
        throw new IllegalStateException("no port free on all of " + List.of(addresses));
    }

    private static boolean freeEverywhere(int port, String... addresses) {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            for (String a : addresses) {
                InetSocketAddress sa = new InetSocketAddress(InetAddress.getByName(a), port);
                ServerSocket tcp = new ServerSocket();
                held.add(tcp);
                tcp.bind(sa);
                held.add(new DatagramSocket(sa));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (AutoCloseable c : held) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }
}

package io.siplane.testsupport.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports for SIP services and agents under test (other test JVMs may run on the same machine). */
public final class SipPorts {

    private SipPorts() {
    }

    /** A port that is free on 127.0.0.1 for both UDP and TCP right now (SIP listens on both with one number). */
    public static int freeUdpAndTcpPort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException taken) {
                    // UDP side is in use: try another
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP on loopback");
    }
}

package io.siplane.proxy.loop;

import java.util.List;
import java.util.Locale;

/**
 * RFC 3261 §16.3 step 4 with the RFC 5393 refinement: a request whose Via list holds this proxy's sent-by with a
 * branch carrying the request's own loop hash has passed here before unchanged — a loop.
 */
public final class LoopDetector {

    /** One Via of a received request: its sent-by and branch. */
    public record ViaEntry(String host, int port, String branch) {
    }

    private final String ownHost;
    private final int ownPort;

    public LoopDetector(String ownHost, int ownPort) {
        this.ownHost = ownHost.toLowerCase(Locale.ROOT);
        this.ownPort = ownPort;
    }

    public boolean isLoop(List<ViaEntry> vias, String loopHash) {
        for (ViaEntry via : vias) {
            int port = via.port() > 0 ? via.port() : 5060;
            if (port == ownPort && ownHost.equalsIgnoreCase(via.host())
                    && BranchIdMinter.loopHashOf(via.branch()).map(loopHash::equals).orElse(false)) {
                return true;
            }
        }
        return false;
    }
}

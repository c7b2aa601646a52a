package io.siplane.gateway.membership;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code PROXY_TARGETS} / {@code REGISTRAR_TARGETS}: a comma list of {@code host[:port]} ({@code [v6]:port} for IPv6
 * literals). A host may be a DNS name whose A records are the replicas (docker-compose {@code --scale}, a Kubernetes
 * headless Service): each address it resolves to is one target.
 */
public record TargetSpec(List<Entry> entries) {

    /** One item of the list. */
    public record Entry(String host, int port) {
    }

    public TargetSpec {
        entries = List.copyOf(entries);
    }

    public static TargetSpec parse(String text, int defaultPort) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            entries.add(parseEntry(item, defaultPort));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no targets in '" + text + "'");
        }
        return new TargetSpec(entries);
    }

    private static Entry parseEntry(String item, int defaultPort) {
        String host;
        String port = null;
        if (item.startsWith("[")) {
            int close = item.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal in target '" + item + "'");
            }
            host = item.substring(1, close);
            String rest = item.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("bad target '" + item + "'");
            }
        } else {
            int colon = item.lastIndexOf(':');
            if (colon >= 0 && item.indexOf(':') == colon) {
                host = item.substring(0, colon);
                port = item.substring(colon + 1);
            } else {
                host = item;
            }
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("no host in target '" + item + "'");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in target '" + item + "'");
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range in target '" + item + "'");
            }
        }
        return new Entry(host, p);
    }
}

package io.siplane.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.siplane.testsupport.app.RunningService;
import io.siplane.testsupport.sip.SipPorts;
import io.siplane.testsupport.sip.SipTarget;

/** The real proxy application on free loopback ports, against the given Redis. */
final class RunningProxy implements AutoCloseable {

    private final RunningService service;
    private final int sipPort;

    private RunningProxy(RunningService service, int sipPort) {
        this.service = service;
        this.sipPort = sipPort;
    }

    /** {@code extra} are {@code name=value} properties on top of the test defaults. */
    static RunningProxy start(String redisUrl, String... extra) {
        int sip = SipPorts.freeUdpAndTcpPort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.port", "0");
        props.put("sip.port", String.valueOf(sip));
        props.put("sip.thread-pool-size", "8");
        props.put("spring.data.redis.url", redisUrl);
        // generous: other builds share the machine's two cores
        props.put("spring.data.redis.timeout", "2s");
        props.put("spring.data.redis.connect-timeout", "2s");
        props.put("sip.digest.nonce-secret", ProxyPlatform.SECRET);
        props.put("proxy.domains", ProxyPlatform.DOMAIN);
        for (String e : extra) {
            int eq = e.indexOf('=');
            props.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return new RunningProxy(RunningService.start(ProxyApplication.class, props), sip);
    }

    int sipPort() {
        return sipPort;
    }

    SipTarget target() {
        return SipTarget.loopback(sipPort);
    }

    int httpPort() {
        return Integer.parseInt(service.context().getEnvironment().getProperty("local.server.port"));
    }

    <T> T bean(Class<T> type) {
        return service.bean(type);
    }

    /** How many {@code method} requests this proxy counted, whatever their outcome. */
    double requestsCounted(String method) {
        return Search.in(service.bean(MeterRegistry.class)).name("siplane.proxy.requests").tag("method", method)
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The branches of {@code method} that ended with {@code outcome}. */
    double branchesEnded(String method, String outcome) {
        return Search.in(service.bean(MeterRegistry.class)).name("siplane.proxy.branches").tag("method", method)
                .tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() {
        service.close();
    }
}

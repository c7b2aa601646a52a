package io.siplane.gateway.membership;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** Host name → all its addresses. The default asks the JVM's resolver (DNS, /etc/hosts); tests substitute their own. */
@FunctionalInterface
public interface HostResolver {

    List<String> resolve(String host) throws UnknownHostException;

    static HostResolver system() {
        return host -> Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress).distinct().toList();
    }
}

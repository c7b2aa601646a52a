package io.siplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.siplane.sip.chain.RequestChain;

/** The chain a running proxy uses is the one its README lists, step by step and in order. */
class RequestChainTest {

    private static final Pattern STEP_ROW = Pattern.compile("^\\| (\\d+) \\| ([^|]+?) \\|", Pattern.MULTILINE);

    @Test
    void theReadmeListsTheRunningChainInOrder() throws Exception {
        RequestChain chain = ProxyPlatform.get().replicaB.bean(RequestChain.class);
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## A request's way through"), readme.indexOf("## Packages"));

        Matcher row = STEP_ROW.matcher(section);
        List<String> listed = row.results().map(m -> m.group(2)).toList();

        assertThat(chain.name()).isEqualTo("proxy");
        assertThat(listed).containsExactlyElementsOf(chain.stepNames());
    }
}

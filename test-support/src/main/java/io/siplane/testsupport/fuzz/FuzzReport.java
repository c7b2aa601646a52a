package io.siplane.testsupport.fuzz;

import java.time.Duration;
import java.util.List;

import io.siplane.testsupport.torture.HeapProbe;

/** The figures of one fuzz run (for RELIABILITY.md). */
public record FuzzReport(String service, long tries, long udpSent, long tcpSent, long answers, Duration duration,
        long heapBaseline, long heapMaxAfterGc, long heapPeak, long heapMax, int stackThreads, long checkpoints,
        List<String> problems) {

    @Override
    public String toString() {
        return String.format("%s: %d inputs (%d UDP, %d TCP) in %.1f s (%.0f/s), %d answers seen, %d checkpoints, %d problem(s)%n"
                + "heap retained after GC: %s at start, %s at most (+%s); heap peak incl. garbage %s of max %s; %d stack threads alive%n%s",
                service, tries, udpSent, tcpSent, duration.toMillis() / 1000.0, tries / Math.max(0.001, duration.toMillis() / 1000.0),
                answers, checkpoints, problems.size(), HeapProbe.mib(heapBaseline), HeapProbe.mib(heapMaxAfterGc),
                HeapProbe.mib(heapMaxAfterGc - heapBaseline), HeapProbe.mib(heapPeak), HeapProbe.mib(heapMax), stackThreads,
                String.join("\n", problems));
    }
}

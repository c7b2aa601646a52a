package io.siplane.testsupport.torture;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Heap figures of this JVM (the services under test run in it): what is still in use after a full collection
 * (retained memory, the thing that must stay bounded) and the peak the heap pools reached (garbage included).
 */
public final class HeapProbe {

    private HeapProbe() {
    }

    /** Bytes of heap in use after asking for two full collections. */
    public static long usedAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Sum of the heap pools' peak usage since the JVM started or {@link #resetPeaks()}. */
    public static long peakUsed() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    public static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    public static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}

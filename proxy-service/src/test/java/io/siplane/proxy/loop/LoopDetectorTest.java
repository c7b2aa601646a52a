package io.siplane.proxy.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LoopDetectorTest {

    private final BranchIdMinter branches = new BranchIdMinter();
    private final LoopDetector detector = new LoopDetector("10.0.0.5", 5080);
    private final String hash = BranchIdMinter.loopHash(List.of("sip:bob@example.com", "call-1", "from-tag", "", "1", "", "", ""));

    @Test
    void requestCarryingOurSentByWithItsOwnLoopHashIsALoop() {
        List<LoopDetector.ViaEntry> vias = List.of(
                new LoopDetector.ViaEntry("10.0.0.9", 5060, "z9hG4bKother"),
                new LoopDetector.ViaEntry("10.0.0.5", 5080, branches.stateful(hash)),
                new LoopDetector.ViaEntry("192.0.2.1", 5060, "z9hG4bKcaller"));

        assertThat(detector.isLoop(vias, hash)).isTrue();
    }

    @Test
    void ourSentByWithAnotherLoopHashIsASpiral() {
        String otherHash = BranchIdMinter.loopHash(List.of("sip:bob@10.0.0.7:5060", "call-1", "from-tag", "", "1", "", "", ""));
        List<LoopDetector.ViaEntry> vias = List.of(new LoopDetector.ViaEntry("10.0.0.5", 5080, branches.stateful(otherHash)));

        assertThat(detector.isLoop(vias, hash)).isFalse();
    }

    @Test
    void theSameHashWrittenByAnotherProxyIsNoLoopHere() {
        List<LoopDetector.ViaEntry> vias = List.of(new LoopDetector.ViaEntry("10.0.0.6", 5080, branches.stateful(hash)),
                new LoopDetector.ViaEntry("10.0.0.5", 5081, branches.stateful(hash)));

        assertThat(detector.isLoop(vias, hash)).isFalse();
    }

    @Test
    void branchesAreRfc3261BranchesUniquePerBranchAndStableWhenStateless() {
        String a = branches.stateful(hash);
        String b = branches.stateful(hash);

        assertThat(a).startsWith(BranchIdMinter.MAGIC_COOKIE).isNotEqualTo(b);
        assertThat(BranchIdMinter.loopHashOf(a)).contains(hash);
        assertThat(BranchIdMinter.stateless(hash, "z9hG4bKin", "192.0.2.1:5060"))
                .isEqualTo(BranchIdMinter.stateless(hash, "z9hG4bKin", "192.0.2.1:5060"))
                .isNotEqualTo(BranchIdMinter.stateless(hash, "z9hG4bKin2", "192.0.2.1:5060"));
        assertThat(BranchIdMinter.loopHashOf("z9hG4bK-from-someone-else")).isEmpty();
    }
}

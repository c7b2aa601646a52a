package io.siplane.testsupport.torture;

/** Whether a server's reaction to a message was acceptable, and why (shown in test failures and reports). */
public record Verdict(boolean ok, String reason) {

    public static Verdict pass(String reason) {
        return new Verdict(true, reason);
    }

    public static Verdict fail(String reason) {
        return new Verdict(false, reason);
    }
}

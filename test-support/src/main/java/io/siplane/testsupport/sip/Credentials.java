package io.siplane.testsupport.sip;

/**
 * A user's password for digest authentication and the algorithm to answer with ({@code MD5} or {@code SHA-256});
 * the challenge with that algorithm is picked among those offered.
 */
public record Credentials(String username, String password, String algorithm) {

    public static Credentials md5(String username, String password) {
        return new Credentials(username, password, "MD5");
    }

    public static Credentials sha256(String username, String password) {
        return new Credentials(username, password, "SHA-256");
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", " + algorithm + "]";
    }
}

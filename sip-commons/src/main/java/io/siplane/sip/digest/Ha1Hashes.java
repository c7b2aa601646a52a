package io.siplane.sip.digest;

/** A user's stored HA1 = H(username:realm:password) for each algorithm (RFC 7616 §3.4.2), lower-case hex. */
public record Ha1Hashes(String md5, String sha256) {

    public Ha1Hashes {
        if (md5 == null || md5.length() != DigestAlgorithm.MD5.hexLength()
                || sha256 == null || sha256.length() != DigestAlgorithm.SHA_256.hexLength()) {
            throw new IllegalArgumentException("HA1 hashes have the wrong length");
        }
    }

    public String forAlgorithm(DigestAlgorithm algorithm) {
        return algorithm == DigestAlgorithm.MD5 ? md5 : sha256;
    }
}

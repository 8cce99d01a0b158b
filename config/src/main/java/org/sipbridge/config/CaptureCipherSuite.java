package org.sipbridge.config;

/** How diagnostic RTP captures are protected on disk (names as in the reference product). */
public enum CaptureCipherSuite {
    /** Plain pcap. */
    NULL_NULL,
    /** Plain, with an HMAC-SHA1 tag that detects tampering. */
    NULL_HMACSHA1,
    /** AES-128 encrypted and HMAC-SHA1 authenticated. */
    AES128_HMACSHA1,
    /** AES-256 encrypted and HMAC-SHA1 authenticated. */
    AES256_HMACSHA1
}

package org.sipbridge.contract.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A listener's own certificate (HTTPS provisioning, SIP over TLS): RSA 2048 with SHA-256 (what every
 * Polycom UC Software release accepts), self-signed, naming the bridge's addresses in its subject
 * alternative names. It may serve and authenticate as a client (SIP TLS connects both ways).
 *
 * <p>It is an end-entity certificate (CA:false) and carries no key usage extension: a phone that is
 * told to trust it can trust exactly this certificate, and should its key ever leak, the key cannot
 * sign certificates the phone would accept for other servers. OpenSSL-based clients (the phones)
 * recognise such a certificate as self-signed and accept it when it is in their trust list.
 */
public record SelfSignedCertificate(KeyPair keyPair, X509Certificate certificate) {

    public static final Duration VALIDITY = Duration.ofDays(3650);
    /** Phones with a clock that is a little behind still accept a freshly made certificate. */
    private static final Duration BACKDATE = Duration.ofDays(1);

    /**
     * @param purpose   what the certificate is for, in its common name ("provisioning", "SIP")
     * @param addresses the addresses clients reach the listener at; the first one names it
     */
    public static SelfSignedCertificate create(String purpose, List<InetAddress> addresses, Clock clock)
            throws GeneralSecurityException {
        InetAddress lanAddress = addresses.get(0);
        SecureRandom random = new SecureRandom();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        KeyPair keyPair = generator.generateKeyPair();

        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "sipbridge")
                .addRDN(BCStyle.CN, "sipbridge " + purpose + " " + lanAddress.getHostAddress())
                .build();
        Instant now = clock.instant();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name,
                new BigInteger(127, random).setBit(126), // positive, at most 16 octets, never zero
                Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(VALIDITY)),
                name,
                keyPair.getPublic());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                    }))
                    .addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(addresses.stream()
                                    .map(a -> new GeneralName(GeneralName.iPAddress, a.getHostAddress()))
                                    .toArray(GeneralName[]::new)))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keyPair.getPublic()))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(keyPair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
            certificate.verify(keyPair.getPublic());
            return new SelfSignedCertificate(keyPair, certificate);
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the " + purpose + " certificate", e);
        }
    }
}

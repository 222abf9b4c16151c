package org.brewpi.settings;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The keystore HTTPS and MQTT over TLS use. A configured one ({@code BREWPI_TLS_KEYSTORE} + {@code BREWPI_TLS_PASSWORD})
 * is only checked; without one, a self-signed certificate for this host is generated on first start into
 * {@code <data>/tls/}: {@code brewpi.p12} (PKCS#12, key and certificate), {@code brewpi.p12.password} and
 * {@code brewpi-cert.pem} (the certificate alone, for PLCs and browsers to trust). Key and password are readable
 * by the owner only.
 * <p>
 * It is made by the JDK's own {@code keytool}, run as a process: every Java runtime the box runs on ships it, and
 * it spares the box a cryptography library (BouncyCastle is some 9 MB) for one certificate made once.
 */
final class TlsKeystore {

    static final String DIR = "tls";
    static final String KEYSTORE = "brewpi.p12";
    static final String PASSWORD = KEYSTORE + ".password";
    static final String CERTIFICATE = "brewpi-cert.pem";
    static final String ALIAS = "brewpi";
    static final int VALIDITY_DAYS = 3650;

    /** What HTTPS and the broker need: where the keystore is, its password, and what it holds. */
    /**
     * @param fingerprint SHA-256 of the certificate, colon-separated hex, as browsers show it
     * @param spki base64 SHA-256 of the public key, what Chromium's {@code --ignore-certificate-errors-spki-list} takes
     *        (the kiosk on the box trusts exactly this key)
     */
    record Result(Path keystore, String password, Path certificate, boolean generated, String fingerprint, String spki) {
    }

    private TlsKeystore() {
    }

    /**
     * @param configured the keystore named by BREWPI_TLS_KEYSTORE, or {@code null} for the generated one
     * @param password BREWPI_TLS_PASSWORD, or {@code null} (then read from the file next to the keystore)
     */
    static Result findOrCreate(Path dataDir, Path configured, String password) throws SettingsException {
        Path keystore = configured != null ? configured : dataDir.resolve(DIR).resolve(KEYSTORE);
        Path passwordFile = keystore.resolveSibling(keystore.getFileName() + ".password");
        boolean generated = false;
        if (!Files.isRegularFile(keystore)) {
            if (configured != null) {
                throw new SettingsException("BrewPi: BREWPI_TLS_KEYSTORE=" + configured + " does not exist");
            }
            password = password != null ? password : randomPassword();
            generate(keystore, passwordFile, password);
            generated = true;
        } else if (password == null) {
            try {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new SettingsException("BrewPi: the password of " + keystore + " is neither in BREWPI_TLS_PASSWORD "
                        + "nor in " + passwordFile);
            }
        }
        Certificate cert = check(keystore, password);
        Path certificate = keystore.resolveSibling(CERTIFICATE);
        try {
            return new Result(keystore, password, Files.isRegularFile(certificate) ? certificate : null, generated,
                    fingerprint(cert), Base64.getEncoder().encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new SettingsException("BrewPi: cannot read the certificate in " + keystore + ": " + e.getMessage());
        }
    }

    /** Opens the keystore: the password must fit and a key with its certificate must be in it. */
    static Certificate check(Path keystore, String password) throws SettingsException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            for (String alias : java.util.Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getCertificate(alias) != null) {
                    return ks.getCertificate(alias);
                }
            }
            throw new SettingsException("BrewPi: " + keystore + " holds no private key with a certificate");
        } catch (IOException | GeneralSecurityException e) {
            throw new SettingsException("BrewPi: cannot open the TLS keystore " + keystore
                    + " (a PKCS#12 file and its password, BREWPI_TLS_PASSWORD): " + e.getMessage());
        }
    }

    private static void generate(Path keystore, Path passwordFile, String password) throws SettingsException {
        Path dir = keystore.getParent();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new SettingsException("BrewPi: cannot make a TLS certificate: " + keytool + " is missing; "
                    + "give BREWPI_TLS_KEYSTORE and BREWPI_TLS_PASSWORD instead");
        }
        try {
            Files.createDirectories(dir);
            ownerOnly(dir, "rwx------");
            Path tmpStore = dir.resolve(KEYSTORE + ".tmp");
            Path tmpPem = dir.resolve(CERTIFICATE + ".tmp");
            Files.deleteIfExists(tmpStore);
            Files.deleteIfExists(tmpPem);
            String host = hostName();
            run(List.of(keytool.toString(), "-genkeypair", "-noprompt", "-alias", ALIAS, "-keyalg", "EC", "-groupname",
                    "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", Integer.toString(VALIDITY_DAYS),
                    "-dname", "CN=" + host + ", O=BrewPi Control", "-ext",
                    "SAN=dns:" + host + ",dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1", "-storetype", "PKCS12",
                    "-keystore", tmpStore.toString(), "-storepass:env", "BREWPI_KS_PASS"), password);
            run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", tmpStore.toString(),
                    "-storetype", "PKCS12", "-storepass:env", "BREWPI_KS_PASS", "-file", tmpPem.toString()), password);
            ownerOnly(tmpStore, "rw-------");
            writeOwnerOnly(passwordFile, password);
            move(tmpPem, dir.resolve(CERTIFICATE));
            move(tmpStore, keystore); // last: a keystore present means everything next to it is too
        } catch (IOException e) {
            throw new SettingsException("BrewPi: cannot make a TLS certificate in " + dir + ": " + e.getMessage());
        }
    }

    /** Runs keytool with the password in its environment, never on its command line (where ps would show it). */
    private static void run(List<String> command, String password) throws IOException, SettingsException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        pb.environment().put("BREWPI_KS_PASS", password);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SettingsException("BrewPi: keytool did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SettingsException("BrewPi: interrupted while making the TLS certificate");
        }
        if (p.exitValue() != 0) {
            throw new SettingsException("BrewPi: keytool failed (" + p.exitValue() + "): " + output.trim());
        }
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp); // not a POSIX file system
        }
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
        move(tmp, file);
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing more we can do
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String randomPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The name the box is reached by on the plant network; keytool wants a DNS name, so anything odd becomes "brewpi". */
    static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            return name.matches("[a-z0-9]([a-z0-9.-]{0,62}[a-z0-9])?") ? name : "brewpi";
        } catch (IOException e) {
            return "brewpi";
        }
    }

    static String fingerprint(Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
}

package org.brewpi.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** TLS sockets that trust exactly the certificates of one keystore: the emulated PLCs trust the box, as real ones do. */
final class TrustedSockets {

    private TrustedSockets() {
    }

    /** @throws IllegalArgumentException when the keystore cannot be opened */
    static SSLSocketFactory of(Path keystore, String password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            // a key entry's certificate counts as trusted: the box's own keystore serves as the trust store
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot trust the broker's certificate from " + keystore + ": "
                    + e.getMessage(), e);
        }
    }
}

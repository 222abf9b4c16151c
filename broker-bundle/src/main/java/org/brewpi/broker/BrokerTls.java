package org.brewpi.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;

/**
 * MQTT over TLS: the broker's key and certificate, from a PKCS#12 keystore (by default the one the settings bundle
 * generates in the data folder, the same HTTPS uses).
 *
 * @param keystore the PKCS#12 file
 * @param keys the key managers made from it, checked at construction
 */
record BrokerTls(Path keystore, KeyManagerFactory keys) {

    /** Opens the keystore now, so a wrong file or password stops the broker with one clear line. */
    static BrokerTls open(Path keystore, String password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            char[] secret = password == null ? new char[0] : password.toCharArray();
            store.load(in, secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            return new BrokerTls(keystore, keys);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("MQTT over TLS: cannot open keystore " + keystore + " ("
                    + e.getMessage() + "); check BREWPI_TLS_KEYSTORE and BREWPI_TLS_PASSWORD", e);
        }
    }
}

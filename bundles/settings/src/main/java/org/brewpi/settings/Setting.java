package org.brewpi.settings;

import java.util.Locale;
import java.util.function.Function;

/**
 * One start-up setting of the box. Each can be given as an environment variable ({@code BREWPI_HTTP_PORT})
 * or as the matching system or framework property ({@code brewpi.http.port}); the property wins, so a
 * {@code -D} on the command line overrides the service environment.
 */
enum Setting {
    HTTP_PORT("8080"),
    MQTT_PORT("1883"),
    DATA_DIR("data"),
    CONF_DIR("conf"),
    DEPLOY_DIR("deploy"),
    SIM("true"),
    SIM_TIME_SCALE("1"),
    API_TOKEN(null),
    /** HTTPS for the HMI and REST; unset = off. */
    HTTPS_PORT(null),
    /** Plain HTTP next to HTTPS; unset = on without HTTPS, off with it. */
    HTTP_PLAIN(null),
    /** MQTT over TLS on the embedded broker; unset = off. When set, plain MQTT is off. */
    MQTT_TLS_PORT(null),
    /** A PKCS#12 keystore for HTTPS and MQTT over TLS; unset = the self-signed one made in the data folder. */
    TLS_KEYSTORE(null),
    TLS_PASSWORD(null);

    private final String fallback;

    Setting(String fallback) {
        this.fallback = fallback;
    }

    /** {@code BREWPI_HTTP_PORT} */
    String envName() {
        return "BREWPI_" + name();
    }

    /** {@code brewpi.http.port} */
    String propertyName() {
        return "brewpi." + name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /**
     * @param properties framework/system property lookup
     * @param env environment lookup
     * @return the configured value, or the default (null for none)
     */
    String resolve(Function<String, String> properties, Function<String, String> env) {
        String value = properties.apply(propertyName());
        if (value == null || value.isBlank()) {
            value = env.apply(envName());
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}

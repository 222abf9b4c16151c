package org.brewpi.settings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings the box starts with, resolved and checked.
 *
 * @param httpPort plain HTTP, -1 when it is off
 * @param mqttPort plain MQTT, -1 when it is off
 * @param httpsPort HTTPS, -1 when it is off
 * @param mqttTlsPort MQTT over TLS, -1 when it is off
 * @param tlsKeystore the keystore given by BREWPI_TLS_KEYSTORE, {@code null} for the generated one
 */
record BoxSettings(int httpPort, int mqttPort, Path dataDir, Path confDir, Path deployDir, boolean simulator,
        double simTimeScale, String apiToken, int httpsPort, int mqttTlsPort, Path tlsKeystore, String tlsPassword) {

    static final int OFF = -1;

    boolean tls() {
        return httpsPort != OFF || mqttTlsPort != OFF;
    }

    /**
     * Resolves every {@link Setting}; ports of 0 are replaced by a free port, ports in use are refused.
     * The API token is left {@code null} when not given: {@link ApiToken} finds or makes one.
     */
    static BoxSettings resolve(Function<String, String> properties, Function<String, String> env)
            throws SettingsException {
        boolean https = Setting.HTTPS_PORT.resolve(properties, env) != null;
        boolean mqttTls = Setting.MQTT_TLS_PORT.resolve(properties, env) != null;
        String plain = Setting.HTTP_PLAIN.resolve(properties, env);
        if (plain != null && !plain.equalsIgnoreCase("true") && !plain.equalsIgnoreCase("false")) {
            throw new SettingsException("BrewPi: " + Setting.HTTP_PLAIN.envName() + "=" + plain + " is not true or false");
        }
        // With HTTPS on, plain HTTP stays off unless asked for: passwords and tokens must not cross the network bare.
        boolean httpPlain = plain == null ? !https : Boolean.parseBoolean(plain);
        if (!https && !httpPlain) {
            throw new SettingsException("BrewPi: " + Setting.HTTP_PLAIN.envName() + "=false needs "
                    + Setting.HTTPS_PORT.envName() + ", or the HMI is reachable by no one");
        }
        List<Setting> order = List.of(Setting.HTTP_PORT, Setting.MQTT_PORT, Setting.HTTPS_PORT, Setting.MQTT_TLS_PORT);
        boolean[] on = { httpPlain, !mqttTls, https, mqttTls };
        Map<Setting, Integer> ports = new EnumMap<>(Setting.class);
        for (int i = 0; i < order.size(); i++) {
            int port = on[i] ? port(order.get(i), properties, env) : OFF;
            for (var other : ports.entrySet()) {
                if (port != OFF && other.getValue() == port) {
                    throw new SettingsException("BrewPi: " + other.getKey().envName() + " and " + order.get(i).envName()
                            + " are both " + port + "; give them different ports");
                }
            }
            ports.put(order.get(i), port);
        }
        String sim = Setting.SIM.resolve(properties, env);
        if (!sim.equalsIgnoreCase("true") && !sim.equalsIgnoreCase("false")) {
            throw new SettingsException("BrewPi: " + Setting.SIM.envName() + "=" + sim + " is not true or false");
        }
        double scale;
        String rawScale = Setting.SIM_TIME_SCALE.resolve(properties, env);
        try {
            scale = Double.parseDouble(rawScale);
        } catch (NumberFormatException e) {
            scale = -1;
        }
        if (!(scale > 0 && scale <= 1000)) {
            throw new SettingsException("BrewPi: " + Setting.SIM_TIME_SCALE.envName() + "=" + rawScale
                    + " must be a number between 0 and 1000");
        }
        String keystore = Setting.TLS_KEYSTORE.resolve(properties, env);
        return new BoxSettings(ports.get(Setting.HTTP_PORT), ports.get(Setting.MQTT_PORT),
                dir(Setting.DATA_DIR, properties, env), dir(Setting.CONF_DIR, properties, env),
                dir(Setting.DEPLOY_DIR, properties, env), Boolean.parseBoolean(sim), scale,
                Setting.API_TOKEN.resolve(properties, env), ports.get(Setting.HTTPS_PORT),
                ports.get(Setting.MQTT_TLS_PORT), keystore == null ? null : Path.of(keystore).toAbsolutePath().normalize(),
                Setting.TLS_PASSWORD.resolve(properties, env));
    }

    BoxSettings withApiToken(String token) {
        return new BoxSettings(httpPort, mqttPort, dataDir, confDir, deployDir, simulator, simTimeScale, token, httpsPort,
                mqttTlsPort, tlsKeystore, tlsPassword);
    }

    private static Path dir(Setting setting, Function<String, String> properties, Function<String, String> env) {
        return Path.of(setting.resolve(properties, env)).toAbsolutePath().normalize();
    }

    private static int port(Setting setting, Function<String, String> properties, Function<String, String> env)
            throws SettingsException {
        String raw = setting.resolve(properties, env);
        int port;
        try {
            port = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new SettingsException("BrewPi: " + setting.envName() + "=" + raw + " is not a port number (0-65535)");
        }
        // Bind once to find out: a port in use must stop the box with one clear line, not a stack trace later.
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new SettingsException("BrewPi: port " + port + " is already in use; set " + setting.envName()
                    + " (or -D" + setting.propertyName() + ") to a free port");
        }
    }
}

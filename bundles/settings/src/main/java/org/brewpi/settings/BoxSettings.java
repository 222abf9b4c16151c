package org.brewpi.settings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.function.Function;

/** The settings the box starts with, resolved and checked. */
record BoxSettings(int httpPort, int mqttPort, Path dataDir, Path confDir, Path deployDir, boolean simulator,
        double simTimeScale, String apiToken) {

    /**
     * Resolves every {@link Setting}; ports of 0 are replaced by a free port, ports in use are refused.
     * The API token is left {@code null} when not given: {@link ApiToken} finds or makes one.
     */
    static BoxSettings resolve(Function<String, String> properties, Function<String, String> env)
            throws SettingsException {
        int http = port(Setting.HTTP_PORT, properties, env);
        int mqtt = port(Setting.MQTT_PORT, properties, env);
        if (http == mqtt) {
            throw new SettingsException("BrewPi: " + Setting.HTTP_PORT.envName() + " and " + Setting.MQTT_PORT.envName()
                    + " are both " + http + "; give them different ports");
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
        return new BoxSettings(http, mqtt, dir(Setting.DATA_DIR, properties, env), dir(Setting.CONF_DIR, properties, env),
                dir(Setting.DEPLOY_DIR, properties, env), Boolean.parseBoolean(sim), scale,
                Setting.API_TOKEN.resolve(properties, env));
    }

    BoxSettings withApiToken(String token) {
        return new BoxSettings(httpPort, mqttPort, dataDir, confDir, deployDir, simulator, simTimeScale, token);
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

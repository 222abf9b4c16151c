package org.brewpi.itest;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Properties;

import org.brewpi.api.mqtt.MqttTransport;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.ZoneSnapshot;
import org.brewpi.api.zone.ZoneState;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the integration tests need to reach the running box from inside the framework. */
final class Box {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "itest-token";
    static final Duration WAIT = Duration.ofSeconds(20);

    final BundleContext context;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Box(BundleContext context) {
        this.context = context;
    }

    /** Trackers stay open for the test: Felix hands out per-bundle service objects that die with the last release. */
    private final java.util.Map<Class<?>, ServiceTracker<?, ?>> trackers = new java.util.concurrent.ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    <T> T service(Class<T> type) {
        ServiceTracker<T, T> tracker = (ServiceTracker<T, T>) trackers.computeIfAbsent(type, t -> {
            ServiceTracker<T, T> created = new ServiceTracker<>(context, type, null);
            created.open();
            return created;
        });
        try {
            T service = tracker.waitForService(WAIT.toMillis());
            if (service == null) {
                throw new AssertionError("no " + type.getName() + " service within " + WAIT);
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Plant plant() {
        return service(Plant.class);
    }

    int httpPort() {
        return Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
    }

    int mqttPort() {
        service(MqttTransport.class);
        ServiceReference<MqttTransport> ref = context.getServiceReference(MqttTransport.class);
        return ((Number) ref.getProperty("brewpi.mqtt.port")).intValue();
    }

    Path dataDir() {
        return Path.of(context.getProperty("brewpi.data.dir"));
    }

    Path confDir() {
        return Path.of(context.getProperty("brewpi.conf.dir"));
    }

    Path deployDir() {
        return Path.of(context.getProperty("brewpi.deploy.dir"));
    }

    String simPassword(String zone) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(dataDir().resolve("sim-credentials.properties"))) {
            p.load(in);
        }
        return p.getProperty(zone);
    }

    ZoneSnapshot awaitZone(String zone, ZoneState state) {
        Plant plant = plant();
        await().atMost(WAIT).until(() -> plant.zone(zone).map(z -> z.state() == state).orElse(false));
        return plant.zone(zone).orElseThrow();
    }

    /** Adds (or replaces) a zone configuration, as an integrator's file in conf/ would. */
    Configuration configureZone(String zone, String type, String password, boolean simulated, String driver)
            throws IOException {
        ConfigurationAdmin cm = service(ConfigurationAdmin.class);
        Configuration config = cm.getFactoryConfiguration("brewpi.zone", zone, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("zone", zone);
        props.put("type", type);
        props.put("label", zone);
        props.put("driver", driver);
        props.put("simulated", simulated);
        if (password != null) {
            props.put("password", password);
        }
        config.update(props);
        return config;
    }

    /** A client without user name or password: the broker must refuse it. */
    MqttClient anonymousPlc() throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + mqttPort(), "anon-it" + (System.nanoTime() % 1_000_000),
                new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(5);
        client.connect(options);
        return client;
    }

    MqttClient plc(String user, String password) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + mqttPort(), user + "-it" + (System.nanoTime() % 1_000_000),
                new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(user);
        options.setPassword(password.toCharArray());
        options.setCleanSession(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // no silent retry as MQTT 3.1
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(2000); // tests publish bursts at QoS 1 faster than a loaded machine acks them
        client.setTimeToWait(3000); // a QoS 1 publish refused by the ACL gets no PUBACK
        client.connect(options);
        return client;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, null);
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    HttpResponse<String> put(String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort() + path);
    }
}

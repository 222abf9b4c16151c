package org.brewpi.rest;

import java.io.IOException;
import java.lang.reflect.Array;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.brewpi.api.audit.AuditEntry;
import org.brewpi.api.audit.AuditTrail;
import org.brewpi.api.audit.ConfigChangeClaims;
import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Signature;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The box's configurations (ConfigurationAdmin), read and changed with an electronic signature:
 * <ul>
 * <li>{@code GET /api/config}: every configuration, secrets masked, each saying whether it may be changed here</li>
 * <li>{@code GET /api/config/{pid}}: one</li>
 * <li>{@code PUT /api/config/{pid}} {@code {"properties":{key:value,..},"pin":..,"reason":..}}: changes the given
 * keys (the others stay). Needs {@link Right#CONFIGURE} and the signature of the person logged in (meaning
 * {@value #MEANING}, target {@code config:<pid>}); API tokens get 403.</li>
 * </ul>
 * Reading needs any logged-in user or token. A change is signed (audited), then audited with old and new values,
 * reason and meaning as the signer's {@code config.updated}, claimed so the change auditor does not record it again
 * as {@code system}, written into the configuration's {@code .cfg} file (what the next start reads) and given to
 * ConfigurationAdmin (live at once).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ ConfigServlet.CONFIG, ConfigServlet.CONFIG + "/*" })
@HttpWhiteboardServletName("brewpi-api-config")
public class ConfigServlet extends SecuredServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConfigServlet.class);
    static final String CONFIG = "/api/config";
    static final String MEANING = "configuration change";
    static final String MASK = ConfigChangeClaims.MASK;
    static final String FILE_PROPERTY = "felix.fileinstall.filename";
    static final int MAX_REASON = 512;
    static final int MAX_VALUE = 1024;
    static final int MAX_KEYS = 64;

    /**
     * Changed only in their files, by whoever may edit conf/: the users bundle's own settings (PIN policy, lockout)
     * and the API's bootstrap token guard the door this endpoint is behind; changing them through it would let a
     * door change its own lock.
     */
    static final Set<String> PROTECTED = Set.of("brewpi.users", "brewpi.rest");

    /**
     * Keys the box sets from its BREWPI_* environment at every start (org.brewpi.settings BoxStartup): a change here
     * would be undone at the next start.
     */
    static final Map<String, Set<String>> SET_AT_START = Map.of(
            "brewpi.broker", Set.of("port", "data.dir", "tls.port", "tls.keystore"),
            "brewpi.historian", Set.of("data.dir"),
            "brewpi.audit", Set.of("data.dir"),
            "brewpi.alarms", Set.of("data.dir"),
            "brewpi.sim", Set.of("enabled", "broker.url", "time.scale", "credentials.file", "tls.truststore"));


    public record ConfigView(String pid, String factoryPid, String bundle, String description, String file,
            boolean editable, String notEditable, Map<String, Object> properties) {
    }

    public record Configs(int count, List<ConfigView> configurations) {
    }

    public record SignatureView(String user, String printedName, String role, long time, String meaning,
            String reason, String target, long auditSeq) {
        static SignatureView of(Signature s) {
            return new SignatureView(s.user(), s.printedName(), s.role().id(), s.time(), s.meaning(), s.reason(),
                    s.target(), s.auditSeq());
        }
    }

    public record Changed(ConfigView configuration, Map<String, Object> changed, SignatureView signature) {
    }

    private final transient AtomicReference<ConfigurationAdmin> configAdmin = new AtomicReference<>();
    private final transient AtomicReference<ConfigChangeClaims> claims = new AtomicReference<>();
    private final transient AtomicReference<MetaTypeService> metaType = new AtomicReference<>();
    /** The components' definitions of their configurations now (MetaType), by pid and factory pid. */
    private final transient Supplier<Map<String, Definitions.Definition>> definitions;
    private final transient BundleContext context;
    /** One change at a time: each reads the file and the configuration it writes. */
    private final transient Object changing = new Object();

    @Activate
    public ConfigServlet(BundleContext context) {
        this.context = context;
        this.definitions = () -> Definitions.index(metaType.get(), context);
    }

    /** Without a framework: the definitions are given. */
    ConfigServlet(Supplier<Map<String, Definitions.Definition>> definitions) {
        this.context = null;
        this.definitions = definitions;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMetaType(MetaTypeService m) {
        metaType.set(m);
    }

    void unsetMetaType(MetaTypeService m) {
        metaType.compareAndSet(m, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setConfigAdmin(ConfigurationAdmin c) {
        configAdmin.set(c);
    }

    void unsetConfigAdmin(ConfigurationAdmin c) {
        configAdmin.compareAndSet(c, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setClaims(ConfigChangeClaims c) {
        claims.set(c);
    }

    void unsetClaims(ConfigChangeClaims c) {
        claims.compareAndSet(c, null);
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = ZonesServlet.segments(req.getPathInfo());
        if (path.size() > 1) {
            throw ApiException.notFound("not_found", "no such resource: " + req.getRequestURI());
        }
        String method = req.getMethod();
        if (path.isEmpty()) {
            if (!"GET".equals(method)) {
                throw methodNotAllowed(resp, req, List.of("GET"));
            }
            signedIn(req, resp, "reading the configuration");
            List<ConfigView> all = new ArrayList<>();
            Map<String, Definitions.Definition> index = definitions.get();
            for (Configuration c : list(null)) {
                all.add(view(c, index));
            }
            all.sort(Comparator.comparing(ConfigView::pid));
            send(resp, 200, new Configs(all.size(), all));
            return;
        }
        String pid = path.get(0);
        if ("GET".equals(method)) {
            signedIn(req, resp, "reading the configuration");
            send(resp, 200, view(find(pid), definitions.get()));
        } else if ("PUT".equals(method)) {
            change(req, resp, pid);
        } else {
            throw methodNotAllowed(resp, req, List.of("GET", "PUT"));
        }
    }

    private void change(HttpServletRequest req, HttpServletResponse resp, String pid) throws IOException {
        // read the (small) body even when refusing it, so the connection can carry the next request
        byte[] raw = json.readBytes(req.getInputStream());
        Principal who = authorize(req, resp, Right.CONFIGURE, "change the configuration", "config:" + pid);
        JsonNode body = json.parse(raw);
        if (!body.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object {\"properties\":{..},\"pin\":..,\"reason\":..}");
        }
        for (Iterator<String> f = body.fieldNames(); f.hasNext();) {
            String field = f.next();
            if (!Set.of("properties", "pin", "reason").contains(field)) {
                throw ApiException.badRequest("unknown field '" + QueryParams.abbreviate(field)
                        + "'; expected properties, pin and reason");
            }
        }
        requireSigner(who, "a configuration change");
        synchronized (changing) {
            Configuration config = find(pid);
            String notEditable = notEditable(config);
            if (notEditable != null) {
                throw new ApiException(409, "not_editable", pid + " cannot be changed here: " + notEditable);
            }
            Dictionary<String, Object> current = config.getProperties();
            Map<String, String> changes = changes(pid, current, body.get("properties"),
                    Definitions.of(definitions.get(), config));
            String reason = Auth.reason(body, MAX_REASON);
            String pin = Auth.pin(body);

            Map<String, Object> next = new LinkedHashMap<>();
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (!bookkeeping(key) || FILE_PROPERTY.equals(key)) {
                    next.put(key, current.get(key));
                }
            }
            next.putAll(changes);

            Signature signature = sign(who, pin, reason, MEANING, "config:" + pid);
            AuditTrail trail = auditTrail();
            if (trail == null) {
                throw new ApiException(503, "audit_unavailable", "the audit trail is not running; nothing was changed");
            }
            try {
                trail.append(new AuditEntry(0, 0, who.user(), who.entryPoint(), "config.updated", pid,
                        render(current, changes.keySet()), render(next, changes.keySet()), reason, MEANING));
            } catch (RuntimeException e) {
                throw new ApiException(503, "audit_unavailable",
                        "the audit trail could not record the change, so it was not made: " + e.getMessage());
            }
            ConfigChangeClaims claim = claims.get();
            Runnable withdraw = claim == null ? () -> { } : claim.claim(pid, next);
            Path file = file(config);
            try {
                ConfFile.write(file, changes);
            } catch (IOException | RuntimeException e) {
                withdraw.run();
                failed(trail, who, pid, "not saved to " + file.getFileName() + ": " + e);
                throw new ApiException(500, "not_saved", "the change could not be written to " + file.getFileName()
                        + " and was not made: " + e.getMessage());
            }
            try {
                config.update(new Hashtable<>(next));
            } catch (IOException | RuntimeException e) {
                // saved: FileInstall reads the file at its next poll and makes it live then
                LOG.warn("Configuration {} saved to {} but not updated at once ({}); FileInstall applies the file",
                        pid, file, e.toString());
            }
            LOG.info("Configuration {} changed by {} ({}), signed: {}", pid, who.user(), changes.keySet(), reason);
            Map<String, Object> shown = new TreeMap<>();
            changes.forEach((k, v) -> shown.put(k, v));
            send(resp, 200, new Changed(view(find(pid), definitions.get()), shown, SignatureView.of(signature)));
        }
    }

    /** The keys to change and their new values as the file holds them (text); every refusal is a 400. */
    private static Map<String, String> changes(String pid, Dictionary<String, Object> current, JsonNode properties,
            Definitions.Definition definition) {
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            throw ApiException.badRequest("'properties' is required: an object of the keys to change and their new values");
        }
        if (properties.size() > MAX_KEYS) {
            throw ApiException.badRequest("at most " + MAX_KEYS + " properties per change");
        }
        Map<String, String> changes = new TreeMap<>();
        Set<String> fromEnvironment = SET_AT_START.getOrDefault(pid, Set.of());
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            String shown = "'" + QueryParams.abbreviate(key) + "'";
            Object old = current.get(key);
            var attribute = Definitions.attribute(definition, key);
            if (bookkeeping(key) || (old == null && attribute == null)) {
                throw ApiException.badRequest("unknown property " + shown + " in " + pid + (definition == null
                        ? "; only properties the configuration holds can be changed here"
                        : "; neither its component's definition nor the configuration names it"));
            }
            if (ConfigChangeClaims.secret(key)) {
                if (value.isTextual() && MASK.equals(value.textValue())) {
                    continue; // the masked value echoed back: left as it is
                }
                throw ApiException.badRequest("property " + shown + " is a secret: it is changed in its file "
                        + "or through its own endpoint, not here");
            }
            if (fromEnvironment.contains(key)) {
                throw ApiException.badRequest("property " + shown + " is set from the box's BREWPI_* settings at "
                        + "every start; change it there");
            }
            String text = Definitions.oneLine(key, attribute != null ? Definitions.typed(key, attribute, value)
                    : Definitions.byCurrentValue(key, old, value));
            if (!text.equals(String.valueOf(old))) {
                changes.put(key, text);
            }
        }
        if (changes.isEmpty()) {
            throw ApiException.badRequest("nothing to change: every value given is the current one");
        }
        return changes;
    }

    /** Why the configuration cannot be changed here, {@code null} if it can. */
    static String notEditable(Configuration c) {
        String factory = c.getFactoryPid();
        if (PROTECTED.contains(c.getPid()) || (factory != null && PROTECTED.contains(factory))) {
            return "it is security configuration, changed only in its file in conf/";
        }
        Path file = file(c);
        if (file == null) {
            return "it is not read from a .cfg file in conf/, so a change would be lost at the next start";
        }
        if (!Files.isRegularFile(file) || !Files.isWritable(file) || !Files.isWritable(file.getParent())) {
            return "its file " + file.getFileName() + " cannot be written";
        }
        return null;
    }

    /** The {@code .cfg} file FileInstall read the configuration from, {@code null} if none. */
    static Path file(Configuration c) {
        Dictionary<String, Object> p = c.getProperties();
        Object name = p == null ? null : p.get(FILE_PROPERTY);
        if (name == null || !name.toString().endsWith(".cfg")) {
            return null;
        }
        try {
            return Path.of(URI.create(name.toString()));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    private ConfigView view(Configuration c, Map<String, Definitions.Definition> index) {
        Dictionary<String, Object> p = c.getProperties();
        Map<String, Object> shown = new TreeMap<>();
        for (Enumeration<String> keys = p == null ? java.util.Collections.emptyEnumeration() : p.keys(); keys
                .hasMoreElements();) {
            String key = keys.nextElement();
            if (!bookkeeping(key)) {
                shown.put(key, ConfigChangeClaims.secret(key) ? MASK : plain(p.get(key)));
            }
        }
        Path file = file(c);
        String why = notEditable(c);
        Definitions.Definition d = Definitions.of(index, c);
        return new ConfigView(c.getPid(), c.getFactoryPid(), d != null ? d.bundle() : bundle(c),
                d == null || d.ocd() == null ? null : d.ocd().getName() + (d.ocd().getDescription() == null
                        || d.ocd().getDescription().isEmpty() ? "" : ": " + d.ocd().getDescription()),
                file == null ? null : file.getFileName().toString(), why == null, why, shown);
    }

    /** The bundle whose component the configuration is for, as the service registry shows it. */
    private String bundle(Configuration c) {
        if (context != null) {
            try {
                ServiceReference<?>[] refs = context.getAllServiceReferences(null,
                        "(" + Constants.SERVICE_PID + "=" + escape(c.getPid()) + ")");
                if (refs != null && refs.length > 0 && refs[0].getBundle() != null) {
                    return refs[0].getBundle().getSymbolicName();
                }
            } catch (InvalidSyntaxException | IllegalStateException e) {
                // named below, or not at all
            }
        }
        String location = c.getBundleLocation();
        return location == null || location.startsWith("?") ? null : location;
    }

    private Configuration find(String pid) {
        if (pid.length() > 200) {
            throw ApiException.badRequest("pid is longer than 200 characters");
        }
        List<Configuration> found;
        try {
            found = list("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")");
        } catch (ApiException e) {
            if ("bad_filter".equals(e.code())) { // no pid can make a filter that does not parse: there is none
                throw ApiException.notFound("unknown_config", "no configuration '" + QueryParams.abbreviate(pid) + "'");
            }
            throw e;
        }
        if (found.isEmpty() || found.get(0).getProperties() == null) {
            throw ApiException.notFound("unknown_config", "no configuration '" + QueryParams.abbreviate(pid) + "'");
        }
        return found.get(0);
    }

    private List<Configuration> list(String filter) {
        ConfigurationAdmin admin = configAdmin.get();
        if (admin == null) {
            throw new ApiException(503, "no_config_admin", "ConfigurationAdmin is not running");
        }
        try {
            Configuration[] all = admin.listConfigurations(filter);
            return all == null ? List.of() : List.of(all);
        } catch (InvalidSyntaxException e) {
            throw new ApiException(400, "bad_filter", "not a configuration pid: " + e.getMessage());
        } catch (IOException e) {
            throw new ApiException(503, "config_unreadable", "the configurations could not be read: " + e.getMessage());
        }
    }

    private static void failed(AuditTrail trail, Principal who, String pid, String why) {
        try {
            trail.append(AuditEntry.of(who.user(), who.entryPoint(), "config.update_failed", pid, null, null, why));
        } catch (RuntimeException e) {
            LOG.error("Not audited: configuration {} change by {} failed ({})", pid, who.user(), why);
        }
    }

    /** Keys the framework keeps: not the component's settings. */
    static boolean bookkeeping(String key) {
        return key.startsWith("service.") || FILE_PROPERTY.equals(key);
    }

    /** {@code key=value} pairs of the given keys, sorted, secrets masked, as the change auditor writes them. */
    static String render(Map<String, ?> values, Set<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String key : new TreeMap<>(values).keySet()) {
            if (keys.contains(key)) {
                out.append(out.length() == 0 ? "" : ", ").append(key).append('=')
                        .append(ConfigChangeClaims.secret(key) ? MASK : String.valueOf(plain(values.get(key))));
            }
        }
        return out.toString();
    }

    private static String render(Dictionary<String, Object> values, Set<String> keys) {
        Map<String, Object> map = new TreeMap<>();
        for (String key : keys) {
            Object v = values.get(key);
            if (v != null) {
                map.put(key, v);
            }
        }
        return render(map, keys);
    }

    private static Object plain(Object value) {
        if (value != null && value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
            return list;
        }
        return value;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}

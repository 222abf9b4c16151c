package org.brewpi.rest;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.brewpi.api.command.Command;
import org.brewpi.api.command.CommandGate;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.brewpi.api.health.HealthContributor;
import org.brewpi.api.security.Authenticator;
import org.brewpi.api.security.Principal;
import org.brewpi.api.zone.Plant;
import org.brewpi.api.zone.ZoneDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The zones and the writes to them:
 * <ul>
 * <li>{@code GET /api/zones}, {@code GET /api/zones/{zone}}</li>
 * <li>{@code PUT /api/zones/{zone}/tags/{tag}} with {@code {"value": ...}}: a write through the command gate</li>
 * <li>{@code POST /api/zones/{zone}/reset}: lets an operator take a zone out of fail-safe</li>
 * </ul>
 * Writes need a bearer token: a PIN session, an API token or the bootstrap token (checked by the users
 * bundle's {@link Authenticator}; without it, only the bootstrap token of {@code brewpi.rest} is accepted).
 * The command carries the authenticated user, and the gate checks that user's role. The request is answered asynchronously when the gate has the PLC's ack
 * (or its refusal, or the timeout), so no HTTP thread waits for the PLC.
 */
@Component(service = { Servlet.class, HealthContributor.class }, configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RestConfig.class)
@HttpWhiteboardServletPattern({ "/api/zones", "/api/zones/*" })
@HttpWhiteboardServletName("brewpi-api-zones")
@HttpWhiteboardServletAsyncSupported
public class ZonesServlet extends ApiServlet implements HealthContributor {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ZonesServlet.class);

    /** The gate answers within about 3.5 s (the PLC's 3 s ack timeout); past this the answer is lost. */
    static final long GATE_WAIT_MS = 10_000;
    private static final long UNAUTHORIZED_LOG_INTERVAL_MS = 60_000;

    private final transient ZoneDirectory zones;
    private final long gateWaitMs;
    private final transient AtomicReference<CommandGate> gate = new AtomicReference<>();
    private final transient AtomicReference<Authenticator> authenticator = new AtomicReference<>();
    private transient volatile BearerToken token;

    private final transient Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final transient LongAdder unauthorized = new LongAdder();
    private final transient LongAdder badRequests = new LongAdder();
    private final transient AtomicLong lastUnauthorizedLog = new AtomicLong(Long.MIN_VALUE / 2);

    @Activate
    public ZonesServlet(@Reference Plant plant, RestConfig config) {
        this(plant, config._api_token(), GATE_WAIT_MS);
    }

    ZonesServlet(Plant plant, String apiToken, long gateWaitMs) {
        this.zones = new ZoneDirectory(() -> plant);
        this.token = BearerToken.of(apiToken);
        this.gateWaitMs = gateWaitMs;
    }

    @Modified
    void modified(RestConfig config) {
        token = BearerToken.of(config._api_token());
        LOG.info("API token {}", token.configured() ? "updated" : "removed: writes are refused");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDefinition(ZoneDefinition definition) {
        zones.addDefinition(definition);
    }

    void removeDefinition(ZoneDefinition definition) {
        zones.removeDefinition(definition);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setGate(CommandGate g) {
        gate.set(g);
    }

    void unsetGate(CommandGate g) {
        gate.compareAndSet(g, null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAuthenticator(Authenticator a) {
        authenticator.set(a);
    }

    void unsetAuthenticator(Authenticator a) {
        authenticator.compareAndSet(a, null);
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        List<String> path = segments(req.getPathInfo());
        if (path.isEmpty()) {
            requireMethod(req, resp, "GET");
            send(resp, 200, zones.zones());
        } else if (path.size() == 1) {
            requireMethod(req, resp, "GET");
            String id = path.get(0);
            send(resp, 200, zones.zone(id).orElseThrow(() -> unknownZone(id)));
        } else if (path.size() == 2 && "reset".equals(path.get(1))) {
            requireMethod(req, resp, "POST");
            json.readBytes(req.getInputStream()); // a reset has no body: whatever comes is read and ignored
            Principal who = authorize(req, resp);
            String zone = checkedZone(path.get(0));
            submit(req, resp, new Command(null, zone, Command.RESET, null, null, who.entryPoint(), who.user()));
        } else if (path.size() == 3 && "tags".equals(path.get(1))) {
            requireMethod(req, resp, "PUT");
            // Read the (small) body even when refusing it, so the connection can carry the next request.
            byte[] body = json.readBytes(req.getInputStream());
            Principal who = authorize(req, resp);
            String zone = checkedZone(path.get(0));
            String tag = path.get(2);
            if (tag.length() > QueryParams.MAX_TAG_LENGTH) {
                throw ApiException.notFound("unknown_tag", "no tag '" + QueryParams.abbreviate(tag) + "'");
            }
            Object value = Commands.value(json.parse(body));
            submit(req, resp, Command.write(zone, tag, value, who.entryPoint(), who.user()));
        } else {
            throw ApiException.notFound("not_found", "no such resource: " + req.getRequestURI());
        }
    }

    private void submit(HttpServletRequest req, HttpServletResponse resp, Command command) throws IOException {
        CommandGate g = gate.get();
        if (g == null) {
            count(Outcome.NOT_SENT);
            send(resp, 503, Commands.reply(Outcome.NOT_SENT, "no_gate", "no command gate is running", command));
            return;
        }
        AsyncContext async = req.startAsync();
        async.setTimeout(gateWaitMs + 5_000); // a backstop: the wait below always ends first
        long started = System.nanoTime();
        CompletableFuture<CommandResult> answer = new CompletableFuture<>();
        try {
            g.submit(command).whenComplete((result, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(result);
                }
            });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        // The answer comes on the driver's thread: the response is written on one of the container's.
        answer.orTimeout(gateWaitMs, TimeUnit.MILLISECONDS).whenComplete((result, failure) -> {
            try {
                async.start(() -> finish(async, resp, command, result, failure, started));
            } catch (IllegalStateException e) {
                LOG.debug("{}: the request is already over: {}", describe(command), e.toString());
            }
        });
    }

    private void finish(AsyncContext async, HttpServletResponse resp, Command command, CommandResult result,
            Throwable failure, long started) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        try {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (result != null && cause == null) {
                count(result.outcome());
                Views.CommandReply reply = Commands.reply(result);
                LOG.info("{} -> {}{} in {} ms", describe(command), result.outcome(),
                        reply.error() == null ? "" : " (" + reply.error() + ")", ms);
                send(resp, Commands.status(result.outcome(), result.error()), reply);
            } else if (cause instanceof TimeoutException) {
                count(Outcome.TIMEOUT);
                LOG.warn("{} -> no answer from the command gate in {} ms", describe(command), ms);
                send(resp, 504, Commands.reply(Outcome.TIMEOUT, "timeout", "the command gate did not answer within "
                        + gateWaitMs + " ms; the command may or may not have been applied", command));
            } else {
                LOG.error("{} -> the command gate failed: {}", describe(command), String.valueOf(cause));
                send(resp, 500, new Views.Error("gate_error", "the command gate failed: " + cause));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not answer {}: {}", describe(command), e.toString());
        } finally {
            async.complete();
        }
    }

    /** Who asks; the command gate then checks that this user's role may do what is asked. */
    private Principal authorize(HttpServletRequest req, HttpServletResponse resp) {
        Authenticator a = authenticator.get();
        try {
            if (a != null) {
                return Auth.signedIn(a, req, resp);
            }
            Auth.requireBootstrap(token, "writes", req, resp);
        } catch (ApiException e) {
            if (e.status() == 401) {
                unauthorized.increment();
                logUnauthorized(req);
            }
            throw e;
        }
        return new Principal(Commands.USER, "Bootstrap API token", org.brewpi.api.security.Role.ADMIN, Commands.ORIGIN,
                false);
    }

    /** One line a minute at most: a client retrying with a wrong token must not flood the log. */
    private void logUnauthorized(HttpServletRequest req) {
        long now = System.currentTimeMillis();
        long last = lastUnauthorizedLog.get();
        if (now - last >= UNAUTHORIZED_LOG_INTERVAL_MS && lastUnauthorizedLog.compareAndSet(last, now)) {
            LOG.warn("write refused without a valid API token from {} ({} refused so far)", req.getRemoteAddr(),
                    unauthorized.sum());
        }
    }

    @Override
    protected void sendError(HttpServletResponse resp, ApiException e) throws IOException {
        if (e.status() == 400 || e.status() == 413) {
            badRequests.increment();
        }
        super.sendError(resp, e);
    }

    private static String checkedZone(String zone) {
        if (!ZoneDirectory.ZONE_ID.matcher(zone).matches()) {
            throw unknownZone(zone);
        }
        return zone;
    }

    private static ApiException unknownZone(String zone) {
        return ApiException.notFound("unknown_zone", "no zone '" + QueryParams.abbreviate(zone) + "'");
    }

    private static void requireMethod(HttpServletRequest req, HttpServletResponse resp, String method) {
        if (!method.equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of(method));
        }
    }

    /** {@code /fv1/tags/sv} as [fv1, tags, sv]; empty segments (a trailing slash) are ignored. */
    static List<String> segments(String pathInfo) {
        if (pathInfo == null) {
            return List.of();
        }
        return Arrays.stream(pathInfo.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private static String describe(Command c) {
        return Command.WRITE.equals(c.op()) ? "write " + c.zone() + "." + c.tag() + "=" + c.value()
                : c.op() + " " + c.zone();
    }

    private void count(Outcome outcome) {
        outcomes.computeIfAbsent(outcome.name(), k -> new LongAdder()).increment();
    }

    @Override
    public String name() {
        return "rest";
    }

    @Override
    public Status status() {
        return (token.configured() || authenticator.get() != null) && gate.get() != null ? Status.UP : Status.DEGRADED;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("writesEnabled", token.configured() || authenticator.get() != null);
        details.put("users", authenticator.get() != null);
        details.put("gate", gate.get() != null);
        Map<String, Long> byOutcome = new TreeMap<>();
        outcomes.forEach((k, v) -> byOutcome.put(k, v.sum()));
        details.put("commands", byOutcome);
        details.put("unauthorized", unauthorized.sum());
        details.put("badRequests", badRequests.sum());
        return details;
    }
}

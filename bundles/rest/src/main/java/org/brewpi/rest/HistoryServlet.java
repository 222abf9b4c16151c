package org.brewpi.rest;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.brewpi.api.history.Historian;
import org.brewpi.api.history.HistoryPoint;
import org.brewpi.api.zone.ZoneEvent;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The historian's records:
 * <ul>
 * <li>{@code GET /api/history?zone=&tag=&from=&to=&points=}: a tag's history, downsampled</li>
 * <li>{@code GET /api/events?zone=&from=&to=&limit=}: zone events, all zones when {@code zone} is absent</li>
 * </ul>
 * Times are epoch ms; the default window is the last hour. 503 while no historian runs.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ HistoryServlet.HISTORY, HistoryServlet.EVENTS })
@HttpWhiteboardServletName("brewpi-api-history")
public class HistoryServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    static final String HISTORY = "/api/history";
    static final String EVENTS = "/api/events";

    private final transient AtomicReference<Historian> historian = new AtomicReference<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setHistorian(Historian h) {
        historian.set(h);
    }

    void unsetHistorian(Historian h) {
        historian.compareAndSet(h, null);
    }

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("GET"));
        }
        QueryParams params = new QueryParams(req::getParameter);
        boolean events = EVENTS.equals(req.getServletPath());
        // Parameters are checked before the historian is asked for, so a bad request is a 400 either way.
        Object body = events ? events(params) : history(params);
        send(resp, 200, body);
    }

    Views.History history(QueryParams params) {
        String zone = params.zone(true);
        String tag = params.tag();
        QueryParams.Window window = params.window(System.currentTimeMillis());
        int points = params.count("points", QueryParams.DEFAULT_POINTS, QueryParams.MAX_POINTS);
        List<HistoryPoint> found = available().history(zone, tag, window.from(), window.to(), points);
        return new Views.History(zone, tag, window.from(), window.to(), found.stream()
                .map(p -> new Views.HistoryPoint(p.time(), p.count(), finite(p.min()), finite(p.max()),
                        finite(p.avg()), ZoneDirectory.jsonValue(p.last()), p.quality()))
                .toList());
    }

    Views.Events events(QueryParams params) {
        String zone = params.zone(false);
        QueryParams.Window window = params.window(System.currentTimeMillis());
        int limit = params.count("limit", QueryParams.DEFAULT_EVENTS, QueryParams.MAX_EVENTS);
        List<ZoneEvent> found = available().events(zone, window.from(), window.to(), limit);
        return new Views.Events(zone, window.from(), window.to(), limit,
                found.stream().map(ZoneDirectory::event).toList());
    }

    private Historian available() {
        Historian h = historian.get();
        if (h == null) {
            throw new ApiException(503, "no_historian", "no historian is running");
        }
        return h;
    }

    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }
}

package org.brewpi.rest;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The context's default servlet ({@code /}): the box's address leads to the HMI, and any path no other
 * servlet serves gets a JSON 404 instead of the container's HTML page.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletName("brewpi-root")
public class RootServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    static final String HMI = "/hmi/";

    @Override
    protected void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (!path.isEmpty() && !"/".equals(path)) {
            throw ApiException.notFound("not_found", "no such resource: " + req.getRequestURI());
        }
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            throw methodNotAllowed(resp, req, List.of("GET"));
        }
        resp.setStatus(HttpServletResponse.SC_FOUND);
        resp.setHeader("Location", req.getContextPath() + HMI);
    }
}

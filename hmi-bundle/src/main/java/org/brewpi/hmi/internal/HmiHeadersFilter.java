package org.brewpi.hmi.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Around the HMI's files: cache and security headers on every answer, {@code /hmi} redirected to
 * {@code /hmi/}, and {@code /hmi/} answered with the index page (the whiteboard's resource
 * servlet knows files, not folders).
 */
@Component(service = Filter.class)
@HttpWhiteboardFilterPattern({ HmiRoutes.APP, HmiRoutes.APP + "/*" })
public class HmiHeadersFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        String path = http.getRequestURI().substring(http.getContextPath().length());
        switch (HmiRoutes.route(path)) {
            case ADD_SLASH -> {
                String query = http.getQueryString();
                answer.sendRedirect(http.getContextPath() + HmiRoutes.APP + "/" + (query == null ? "" : "?" + query));
            }
            case INDEX -> {
                HmiRoutes.HEADERS.forEach(answer::setHeader);
                http.getServletContext().getRequestDispatcher(HmiRoutes.INDEX).forward(http, answer);
            }
            case FILE -> {
                HmiRoutes.HEADERS.forEach(answer::setHeader);
                chain.doFilter(http, answer);
            }
            case NOT_FOUND -> answer.sendError(HttpServletResponse.SC_NOT_FOUND);
            case OTHER -> chain.doFilter(http, answer);
        }
    }
}

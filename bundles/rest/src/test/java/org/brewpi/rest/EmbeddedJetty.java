package org.brewpi.rest;

import java.net.URI;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import jakarta.servlet.Servlet;

/**
 * A plain Jetty 12 (ee10) on a free port with the Jetty WebSocket container set up, as Felix HTTP
 * does when {@code org.apache.felix.jetty.websocket.enable} is true. The servlets run here exactly
 * as they are; only the OSGi whiteboard registration is replaced by explicit mappings.
 */
public final class EmbeddedJetty implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final ServletContextHandler context = new ServletContextHandler("/");

    public EmbeddedJetty() {
        connector.setPort(0);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        JettyWebSocketServletContainerInitializer.configure(context, null);
        server.setHandler(context);
    }

    public EmbeddedJetty add(Servlet servlet, boolean asyncSupported, String... patterns) {
        ServletHolder holder = new ServletHolder(servlet.getClass().getSimpleName(), servlet);
        holder.setAsyncSupported(asyncSupported);
        context.getServletHandler().addServlet(holder);
        ServletMapping mapping = new ServletMapping();
        mapping.setServletName(holder.getName());
        mapping.setPathSpecs(patterns);
        context.getServletHandler().addServletMapping(mapping);
        return this;
    }

    /** A filter in front of every path, as the whiteboard pattern {@code /*} puts it. */
    public EmbeddedJetty filter(jakarta.servlet.Filter filter) {
        context.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(filter), "/*",
                java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        return this;
    }

    public EmbeddedJetty start() throws Exception {
        server.start();
        return this;
    }

    public URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
    }

    public URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + path);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

package org.brewpi.hmi.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

/**
 * Publishes the HMI's static files (folder {@code web/} of this bundle) at {@code /hmi/*} through the
 * servlet whiteboard. The whiteboard serves them with Last-Modified and answers If-Modified-Since;
 * {@link HmiHeadersFilter} adds the cache and security headers and the index page.
 */
@Component(service = HmiResources.class)
@HttpWhiteboardResource(pattern = HmiRoutes.APP + "/*", prefix = HmiRoutes.BUNDLE_FOLDER)
public class HmiResources {
}

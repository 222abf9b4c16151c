package org.brewpi.broker;

import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may log in and what each one may publish and subscribe to, as Moquette asks it. Fail-closed: if the ACL
 * cannot be built (bad topic root) or the credentials cannot be read, every login is refused and every topic
 * denied; any exception while deciding also means "no". Moquette calls these methods on its Netty and session
 * threads, where an exception would cost far more than one client: none escapes.
 */
final class BrokerSecurity implements IAuthenticator, IAuthorizatorPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSecurity.class);

    private final ZoneAcl acl;
    private final String aclProblem;
    private final ZoneCredentials credentials;
    private final boolean allowAnonymous;
    private final BrokerStats stats;
    private final LogThrottle logThrottle;

    private BrokerSecurity(ZoneAcl acl, String aclProblem, ZoneCredentials credentials, boolean allowAnonymous,
            BrokerStats stats, LogThrottle logThrottle) {
        this.acl = acl;
        this.aclProblem = aclProblem;
        this.credentials = credentials;
        this.allowAnonymous = allowAnonymous;
        this.stats = stats;
        this.logThrottle = logThrottle;
    }

    /** Builds the security for a topic root; if the ACL cannot be built, the result refuses everybody. */
    static BrokerSecurity build(String topicRoot, boolean allowAnonymous, ZoneCredentials credentials,
            BrokerStats stats, LogThrottle logThrottle) {
        ZoneAcl acl = null;
        String problem = null;
        try {
            acl = new ZoneAcl(topicRoot);
        } catch (RuntimeException e) {
            problem = "MQTT ACL cannot be built: " + e.getMessage();
            LOG.error("{}; every client is refused", problem);
        }
        return new BrokerSecurity(acl, problem, credentials, allowAnonymous, stats, logThrottle);
    }

    /** @return why nobody can get in right now, or {@code null} when logins are possible */
    String problem() {
        return aclProblem != null ? aclProblem : credentials.unavailableReason();
    }

    boolean allowAnonymous() {
        return allowAnonymous;
    }

    /** The topic root the ACL guards, or {@code null} if the ACL could not be built. */
    String topicRoot() {
        return acl == null ? null : acl.root();
    }

    ZoneCredentials credentials() {
        return credentials;
    }

    /** Whether a client may leave a will on {@code topic}: the same rule as publishing there. */
    boolean mayLeaveWill(String user, String topic) {
        return problem() == null && acl.mayPublish(user, topic);
    }

    /** Moquette calls this for every CONNECT that carries a user name, on a Netty thread. */
    @Override
    public boolean checkValid(String clientId, String username, byte[] password) {
        ZoneCredentials.Check result;
        try {
            result = problem() != null ? ZoneCredentials.Check.UNAVAILABLE : credentials.check(username, password);
        } catch (RuntimeException e) {
            LOG.error("MQTT login check failed for client {}: {}", ZoneIds.printable(String.valueOf(clientId)),
                    e.toString());
            result = ZoneCredentials.Check.UNAVAILABLE;
        }
        if (result == ZoneCredentials.Check.OK) {
            return true;
        }
        loginRefused(result.reason(), clientId, username);
        return false;
    }

    /** Counts and (rate-limited) logs one refused login. Never logs a password. */
    void loginRefused(String reason, String clientId, String username) {
        stats.loginRefused(reason);
        String user = username == null ? "(anonymous)" : ZoneIds.printable(username);
        if (logThrottle.allow("login:" + reason + ":" + user)) {
            LOG.warn("MQTT login refused ({}): client {} user {}", reason, ZoneIds.printable(String.valueOf(clientId)),
                    user);
        }
    }

    @Override
    public boolean canWrite(Topic topic, String user, String client) {
        boolean allowed;
        try {
            allowed = problem() == null && acl.mayPublish(user, topic.toString());
        } catch (RuntimeException e) {
            allowed = false;
        }
        if (!allowed) {
            stats.publishDenied();
            denied("publish to", topic, user, client);
        }
        return allowed;
    }

    @Override
    public boolean canRead(Topic topic, String user, String client) {
        boolean allowed;
        try {
            allowed = problem() == null && (user != null || allowAnonymous) && acl.maySubscribe(user, topic.toString());
        } catch (RuntimeException e) {
            allowed = false;
        }
        if (!allowed) {
            stats.subscribeDenied();
            denied("subscribe to", topic, user, client);
        }
        return allowed;
    }

    private void denied(String action, Topic topic, String user, String client) {
        String who = user == null ? "(anonymous)" : ZoneIds.printable(user);
        if (logThrottle.allow("acl:" + action + ":" + who)) {
            LOG.warn("MQTT ACL: {} may not {} {} (client {}); further denials for it are only counted for a while",
                    who, action, ZoneIds.printable(String.valueOf(topic)), ZoneIds.printable(String.valueOf(client)));
        }
    }
}

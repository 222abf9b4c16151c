package org.brewpi.users;

import static org.brewpi.api.security.Right.*;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.brewpi.api.security.Right;
import org.brewpi.api.security.Role;

/** The one rights table (also in README.md: keep both alike). */
final class RightsTable {

    private static final Map<Role, Set<Right>> RIGHTS = new EnumMap<>(Role.class);

    static {
        Set<Right> operator = EnumSet.of(OPERATE, ACKNOWLEDGE_ALARM);
        Set<Right> supervisor = union(operator, EnumSet.of(SHELVE_ALARM, BYPASS_INTERLOCK, RESET_FAILSAFE, HOLD_BATCH));
        // Quality decides on recipes and batches; it does not run the plant.
        Set<Right> quality = EnumSet.of(ACKNOWLEDGE_ALARM, APPROVE_RECIPE, RELEASE_BATCH, READ_AUDIT);
        Set<Right> engineer = union(supervisor, EnumSet.of(CONFIGURE, MANAGE_BUNDLES, READ_AUDIT));
        // The administrator may do everything but quality's decisions, which stay independent of who runs the box.
        Set<Right> admin = EnumSet.complementOf(EnumSet.of(APPROVE_RECIPE, RELEASE_BATCH));
        RIGHTS.put(Role.OPERATOR, operator);
        RIGHTS.put(Role.SUPERVISOR, supervisor);
        RIGHTS.put(Role.QUALITY, quality);
        RIGHTS.put(Role.ENGINEER, engineer);
        RIGHTS.put(Role.ADMIN, admin);
    }

    private RightsTable() {
    }

    static boolean allows(Role role, Right right) {
        return role != null && right != null && RIGHTS.get(role).contains(right);
    }

    private static Set<Right> union(Set<Right> a, Set<Right> b) {
        Set<Right> all = EnumSet.copyOf(a);
        all.addAll(b);
        return all;
    }
}

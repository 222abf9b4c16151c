package org.brewpi.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.brewpi.api.security.Right.*;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.brewpi.api.security.Principal;
import org.brewpi.api.security.Right;
import org.brewpi.api.security.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every right with every role, users and API tokens alike, against the table in README.md. */
class RightsTableTest {

    /** README.md's table, spelled out again: the code must agree with the documentation. */
    static final Map<Role, Set<Right>> DOCUMENTED = Map.of(
            Role.OPERATOR, EnumSet.of(OPERATE, ACKNOWLEDGE_ALARM),
            Role.SUPERVISOR, EnumSet.of(OPERATE, ACKNOWLEDGE_ALARM, SHELVE_ALARM, BYPASS_INTERLOCK, RESET_FAILSAFE, HOLD_BATCH),
            Role.QUALITY, EnumSet.of(ACKNOWLEDGE_ALARM, APPROVE_RECIPE, RELEASE_BATCH, READ_AUDIT),
            Role.ENGINEER, EnumSet.of(OPERATE, ACKNOWLEDGE_ALARM, SHELVE_ALARM, BYPASS_INTERLOCK, RESET_FAILSAFE, HOLD_BATCH,
                    CONFIGURE, MANAGE_BUNDLES, READ_AUDIT),
            Role.ADMIN, EnumSet.of(OPERATE, ACKNOWLEDGE_ALARM, SHELVE_ALARM, BYPASS_INTERLOCK, RESET_FAILSAFE, HOLD_BATCH,
                    CONFIGURE, MANAGE_BUNDLES, MANAGE_USERS, READ_AUDIT));

    @TempDir
    Path dir;

    @Test
    void everyRoleHoldsExactlyTheDocumentedRights() throws Exception {
        Fixture f = new Fixture(dir);
        Principal admin = f.admin("864213");
        int checks = 0;
        for (Role role : Role.values()) {
            f.user(admin, "u-" + role.id(), role, "246810");
            f.users.createToken(admin, "t-" + role.id(), role);
            for (Right right : Right.values()) {
                boolean expected = DOCUMENTED.get(role).contains(right);
                assertThat(f.users.allows(role, right)).as("%s %s", role, right).isEqualTo(expected);
                assertThat(f.users.check("u-" + role.id(), right).allowed()).as("user %s %s", role, right).isEqualTo(expected);
                assertThat(f.users.check("token:t-" + role.id(), right).allowed()).as("token %s %s", role, right)
                        .isEqualTo(expected);
                checks++;
            }
        }
        assertThat(checks).isEqualTo(Role.values().length * Right.values().length);
        assertThat(f.users.check("ghost", OPERATE).allowed()).isFalse();
        assertThat(f.users.check(null, OPERATE).allowed()).isFalse();
    }
}

package org.brewpi.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.Map;

import org.brewpi.api.audit.ConfigChangeClaims;

import org.junit.jupiter.api.Test;

/** How a configuration's values are written into the audit trail (the listener itself runs in distribution/itest). */
class ChangeAuditorTest {

    @Test
    void valuesAreSortedSecretsMaskedAndBookkeepingLeftOut() {
        Hashtable<String, Object> values = new Hashtable<>();
        values.put("zone", "fv3");
        values.put("password", "hunter2");
        values.put(".api.token", "abc");
        values.put("pg.Password", "p");
        values.put("client.secret", "s");
        values.put("pin", "1234");
        values.put("keystore.path", "/etc/box.p12");
        values.put("suppressed.zones", new String[] { "fv1", "fv2" });
        values.put("setpoint", 18.5);
        values.put("service.pid", "brewpi.zone~fv3");
        values.put("felix.fileinstall.filename", "file:/conf/brewpi.zone-fv3.cfg");

        String rendered = ChangeAuditor.render(values);

        assertThat(rendered).isEqualTo(".api.token=****, client.secret=****, keystore.path=****, password=****,"
                + " pg.Password=****, pin=****, setpoint=18.5, suppressed.zones=[fv1, fv2], zone=fv3");
        assertThat(rendered).doesNotContain("hunter2", "1234", "abc", "/etc/box.p12");
        assertThat(ChangeAuditor.render(null)).isEmpty();
    }

    @Test
    void secretKeysAreRecognisedInAnyCase() {
        assertThat(ChangeAuditor.secret("BREWPI_PG_PASSWORD")).isTrue();
        assertThat(ChangeAuditor.secret("apiToken")).isTrue();
        assertThat(ChangeAuditor.secret("ssl.keyPassword")).isTrue();
        assertThat(ChangeAuditor.secret("PIN")).isTrue();
        assertThat(ChangeAuditor.secret("label")).isFalse();
        assertThat(ChangeAuditor.secret("data.dir")).isFalse();
    }

    @Test
    void aClaimedChangeIsLeftOutOnceAndOnlyWithItsValuesPidAndTime() {
        ChangeAuditor.Claims claims = new ChangeAuditor.Claims();
        Map<String, Object> next = Map.of("zone", "fv1", "limit", "21.5", "password.hash", "h",
                "felix.fileinstall.filename", "file:/conf/brewpi.alarm-fv1.cfg");
        String rendered = ChangeAuditor.render(new Hashtable<>(next));
        claims.claim("brewpi.alarm~fv1", next, 1_000);

        assertThat(claims.consume("brewpi.alarm~fv2", rendered, 1_001)).as("another pid").isFalse();
        assertThat(claims.consume("brewpi.alarm~fv1", "limit=30, password.hash=****, zone=fv1", 1_001))
                .as("other values (a shell edit in between)").isFalse();
        assertThat(claims.consume("brewpi.alarm~fv1", rendered, 1_002)).isTrue();
        assertThat(claims.consume("brewpi.alarm~fv1", rendered, 1_003)).as("only once").isFalse();

        claims.claim("brewpi.alarm~fv1", next, 1_000);
        assertThat(claims.consume("brewpi.alarm~fv1", rendered, 1_000 + ConfigChangeClaims.VALID_MS + 1))
                .as("expired").isFalse();
        assertThat(claims.consume("brewpi.alarm~fv1", rendered, 1_001)).as("and gone").isFalse();

        Runnable withdraw = claims.claim("brewpi.alarm~fv1", next, 1_000);
        withdraw.run();
        assertThat(claims.consume("brewpi.alarm~fv1", rendered, 1_001)).as("withdrawn").isFalse();
    }
}

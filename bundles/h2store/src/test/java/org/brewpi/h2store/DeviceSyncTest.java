package org.brewpi.h2store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceSyncTest {

    @TempDir
    Path dir;

    @Test
    void whatAStartFindsIsOnTheDeviceAndNewCommitsAreAfterASync() throws SQLException {
        try (Connection c = TestDb.open(dir); DeviceSync device = new DeviceSync(c, 7)) {
            assertThat(device.onDevice()).isEqualTo(7);
            assertThat(device.syncToDevice()).isEqualTo(7);
            device.committed(9);
            device.committed(8); // out of order: the highest counts
            device.writeOut();
            assertThat(device.committedSeq()).isEqualTo(9);
            assertThat(device.onDevice()).isEqualTo(7);
            assertThat(device.syncToDevice()).isEqualTo(9);
            assertThat(device.onDevice()).isEqualTo(9);
        }
    }

    @Test
    void aFailedSyncDoesNotClaimTheRowsAreOnTheDevice() throws SQLException {
        Connection c = TestDb.open(dir);
        DeviceSync device = new DeviceSync(c, 1);
        device.committed(2);
        c.close(); // the file can no longer be written
        assertThatThrownBy(device::syncToDevice).isInstanceOf(SQLException.class);
        assertThat(device.onDevice()).isEqualTo(1);
    }
}

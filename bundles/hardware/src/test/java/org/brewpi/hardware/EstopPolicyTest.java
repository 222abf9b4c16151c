package org.brewpi.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.brewpi.api.command.Command;
import org.brewpi.api.interlock.EmergencyStop.State;
import org.brewpi.api.interlock.GuardRefusal;
import org.junit.jupiter.api.Test;

/** The guard's decisions and the latch behind them. */
class EstopPolicyTest {

    private static Command write(String tag, Object value) {
        return Command.write("kettle", tag, value, "rest", "ana");
    }

    private static Optional<GuardRefusal> check(Command c, State s) {
        return EstopPolicy.check(c, s);
    }

    @Test
    void clearLetsEverythingPass() {
        assertThat(check(write("mode", "auto"), State.CLEAR)).isEmpty();
        assertThat(check(write("heater", true), State.CLEAR)).isEmpty();
        assertThat(check(new Command(null, "kettle", Command.RESET, null, null, "rest", "ana"), State.CLEAR)).isEmpty();
    }

    @Test
    void whileHeldOnlyWhatSwitchesOffPasses() {
        for (State held : new State[] { State.PRESSED, State.RESET_NEEDED }) {
            assertThat(check(write("mode", "off"), held)).as("mode off, %s", held).isEmpty();
            assertThat(check(write("heater", false), held)).as("heater false").isEmpty();
            assertThat(check(write("pump", false), held)).as("pump false").isEmpty();
            assertThat(check(write("sv", 66.5), held)).as("setpoint").isEmpty();
            assertThat(check(write("sv_boil", 99), held)).as("named setpoint").isEmpty();
            assertThat(check(write("speed", 0), held)).as("a number written 0").isEmpty();
            assertThat(check(new Command(null, "kettle", Command.PING, null, null, "rest", "ana"), held)).isEmpty();

            assertThat(check(write("mode", "auto"), held)).as("mode auto").isPresent();
            assertThat(check(write("mode", "manual"), held)).as("mode manual").isPresent();
            assertThat(check(write("heater", true), held)).as("heater true").isPresent();
            assertThat(check(write("pump", true), held)).as("pump true").isPresent();
            assertThat(check(write("mode", null), held)).as("no value").isPresent();
            assertThat(check(write("out", 40.0), held)).as("manual output").isPresent();
            assertThat(check(write("sv", "high"), held)).as("a setpoint that is not a number").isPresent();
            assertThat(check(new Command(null, "kettle", Command.RESET, null, null, "rest", "ana"), held))
                    .as("fail-safe reset").isPresent();
        }
    }

    @Test
    void theRefusalNamesTheEstopAndWhy() {
        GuardRefusal pressed = check(write("heater", true), State.PRESSED).orElseThrow();
        assertThat(pressed.error()).isEqualTo("estop");
        assertThat(pressed.source()).isEqualTo("estop");
        assertThat(pressed.text()).contains("pressed").contains("kettle.heater = true");
        GuardRefusal notReset = check(write("mode", "auto"), State.RESET_NEEDED).orElseThrow();
        assertThat(notReset.text()).contains("not reset");
    }

    @Test
    void theLatchNeedsReleaseThenReset() {
        EstopLatch latch = new EstopLatch(State.CLEAR, 0);
        assertThat(latch.input(false, 5)).isEqualTo(EstopLatch.Change.NONE);
        assertThat(latch.input(true, 10)).isEqualTo(EstopLatch.Change.PRESSED);
        assertThat(latch.pressedAt()).isEqualTo(10);
        assertThat(latch.input(true, 20)).isEqualTo(EstopLatch.Change.NONE);
        assertThatThrownBy(latch::resettable).isInstanceOf(IllegalStateException.class).hasMessageContaining("still pressed");
        assertThat(latch.input(false, 30)).isEqualTo(EstopLatch.Change.RELEASED);
        assertThat(latch.state()).isEqualTo(State.RESET_NEEDED);
        // releasing does not clear; pressing again while waiting for the reset presses again
        assertThat(latch.input(true, 40)).isEqualTo(EstopLatch.Change.PRESSED);
        assertThat(latch.pressedAt()).isEqualTo(40);
        latch.input(false, 50);
        assertThat(latch.resettable()).isTrue();
        assertThat(latch.reset()).isTrue();
        assertThat(latch.state()).isEqualTo(State.CLEAR);
        assertThat(latch.resettable()).as("nothing left to reset").isFalse();
        assertThat(latch.reset()).isFalse();
    }
}

package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StartupWarmUpTest {

    static final AtomicBoolean MARKER_INITIALISED = new AtomicBoolean();

    /** Its static initialiser must not run on the warm-up thread (side effects stay where they were). */
    static final class Marker {
        static {
            MARKER_INITIALISED.set(true);
        }
    }

    @Test
    void loadsTheListedClassesWithoutInitialisingThemAndSkipsWhatIsGone() {
        StartupWarmUp warmUp = new StartupWarmUp(getClass().getClassLoader(), "/startup-warm-up/test.classlist", false);

        assertEquals(1, warmUp.loadListedClasses());
        assertFalse(MARKER_INITIALISED.get());
    }

    @Test
    void aMissingListLoadsNothing() {
        assertEquals(
                0, new StartupWarmUp(getClass().getClassLoader(), "/no-such.classlist", false).loadListedClasses());
    }

    @Test
    void readsClassNamesFromTheLinesOfAClassList() {
        assertEquals("io.netty.channel.Channel", StartupWarmUp.className("io/netty/channel/Channel id: 12"));
        assertEquals("java.lang.Object", StartupWarmUp.className("java/lang/Object"));
        assertNull(StartupWarmUp.className("# NOTE"));
        assertNull(StartupWarmUp.className("@lambda-form-invoker [LF_RESOLVE] x"));
        assertNull(StartupWarmUp.className(""));
    }

    @Test
    void theJarCarriesTheClassListTheArchiveIsMadeFrom() {
        assertNotNull(StartupWarmUp.class.getResource(StartupWarmUp.CLASS_LIST));
    }
}

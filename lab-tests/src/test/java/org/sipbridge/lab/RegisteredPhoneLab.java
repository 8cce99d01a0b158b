package org.sipbridge.lab;

import java.nio.file.Path;

/**
 * JUnit extension for the call tests' shared set-up: before a class's first test, the namespaces, Kamailio,
 * the bridge daemon and the phone registered through it ({@link LabCall}) in a fresh working directory; after
 * its last test, everything stopped, the namespaces deleted (and checked gone) and the directory removed
 * ({@link ClassLab}).
 * <pre>
 * &#64;RegisterExtension
 * static final RegisteredPhoneLab LAB = new RegisteredPhoneLab("cl", "\"media\": {…}");
 * </pre>
 */
final class RegisteredPhoneLab extends ClassLab {

    private final String moreSections;
    private LabCall call;

    /** @param letters the namespace prefix (the pid is appended, so JVMs running at once do not meet) */
    RegisteredPhoneLab(String letters) {
        this(letters, "");
    }

    /** @param moreSections more config sections for the bridge, e.g. {@code "media": {…}} */
    RegisteredPhoneLab(String letters, String moreSections) {
        super(letters);
        this.moreSections = moreSections;
    }

    @Override
    AutoCloseable start(String prefix, Path dir) throws Exception {
        LabNetwork lab = LabNetwork.up(prefix);
        call = LabCall.registeredPhone(lab, lab, dir, moreSections);
        return call;
    }

    LabCall call() {
        return call;
    }

    LabNetwork lab() {
        return call.lab;
    }

    BridgeDaemon daemon() {
        return call.daemon;
    }
}

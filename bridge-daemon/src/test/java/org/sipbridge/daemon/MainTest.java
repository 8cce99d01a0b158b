package org.sipbridge.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void theVersionShortcutPrintsWhatPicocliPrints() {
        for (String option : new String[] {"--version", "-V"}) {
            StringWriter picocli = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(picocli));
            assertEquals(0, commandLine.execute(option));
            assertEquals(picocli.toString().strip(), Main.versionOnly(new String[] {option}), option);
        }
    }

    @Test
    void anythingElseGoesToPicocli() {
        assertNull(Main.versionOnly(new String[] {"run", "--version"}));
        assertNull(Main.versionOnly(new String[] {"--help"}));
        assertNull(Main.versionOnly(new String[0]));
    }
}

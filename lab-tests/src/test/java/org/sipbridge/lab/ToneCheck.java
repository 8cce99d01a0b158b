package org.sipbridge.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a recorded call leg carried, measured by sox's {@code stat}: the RMS level and the rough
 * frequency (zero crossings) of a window of the recording. A call proves its audio by each end playing
 * a tone of its own frequency and the other end's recording showing that frequency at speech level;
 * packet counts alone would pass silence or the wrong stream.
 */
final class ToneCheck {

    /** Far below the played tones (RMS 0.35), far above G.711 silence and comfort noise. */
    static final double MIN_RMS = 0.1;
    /** G.711 coding noise moves the estimate of a pure tone by a few percent at most. */
    static final double FREQUENCY_TOLERANCE = 0.05;

    private static final Pattern RMS = Pattern.compile("RMS\\s+amplitude:\\s+([0-9.]+)");
    private static final Pattern ROUGH = Pattern.compile("Rough\\s+frequency:\\s+(\\d+)");

    record Tone(double rms, int hz, String stat) {}

    private ToneCheck() {}

    /** sox {@code stat} of {@code wav} after the sox {@code trim} arguments (e.g. "0.5" "2", or "-1.5" for the last 1.5 s). */
    static Tone measure(Path wav, String... trim) throws Exception {
        assertTrue(Files.isRegularFile(wav), "no recording " + wav);
        List<String> command = new ArrayList<>(List.of("sox", wav.toString(), "-n"));
        if (trim.length > 0) {
            command.add("trim");
            command.addAll(List.of(trim));
        }
        command.add("stat");
        LabNetwork.Result result = LabNetwork.run(command, 30);
        Matcher rms = RMS.matcher(result.output());
        Matcher hz = ROUGH.matcher(result.output());
        assertTrue(
                result.exitCode() == 0 && rms.find() && hz.find(),
                "sox stat of " + wav + " failed: " + result.output());
        return new Tone(Double.parseDouble(rms.group(1)), Integer.parseInt(hz.group(1)), result.output());
    }

    /**
     * What sox's "rough frequency" shows for a pure {@code hz} tone at 8 kHz: it is the RMS of the sample
     * differences over the RMS of the samples, i.e. fs/π·sin(π·hz/fs), which reads 1700 Hz as 1577 Hz.
     */
    static double roughFrequencyOf(int hz) {
        return 8000 / Math.PI * Math.sin(Math.PI * hz / 8000.0);
    }

    /** Asserts that the window of {@code wav} carries the tone of {@code hz} at speech level; returns it. */
    static Tone assertTone(Path wav, int hz, String what, String... trim) throws Exception {
        Tone tone = measure(wav, trim);
        System.out.printf("%s: %d Hz (expected %d), RMS %.3f%n", what, tone.hz(), hz, tone.rms());
        assertTrue(tone.rms() >= MIN_RMS, what + ": too quiet, RMS " + tone.rms() + "\n" + tone.stat());
        double expected = roughFrequencyOf(hz);
        assertTrue(
                Math.abs(tone.hz() - expected) <= expected * FREQUENCY_TOLERANCE,
                what + ": " + tone.hz() + " Hz instead of " + hz + " Hz (sox: " + Math.round(expected) + ")\n"
                        + tone.stat());
        return tone;
    }
}

package org.sipbridge.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tone WAV files: G.711 µ-law at 440 Hz for SIPp's rtp_stream, and 16-bit PCM at any frequency for the
 * real clients (baresip's aufile source, linphonec's file sound card) to play into a call.
 */
final class ToneWav {

    private ToneWav() {}

    static Path write(Path file, int seconds) throws IOException {
        int samples = 8000 * seconds;
        ByteBuffer wav = ByteBuffer.allocate(44 + samples).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(36 + samples)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 7)
                .putShort((short) 1) // µ-law, mono
                .putInt(8000)
                .putInt(8000)
                .putShort((short) 1)
                .putShort((short) 8);
        wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples);
        for (int i = 0; i < samples; i++) {
            wav.put(muLaw((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0))));
        }
        Files.write(file, wav.array());
        return file;
    }

    /** An 8 kHz mono 16-bit PCM WAV of a {@code hz} tone at half of full scale (RMS 0.35), {@code seconds} long. */
    static Path pcm16(Path file, int hz, int seconds) throws IOException {
        int samples = 8000 * seconds;
        ByteBuffer wav = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(36 + 2 * samples)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1) // PCM, mono
                .putInt(8000)
                .putInt(16000)
                .putShort((short) 2)
                .putShort((short) 16);
        wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (16384 * Math.sin(2 * Math.PI * hz * i / 8000.0)));
        }
        Files.write(file, wav.array());
        return file;
    }

    /** ITU-T G.711 µ-law encoding of one 16-bit sample. */
    private static byte muLaw(short sample) {
        int pcm = sample;
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        pcm = Math.min(pcm, 32635) + 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }
}

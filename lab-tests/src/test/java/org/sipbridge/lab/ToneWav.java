package org.sipbridge.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A G.711 µ-law WAV file of a 440 Hz tone, for SIPp's rtp_stream to play through the bridge. */
final class ToneWav {

    private ToneWav() {
    }

    static Path write(Path file, int seconds) throws IOException {
        int samples = 8000 * seconds;
        ByteBuffer wav = ByteBuffer.allocate(44 + samples).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 7).putShort((short) 1) // µ-law, mono
                .putInt(8000).putInt(8000).putShort((short) 1).putShort((short) 8);
        wav.put("data".getBytes()).putInt(samples);
        for (int i = 0; i < samples; i++) {
            wav.put(muLaw((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0))));
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

package org.sipbridge.rtp.sdp;

import java.util.ArrayList;
import java.util.List;

/** Splits an SDP body into lines and joins them back; SDP ends lines with CRLF but some stacks send LF only. */
final class SdpLines {

    static final String CRLF = "\r\n";

    private SdpLines() {}

    /**
     * The lines without their terminators. A lone LF ends a line like CRLF does; trailing empty lines
     * (a body ending in a blank line, which some stacks send) are dropped, empty lines elsewhere are kept
     * so the parser can name them.
     */
    static List<String> split(String body) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int length = body.length();
        while (start < length) {
            int lf = body.indexOf('\n', start);
            int end = lf < 0 ? length : lf;
            int textEnd = end > start && body.charAt(end - 1) == '\r' ? end - 1 : end;
            lines.add(body.substring(start, textEnd));
            start = lf < 0 ? length : lf + 1;
        }
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isEmpty()) {
            last--;
        }
        return new ArrayList<>(lines.subList(0, last));
    }

    static String join(List<String> lines) {
        StringBuilder out = new StringBuilder(lines.size() * 32);
        for (String line : lines) {
            out.append(line).append(CRLF);
        }
        return out.toString();
    }
}

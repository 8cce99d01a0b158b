package org.sipbridge.dhcp.codec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Gathers the options of every options area of one message. RFC 3396 §7: all instances of a code,
 * wherever they appear, form one value, concatenated in order (options field, then file, then sname).
 * Each code keeps the position of its first instance.
 */
final class OptionAccumulator {

    private final Map<Integer, ByteArrayOutputStream> values = new LinkedHashMap<>();

    void add(int code, byte[] packet, int from, int length) {
        values.computeIfAbsent(code, c -> new ByteArrayOutputStream(length)).write(packet, from, length);
    }

    /** Option 52 as seen so far: 1 (file), 2 (sname) or 3 (both); empty when absent. */
    OptionalInt overload() throws MalformedDhcpException {
        ByteArrayOutputStream value = values.get(DhcpOptionCodes.OVERLOAD);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value.size() != 1) {
            throw new MalformedDhcpException("option 52 (overload) has length " + value.size() + ", needs 1");
        }
        int fields = value.toByteArray()[0] & 0xff;
        if (fields < 1 || fields > 3) {
            throw new MalformedDhcpException(
                    "option 52 (overload) is " + fields + ", expected 1 (file), 2 (sname) or 3 (both)");
        }
        return OptionalInt.of(fields);
    }

    /** The options, less the overload framing; checks the lengths of the options this module interprets. */
    DhcpOptions build() throws MalformedDhcpException {
        List<DhcpOption> options = new ArrayList<>(values.size());
        for (Map.Entry<Integer, ByteArrayOutputStream> entry : values.entrySet()) {
            int code = entry.getKey();
            if (code == DhcpOptionCodes.OVERLOAD) {
                continue;
            }
            byte[] value = entry.getValue().toByteArray();
            OptionalInt required = DhcpOptionCodes.requiredLength(code);
            if (required.isPresent() && value.length != required.getAsInt()) {
                throw new MalformedDhcpException(
                        "option " + code + " has length " + value.length + ", needs " + required.getAsInt());
            }
            options.add(new DhcpOption(code, Octets.adopt(value)));
        }
        return new DhcpOptions(options);
    }
}

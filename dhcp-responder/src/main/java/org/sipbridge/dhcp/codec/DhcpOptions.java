package org.sipbridge.dhcp.codec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The options of a message in a fixed order (the order of first appearance when decoded, the order
 * of writing when encoded), each code at most once. Typed readers for the options this module uses.
 */
public record DhcpOptions(List<DhcpOption> list) {

    public static final DhcpOptions NONE = new DhcpOptions(List.of());

    public DhcpOptions {
        list = List.copyOf(list);
        Set<Integer> seen = new HashSet<>();
        for (DhcpOption option : list) {
            if (!seen.add(option.code())) {
                // RFC 3396: several instances of a code are one value; keep them as one option.
                throw new IllegalArgumentException(
                        "option " + option.code() + " appears twice; concatenate its values");
            }
        }
    }

    public static DhcpOptions of(DhcpOption... options) {
        return new DhcpOptions(List.of(options));
    }

    public Optional<DhcpOption> find(int code) {
        for (DhcpOption option : list) {
            if (option.code() == code) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }

    public Optional<Octets> value(int code) {
        return find(code).map(DhcpOption::value);
    }

    public boolean contains(int code) {
        return find(code).isPresent();
    }

    /** These options plus {@code option}, which replaces an option of the same code in place or goes last. */
    public DhcpOptions with(DhcpOption option) {
        List<DhcpOption> result = new ArrayList<>(list);
        for (int i = 0; i < result.size(); i++) {
            if (result.get(i).code() == option.code()) {
                result.set(i, option);
                return new DhcpOptions(result);
            }
        }
        result.add(option);
        return new DhcpOptions(result);
    }

    /** The raw value of option 53, whether or not this codec knows its name; empty for plain BOOTP. */
    public OptionalInt messageTypeCode() {
        return value(DhcpOptionCodes.MESSAGE_TYPE)
                .map(v -> OptionalInt.of(v.unsignedAt(0)))
                .orElse(OptionalInt.empty());
    }

    public Optional<DhcpMessageType> messageType() {
        OptionalInt code = messageTypeCode();
        return code.isPresent() ? DhcpMessageType.fromCode(code.getAsInt()) : Optional.empty();
    }

    /** Option 54, the server identifier, as an address int. */
    public OptionalInt serverIdentifier() {
        return value(DhcpOptionCodes.SERVER_IDENTIFIER)
                .map(v -> OptionalInt.of(Ipv4.fromBytes(v.toByteArray(), 0)))
                .orElse(OptionalInt.empty());
    }

    /** Option 55: the codes the client asked for, in its order; empty when it asked for none. */
    public List<Integer> parameterRequestList() {
        Optional<Octets> value = value(DhcpOptionCodes.PARAMETER_REQUEST_LIST);
        if (value.isEmpty()) {
            return List.of();
        }
        List<Integer> codes = new ArrayList<>(value.get().length());
        for (int i = 0; i < value.get().length(); i++) {
            codes.add(value.get().unsignedAt(i));
        }
        return List.copyOf(codes);
    }

    /** Option 60, e.g. {@code Polycom-VVX450}. */
    public Optional<String> vendorClassIdentifier() {
        return value(DhcpOptionCodes.VENDOR_CLASS_IDENTIFIER).map(Octets::toText);
    }

    /** Option 61: type byte then identifier (often 1 followed by the MAC). */
    public Optional<Octets> clientIdentifier() {
        return value(DhcpOptionCodes.CLIENT_IDENTIFIER);
    }

    /** Option 12. */
    public Optional<String> hostName() {
        return value(DhcpOptionCodes.HOST_NAME).map(Octets::toText);
    }

    @Override
    public String toString() {
        return list.toString();
    }
}

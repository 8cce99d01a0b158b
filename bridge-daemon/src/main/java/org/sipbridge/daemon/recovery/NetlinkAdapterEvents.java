package org.sipbridge.daemon.recovery;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Linux: a NETLINK_ROUTE socket subscribed to link and IPv4 address changes, on which the watcher's
 * thread blocks in {@code poll} until the kernel reports one (no wake-ups while nothing changes). An
 * eventfd beside it lets {@link #wake} interrupt the wait. Through JNA because the JDK cannot open an
 * AF_NETLINK socket (see the module README); 64-bit Linux only (size_t is a Java long here).
 */
final class NetlinkAdapterEvents implements AdapterEvents {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int RTMGRP_LINK = 0x1;
    private static final int RTMGRP_IPV4_IFADDR = 0x10;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final short POLLIN = 0x1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    /** The socket's buffer overflowed and messages were lost: look again, as for a change. */
    private static final int ENOBUFS = 105;
    /** Larger than any one link or address message (the kernel's own advice: at least 8 KiB). */
    private static final int RECEIVE_BYTES = 32 * 1024;

    private static final int POLLFD_BYTES = 8;
    private static final String JNA_SEARCH_PATH = "jna.platform.library.path";

    /** libc through JNA's direct mapping: no proxy classes, the cheapest calls JNA has. */
    private static final class LibC {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native int bind(int fd, byte[] address, int length) throws LastErrorException;

        static native int eventfd(int initial, int flags) throws LastErrorException;

        static native int poll(byte[] fds, long count, int timeoutMs) throws LastErrorException;

        static native long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

        static native long read(int fd, byte[] buffer, long length) throws LastErrorException;

        static native long write(int fd, byte[] buffer, long length) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    private final int socket;
    private final int wakeFd;
    private final byte[] received = new byte[RECEIVE_BYTES];
    private final byte[] pollFds = new byte[2 * POLLFD_BYTES];
    private final byte[] counter = new byte[Long.BYTES];
    private boolean closed;

    private NetlinkAdapterEvents(int socket, int wakeFd) {
        this.socket = socket;
        this.wakeFd = wakeFd;
    }

    /** Whether this JVM may try: 64-bit Linux (asked without loading JNA). */
    static boolean supported() {
        return System.getProperty("os.name", "").startsWith("Linux")
                && "64".equals(System.getProperty("sun.arch.data.model"));
    }

    /** @throws UncheckedIOException when the kernel refuses the socket; LinkageError when JNA cannot load */
    static NetlinkAdapterEvents open() {
        // libc is found by its soname; without a value here JNA's first load runs `ldconfig -p` (a
        // fork of the whole JVM and a "process reaper" thread for a minute) to list library folders.
        if (System.getProperty(JNA_SEARCH_PATH) == null) {
            System.setProperty(JNA_SEARCH_PATH, "");
        }
        int socket = -1;
        try {
            socket = LibC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
            byte[] address = ByteBuffer.allocate(12)
                    .order(ByteOrder.nativeOrder())
                    .putShort((short) AF_NETLINK)
                    .putShort((short) 0)
                    .putInt(0)
                    .putInt(RTMGRP_LINK | RTMGRP_IPV4_IFADDR)
                    .array();
            LibC.bind(socket, address, address.length);
            return new NetlinkAdapterEvents(socket, LibC.eventfd(0, EFD_CLOEXEC));
        } catch (LastErrorException e) {
            if (socket >= 0) {
                LibC.close(socket);
            }
            throw new UncheckedIOException(new IOException("netlink socket: " + e.getMessage(), e));
        }
    }

    @Override
    public void await(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            int waitMs = timeoutMs == NO_TIMEOUT
                    ? -1
                    : (int) Math.min(Integer.MAX_VALUE, Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
            ByteBuffer fds = ByteBuffer.wrap(pollFds).order(ByteOrder.nativeOrder());
            fds.putInt(0, socket)
                    .putShort(4, POLLIN)
                    .putShort(6, (short) 0)
                    .putInt(8, wakeFd)
                    .putShort(12, POLLIN)
                    .putShort(14, (short) 0);
            int ready;
            try {
                ready = LibC.poll(pollFds, 2, waitMs);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
                    return;
                }
                throw broken("poll", e);
            }
            if (ready == 0) {
                return;
            }
            if (fds.getShort(14) != 0) {
                LibC.read(wakeFd, counter, counter.length);
                return;
            }
            if (fds.getShort(6) != 0 && drainMayChangeAdapters()) {
                return;
            }
        }
    }

    /** Reads every message waiting; whether one of them (or a lost one) may change the adapters. */
    private boolean drainMayChangeAdapters() {
        boolean changed = false;
        while (true) {
            try {
                long length = LibC.recv(socket, received, received.length, MSG_DONTWAIT);
                changed |= NetlinkMessages.mayChangeAdapters(received, (int) Math.min(length, received.length));
            } catch (LastErrorException e) {
                switch (e.getErrorCode()) {
                    case EAGAIN -> {
                        return changed;
                    }
                    case ENOBUFS -> changed = true;
                    case EINTR -> {
                        /* again */
                    }
                    default -> throw broken("recv", e);
                }
            }
        }
    }

    private static UncheckedIOException broken(String call, LastErrorException e) {
        return new UncheckedIOException(new IOException("netlink " + call + ": " + e.getMessage(), e));
    }

    @Override
    public synchronized void wake() {
        if (!closed) {
            byte[] one = ByteBuffer.allocate(Long.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .putLong(1)
                    .array();
            LibC.write(wakeFd, one, one.length);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(socket);
            LibC.close(wakeFd);
        }
    }

    @Override
    public String describe() {
        return "netlink events";
    }
}

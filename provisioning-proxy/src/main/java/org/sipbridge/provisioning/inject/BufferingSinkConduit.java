package org.sipbridge.provisioning.inject;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.ConduitFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.xnio.ChannelListeners;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitWritableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.WriteReadyHandler;

/**
 * Holds a small response body until it is complete, lets {@code edit} replace it (and adjust the
 * response headers, which are not written yet), then writes it out. The conduits underneath, which
 * frame the body by the Content-Length header, are made only then ({@code factory.create()}), the way
 * Undertow's own compressing conduit does. A body that grows past {@code limit} is not a master file:
 * it is written on unchanged, streaming from there on.
 *
 * <p>Used on one connection's I/O thread, like every conduit.
 */
final class BufferingSinkConduit implements StreamSinkConduit {

    private final ConduitFactory<StreamSinkConduit> factory;
    private final HttpServerExchange exchange;
    private final UnaryOperator<byte[]> edit;
    private final int limit;
    private ByteArrayOutputStream held = new ByteArrayOutputStream();
    /** The conduit below, once the body (or the decision to stream) is known. */
    private StreamSinkConduit next;
    /** What must reach {@link #next} before anything else. */
    private ByteBuffer pending;

    private WriteReadyHandler handler;
    private boolean resumed;
    private boolean terminated;
    private boolean nextTerminated;

    BufferingSinkConduit(
            ConduitFactory<StreamSinkConduit> factory,
            HttpServerExchange exchange,
            UnaryOperator<byte[]> edit,
            int limit) {
        this.factory = factory;
        this.exchange = exchange;
        this.edit = edit;
        this.limit = limit;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (terminated) {
            throw new ClosedChannelException();
        }
        if (next == null) {
            if (held.size() + src.remaining() <= limit) {
                int n = src.remaining();
                byte[] copy = new byte[n];
                src.get(copy);
                held.write(copy, 0, n);
                return n;
            }
            open(held.toByteArray()); // too large for a master: stream it unchanged
        }
        return drained() ? next.write(src) : 0;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int wanted = srcs[i].remaining();
            int written = write(srcs[i]);
            total += written;
            if (written < wanted) {
                break;
            }
        }
        return total;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offset, length);
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        return src.transferTo(position, count, new ConduitWritableByteChannel(this));
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        return Conduits.transfer(source, count, throughBuffer, this);
    }

    /** The body is complete: edit it, make the conduits below, and start writing it. */
    @Override
    public void terminateWrites() throws IOException {
        if (terminated) {
            return;
        }
        terminated = true;
        if (next == null) {
            open(edit.apply(held.toByteArray()));
        }
        if (drained()) {
            next.terminateWrites();
            nextTerminated = true;
        }
    }

    @Override
    public boolean flush() throws IOException {
        if (next == null) {
            return true; // holding the body: nothing can be written yet
        }
        if (!drained()) {
            return false;
        }
        if (terminated && !nextTerminated) {
            next.terminateWrites();
            nextTerminated = true;
        }
        return next.flush();
    }

    private void open(byte[] first) {
        held = null;
        next = factory.create();
        if (handler != null) {
            next.setWriteReadyHandler(handler);
        }
        if (resumed) {
            next.resumeWrites();
        }
        pending = ByteBuffer.wrap(first);
    }

    private boolean drained() throws IOException {
        while (pending.hasRemaining()) {
            if (next.write(pending) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isWriteShutdown() {
        return terminated;
    }

    @Override
    public void resumeWrites() {
        if (next != null) {
            next.resumeWrites();
        } else {
            resumed = true;
            signalWritable();
        }
    }

    /**
     * While holding, the conduit can always take more: tell the writer so, from the I/O thread. The
     * channel's write listener is called directly, as the write-ready handler lives on the socket's
     * conduit, below the ones not made yet.
     */
    private void signalWritable() {
        exchange.getIoThread().execute(() -> {
            if (next == null && resumed) {
                // The HTTP/1.1 connection's channel, whose conduit the exchange replaced with the wrappers.
                ConduitStreamSinkChannel channel = ((AbstractServerConnection) exchange.getConnection())
                        .getChannel()
                        .getSinkChannel();
                ChannelListeners.invokeChannelListener(channel, channel.getWriteListener());
                if (next == null && resumed) {
                    signalWritable();
                }
            }
        });
    }

    @Override
    public void suspendWrites() {
        if (next != null) {
            next.suspendWrites();
        } else {
            resumed = false;
        }
    }

    @Override
    public void wakeupWrites() {
        resumeWrites();
    }

    @Override
    public boolean isWriteResumed() {
        return next != null ? next.isWriteResumed() : resumed;
    }

    @Override
    public void awaitWritable() throws IOException {
        if (next != null) {
            next.awaitWritable();
        }
    }

    @Override
    public void awaitWritable(long time, TimeUnit timeUnit) throws IOException {
        if (next != null) {
            next.awaitWritable(time, timeUnit);
        }
    }

    @Override
    public XnioIoThread getWriteThread() {
        return exchange.getIoThread();
    }

    @Override
    public void setWriteReadyHandler(WriteReadyHandler handler) {
        this.handler = handler;
        if (next != null) {
            next.setWriteReadyHandler(handler);
        }
    }

    @Override
    public void truncateWrites() throws IOException {
        terminated = true;
        held = null;
        if (next == null) {
            next = factory.create();
        }
        next.truncateWrites();
    }

    @Override
    public XnioWorker getWorker() {
        return exchange.getConnection().getWorker();
    }
}

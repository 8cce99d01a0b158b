package org.sipbridge.provisioning;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Undertow's buffer pool with a count of buffers taken and not given back: after the proxy stops it
 * must be zero, or some path (an error path usually) leaks pooled buffers.
 */
final class CountingBufferPool implements ByteBufferPool {

    private final ByteBufferPool delegate;
    private final AtomicInteger outstanding;
    private volatile CountingBufferPool arrayBacked;

    CountingBufferPool(ByteBufferPool delegate) {
        this(delegate, new AtomicInteger());
    }

    private CountingBufferPool(ByteBufferPool delegate, AtomicInteger outstanding) {
        this.delegate = delegate;
        this.outstanding = outstanding;
    }

    int outstanding() {
        return outstanding.get();
    }

    @Override
    public PooledByteBuffer allocate() {
        PooledByteBuffer pooled = delegate.allocate();
        outstanding.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return new PooledByteBuffer() {
            @Override
            public ByteBuffer getBuffer() {
                return pooled.getBuffer();
            }

            @Override
            public void close() {
                if (open.compareAndSet(true, false)) {
                    outstanding.decrementAndGet();
                    pooled.close();
                }
            }

            @Override
            public boolean isOpen() {
                return open.get();
            }
        };
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        if (delegate.isDirect()) {
            if (arrayBacked == null) {
                arrayBacked = new CountingBufferPool(delegate.getArrayBackedPool(), outstanding);
            }
            return arrayBacked;
        }
        return this;
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public int getBufferSize() {
        return delegate.getBufferSize();
    }

    @Override
    public boolean isDirect() {
        return delegate.isDirect();
    }
}

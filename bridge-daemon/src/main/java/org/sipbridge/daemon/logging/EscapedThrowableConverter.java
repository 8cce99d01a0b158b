package org.sipbridge.daemon.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %ex} with the exception messages escaped: a stack trace keeps its own line breaks, but a
 * message that quotes network input (a parser's "unexpected ... near '...'") cannot add lines of its own.
 */
public final class EscapedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return super.throwableProxyToString(EscapedThrowableProxy.of(throwable));
    }
}

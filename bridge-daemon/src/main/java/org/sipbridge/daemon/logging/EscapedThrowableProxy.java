package org.sipbridge.daemon.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import org.sipbridge.contract.LogText;

/** A throwable as logback prints it, with the messages of it, its causes and suppressed ones escaped. */
final class EscapedThrowableProxy implements IThrowableProxy {

    private final IThrowableProxy original;

    private EscapedThrowableProxy(IThrowableProxy original) {
        this.original = original;
    }

    static IThrowableProxy of(IThrowableProxy original) {
        return original == null || original instanceof EscapedThrowableProxy
                ? original
                : new EscapedThrowableProxy(original);
    }

    @Override
    public String getMessage() {
        String message = original.getMessage();
        return message == null ? null : LogText.escapeControls(message);
    }

    @Override
    public String getOverridingMessage() {
        String message = original.getOverridingMessage();
        return message == null ? null : LogText.escapeControls(message);
    }

    @Override
    public String getClassName() {
        return original.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return original.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return original.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return of(original.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = original.getSuppressed();
        if (suppressed == null) {
            return null;
        }
        IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
        for (int i = 0; i < suppressed.length; i++) {
            escaped[i] = of(suppressed[i]);
        }
        return escaped;
    }

    @Override
    public boolean isCyclic() {
        return original.isCyclic();
    }
}

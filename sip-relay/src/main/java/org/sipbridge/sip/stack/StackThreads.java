package org.sipbridge.sip.stack;

import java.util.concurrent.Callable;

/**
 * The thread group of jain-sip's network threads (listeners, per-connection readers and their
 * parser threads). jain-sip lets some input errors escape its threads, e.g. a TCP message whose
 * Content-Length exceeds the message size limit ends the connection's parser thread with a
 * RuntimeException, which the JVM would print to stderr as a stack trace. Threads inherit the
 * group of the thread that starts them, so creating the listening points from inside this group
 * covers every thread they start; their uncaught exceptions become one counted DEBUG line.
 */
public final class StackThreads extends ThreadGroup {

    public StackThreads(String name) {
        super(name);
    }

    @Override
    public void uncaughtException(Thread thread, Throwable e) {
        Slf4jStackLogger.problem("thread " + thread.getName() + " ended", e);
    }

    /**
     * Runs {@code action} on a new thread of this group and waits for it, so the threads it starts
     * belong to the group; its exception, if any, is thrown here.
     */
    public <T> T call(Callable<T> action) throws Exception {
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        Thread thread = new Thread(
                this,
                () -> {
                    try {
                        result[0] = action.call();
                    } catch (Exception e) {
                        failure[0] = e;
                    }
                },
                getName() + "-setup");
        thread.start();
        thread.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}

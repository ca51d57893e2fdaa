package dev.oomguard.launch;

import dev.oomguard.proc.FastCalls;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * The signals of a job oomguard started and supervises: its PID names its process group until the
 * supervisor reaps it ({@link Supervisor#unreapedPid}); afterwards the supervisor's own delivery
 * takes over ({@link Supervisor#deliverNow}).
 */
public final class GroupSignals implements JobSignals {
    private final IntSupplier unreapedPid;
    private final IntConsumer send;

    /**
     * @param unreapedPid the job's PID while it is certainly not reaped; 0 or less once it may be
     * @param send        how {@link #send} delivers a signal
     */
    public GroupSignals(IntSupplier unreapedPid, IntConsumer send) {
        this.unreapedPid = unreapedPid;
        this.send = send;
    }

    /** The signals of the job {@code supervisor} runs. */
    public static GroupSignals of(Supervisor supervisor) {
        return new GroupSignals(supervisor::unreapedPid, supervisor::deliverNow);
    }

    @Override
    public void send(int signal) {
        send.accept(signal);
    }

    @Override
    public boolean unreaped() {
        return unreapedPid.getAsInt() > 0;
    }

    /** Straight through libc's direct binding: no allocation, no lock, not counted as forwarded. */
    @Override
    public void sendToGroupAtOnce(int signal) {
        int group = unreapedPid.getAsInt();
        if (group > 0) {
            FastCalls.kill(-group, signal);
        }
    }
}

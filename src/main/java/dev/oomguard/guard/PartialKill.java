package dev.oomguard.guard;

import dev.oomguard.sample.ProcessId;
import dev.oomguard.units.ByteSize;

/**
 * A process of the job that vanished while an OOM kill counter rose (and that rise was not yet
 * matched with another vanished process): the kernel's OOM killer took it.
 *
 * @param oomKillsRise      the counter rise it was matched with (several kills can show as one rise)
 * @param lastRssAndSwapKiB what it held (resident + swapped) when last seen
 * @param tick              the tick at which it was found gone
 */
public record PartialKill(ProcessId process, String comm, long oomKillsRise, long lastRssAndSwapKiB, long tick) {
    public String describe() {
        return "process " + process.pid() + " (" + comm + ") was killed by the kernel OOM killer: it vanished while"
                + " the oom_kill counter rose" + (oomKillsRise > 1 ? " by " + oomKillsRise : "") + "; it held "
                + ByteSize.ofKiB(lastRssAndSwapKiB).human() + " when last seen";
    }
}

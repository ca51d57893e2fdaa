package dev.oomguard.guard;

import dev.oomguard.sample.ProcessId;
import dev.oomguard.units.ByteSize;

/**
 * A process of the job that vanished while an OOM kill counter rose (and that rise was not yet
 * matched with another vanished process): the kernel's OOM killer took it.
 *
 * @param oomKillsRise      the counter rise it was matched with (several kills can show as one rise)
 * @param peakRssAndSwapKiB the most it held (resident + swapped) while watched; its last reading is
 *                          often 0, as the OOM reaper frees a victim's memory before it is gone
 * @param tick              the tick at which it was found gone
 */
public record PartialKill(ProcessId process, String comm, long oomKillsRise, long peakRssAndSwapKiB, long tick) {
    public String describe() {
        return "process " + process.pid() + " (" + comm + ") was killed by the kernel OOM killer: it vanished while"
                + " the oom_kill counter rose" + (oomKillsRise > 1 ? " by " + oomKillsRise : "") + "; it had grown to "
                + ByteSize.ofKiB(peakRssAndSwapKiB).human();
    }
}

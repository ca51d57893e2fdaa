package dev.oomguard.kernellog;

/**
 * The {@code <comm> invoked oom-killer: ...} line: who asked for memory and could not get it.
 * Fields the kernel generation did not print are null.
 *
 * @param invoker     the invoking task's comm (may contain spaces, '/', ':')
 * @param gfpMask     the mask as printed, e.g. {@code 0x24280ca}
 * @param gfpFlags    the symbolic flags (4.6+), e.g. {@code GFP_KERNEL}, or null
 * @param order       allocation order
 * @param oomScoreAdj the invoker's oom_score_adj
 * @param oomAdj      the legacy oom_adj (2.6.32, RHEL6)
 * @param nodemask    the nodemask (4.9–4.20), {@code (null)} when empty
 */
public record OomHeader(String invoker, String gfpMask, String gfpFlags, Integer order,
        Integer oomScoreAdj, Integer oomAdj, String nodemask) {
    public OomHeader {
        if (invoker == null) {
            throw new IllegalArgumentException("header without an invoker");
        }
    }
}

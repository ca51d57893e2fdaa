package dev.oomguard.checkpoint;

import dev.oomguard.launch.JobSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * "Put the flag file in place, then signal": the order the checkpoint protocol promises (a job
 * woken by the signal finds the file), written once for the guard's thread (the responder) and
 * the reflex's thread alike. The last request's answer is counted, and its {@code FILE.done}
 * cleared, before the flag file is put in place for the next one.
 */
public final class CheckpointRequest {
    private final Checkpoints checkpoints;
    private final FlagFile flag; // null without --checkpoint-file
    private final JobSignals signals;

    public CheckpointRequest(Checkpoints checkpoints, JobSignals signals) {
        this.checkpoints = checkpoints;
        this.flag = checkpoints.file().map(FlagFile::new).orElse(null);
        this.signals = signals;
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    /**
     * On the guard's thread: the flag file written with {@code reason}, then {@code signal} (0:
     * none) to the job. Returns whether the file was written; {@code say} hears why not.
     */
    public boolean send(String reason, int signal, Consumer<String> say) {
        checkpoints.poll(); // an answer to the last request counts before this one clears its .done
        boolean written = false;
        if (flag != null) {
            checkpoints.prepare();
            try {
                flag.write(reason);
                written = true;
            } catch (IOException e) {
                say.accept("cannot write the checkpoint file " + flag.path() + ": " + e.getMessage());
            }
        }
        return then(written, signal, false);
    }

    /**
     * Ahead of {@link #sendStaged}, away from the race: the flag file's text staged beside it.
     * False, and {@code detail} hears why, when it cannot be.
     */
    boolean stage(String reason, Consumer<String> detail) {
        if (flag == null) {
            return true;
        }
        checkpoints.poll(); // an answer to the last request counts before its .done is cleared
        checkpoints.prepare();
        try {
            flag.stage(reason);
            return true;
        } catch (IOException e) {
            detail.accept("cannot stage the checkpoint file " + flag.staged() + " (" + e.getMessage()
                    + "): the checkpoint is asked by the guard's thread");
            return false;
        }
    }

    /** Whether the job is certainly not reaped, so that {@link #sendStaged} reaches it alone. */
    boolean jobUnreaped() {
        return signals.unreaped();
    }

    /**
     * On the reflex's thread: the staged file renamed into place, then {@code signal} (0: none)
     * straight to the job's group — no allocation, no lock. Returns whether the file is in place.
     */
    boolean sendStaged(int signal) {
        return then(flag != null && flag.putStagedInPlace(), signal, true);
    }

    /** Whether no text is staged (so {@link #sendStaged} would put nothing in place). */
    boolean nothingStaged() {
        return flag == null || !Files.exists(flag.staged(), LinkOption.NOFOLLOW_LINKS);
    }

    /** A staged file left over is removed. */
    void removeStaged() {
        if (flag != null) {
            flag.removeStaged();
        }
    }

    Optional<Path> file() {
        return flag == null ? Optional.empty() : Optional.of(flag.path());
    }

    /** The signal after the file: {@code filePut} is evaluated by the caller before this runs. */
    private boolean then(boolean filePut, int signal, boolean fromReflex) {
        if (signal > 0) {
            if (fromReflex) {
                signals.sendToGroupAtOnce(signal);
            } else {
                signals.send(signal);
            }
        }
        return filePut;
    }
}

package dev.oomguard.proc;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.oomguard.trace.Phases;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The one way into JNA, which owns the order: {@link NativeBoot} decides where JNA's own library
 * comes from before any JNA class is initialised, by any thread; every class of this package
 * that loads a library or binds natives does it through {@link #load}, {@link #register} or
 * {@link #library}, which boot first (NativeConfinementTest holds them to it). Outside this
 * package, OSHI (JNA too) waits for {@link #boot()}.
 *
 * <p>A run starts native access early ({@link #begin()}: on a thread of its own, beside the
 * parsing of its options) and takes libc when it needs it ({@link #libc()}, which waits). The
 * other commands load nothing until they touch libc.
 */
public final class NativeStart {
    private NativeStart() {
    }

    /** {@link NativeBoot}'s decision, made once (by the first caller; the others wait for it). */
    public static NativeBoot.Choice boot() {
        return Boot.CHOICE;
    }

    /**
     * Starts loading native access on a daemon thread, if nothing has yet: JNA's library, libc,
     * and the parts of JNA a run's start goes through before the job is spawned. Returns at once.
     */
    public static void begin() {
        Warm.started(); // the holder starts the thread, once
    }

    /**
     * libc, loaded by the thread {@link #begin()} started (started here if nothing had), waited for.
     *
     * @throws LinkageError where native access cannot be loaded (the caller runs the job unguarded)
     */
    public static LibC libc() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return Warm.TASK.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the wait is short and the run needs libc: kept for the caller
                } catch (ExecutionException e) {
                    throw rethrown(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The warm-up's failure as the caller would have had it from {@code LibC.INSTANCE} itself. */
    static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof LinkageError e) {
            throw e; // the same error object: "cannot load native access (...)" reads as before
        }
        return cause instanceof RuntimeException e ? e : new IllegalStateException(cause);
    }

    /** {@code Native.load}, after the boot. */
    static <T extends Library> T load(String name, Class<T> calls) {
        boot();
        T loaded = Native.load(name, calls);
        NativeBoot.loaded(boot());
        return loaded;
    }

    /** {@code Native.register}, after the boot. */
    static void register(Class<?> natives, String name) {
        boot();
        Native.register(natives, name);
        NativeBoot.loaded(boot());
    }

    /** {@code NativeLibrary.getInstance}, after the boot. */
    static NativeLibrary library(String name) {
        boot();
        NativeLibrary library = NativeLibrary.getInstance(name);
        NativeBoot.loaded(boot());
        return library;
    }

    /** Runs once, on first use (the holder idiom: no mutable static state). */
    private static final class Boot {
        static final NativeBoot.Choice CHOICE = NativeBoot.configure();

        static {
            Phases.mark("native boot");
        }
    }

    /** The warm-up, started once, on first use. */
    private static final class Warm {
        static final FutureTask<LibC> TASK = start();

        static void started() {
            // nothing: initialising this class is what starts the thread
        }

        private static FutureTask<LibC> start() {
            FutureTask<LibC> task = new FutureTask<>(new Warming());
            Thread thread = new Thread(task, "oomguard-natives");
            thread.setDaemon(true); // a run refused on its options ends without waiting for it
            thread.start();
            return task;
        }
    }

    /** What a run's start needs of JNA, touched in the order the run touches it. A class, not a lambda. */
    private static final class Warming implements java.util.concurrent.Callable<LibC> {
        @Override
        public LibC call() {
            LibC libc = LibC.INSTANCE;
            Phases.mark("natives: libc");
            libc.getpid(); // a first call through the proxy: JNA's call path, class by class
            try {
                new PosixSpawn(libc);
                new Signals(libc);
                new Children(libc);
            } catch (RuntimeException | LinkageError e) {
                // Only a warm-up: the run meets the same failure where it always did.
            }
            Phases.mark("natives: warm");
            return libc;
        }
    }
}

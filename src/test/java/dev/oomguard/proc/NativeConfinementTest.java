package dev.oomguard.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * JNA stays inside {@code proc}: no source file elsewhere names it, and no public method,
 * constructor or field of this package shows one of its types (a {@code Pointer}, a
 * {@code Memory}, a {@code LastErrorException}) to the rest of the code.
 */
class NativeConfinementTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path PROC = SOURCES.resolve("dev/oomguard/proc");
    private static final String JNA = "com.sun.jna";

    @Test
    void noSourceOutsideProcNamesJna() throws IOException {
        List<Path> offending;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offending = files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(PROC))
                    .filter(NativeConfinementTest::namesJna).sorted().toList();
        }
        assertThat(offending).as("files outside %s that name %s (move the native call into proc)", PROC, JNA)
                .isEmpty();
    }

    /** Where JNA's library comes from is decided before JNA is first initialised: one way in, {@link NativeStart}. */
    @Test
    void onlyNativeStartLoadsLibrariesOrBindsNatives() throws IOException {
        List<Path> offending;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offending = files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("NativeStart.java"))
                    .filter(f -> read(f).contains("Native.load(") || read(f).contains("Native.register(")
                            || read(f).contains("NativeLibrary.getInstance(") || read(f).contains("NativeLibrary.getProcess("))
                    .sorted().toList();
        }
        assertThat(offending).as("files that load a library or bind natives other than through NativeStart").isEmpty();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offending = files.filter(f -> f.toString().endsWith(".java") && read(f).contains("import oshi."))
                    .filter(f -> !read(f).contains("NativeStart.boot()")).sorted().toList();
        }
        assertThat(offending).as("files that use OSHI (JNA) without NativeStart.boot() first").isEmpty();
    }

    @Test
    void procShowsNoJnaTypeInItsPublicApi() throws IOException, ClassNotFoundException {
        List<String> leaks = new ArrayList<>();
        List<String> names;
        try (Stream<Path> files = Files.list(PROC)) {
            names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> "dev.oomguard.proc." + n.substring(0, n.length() - ".java".length())).sorted().toList();
        }
        assertThat(names).contains("dev.oomguard.proc.PollSet", "dev.oomguard.proc.LibC");
        for (String name : names) {
            check(Class.forName(name, false, getClass().getClassLoader()), leaks);
        }
        assertThat(leaks).as("JNA types in proc's public API").isEmpty();
    }

    private static void check(Class<?> type, List<String> leaks) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return;
        }
        for (Class<?> s = type; s != null; s = s.getSuperclass()) {
            if (s.getName().startsWith(JNA)) {
                leaks.add(type.getName() + " extends " + s.getName());
            }
        }
        for (Class<?> i : type.getInterfaces()) {
            if (i.getName().startsWith(JNA)) {
                leaks.add(type.getName() + " implements " + i.getName());
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (exposed(m.getModifiers())) {
                List<Type> types = new ArrayList<>(List.of(m.getGenericParameterTypes()));
                types.add(m.getGenericReturnType());
                types.addAll(List.of(m.getGenericExceptionTypes()));
                leak(type.getName() + "." + m.getName(), types, leaks);
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (exposed(c.getModifiers())) {
                List<Type> types = new ArrayList<>(List.of(c.getGenericParameterTypes()));
                types.addAll(List.of(c.getGenericExceptionTypes()));
                leak(type.getName() + " constructor", types, leaks);
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (exposed(f.getModifiers())) {
                leak(type.getName() + "." + f.getName(), List.of(f.getGenericType()), leaks);
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            check(nested, leaks);
        }
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void leak(String where, List<Type> types, List<String> leaks) {
        for (Type t : types) {
            if (t.getTypeName().contains(JNA)) {
                leaks.add(where + ": " + t.getTypeName());
            }
        }
    }

    private static boolean namesJna(Path file) {
        return read(file).contains(JNA);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

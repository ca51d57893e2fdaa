/** The baseline for scripts/bench-footprint: a JVM that starts, prints nothing and exits. */
public class Hello {
    public static void main(String[] args) {
        if (args.length > 0) {
            System.out.println(args[0]);
        }
    }
}

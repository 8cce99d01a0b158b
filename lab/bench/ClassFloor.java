import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory floor of issue #19 (run by class-floor.sh): loads every class a file of
 * -XX:DumpLoadedClassList names, without initialising any, then sleeps so the caller can read VmRSS.
 * Nothing of the bridge runs: what the process holds is the JVM and those classes.
 */
public final class ClassFloor {
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        int loaded = 0;
        int missing = 0;
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("@")) {
                continue; // comments, and the archive's lambda and method-handle lines
            }
            String name = line.split(" ", 2)[0].replace('/', '.');
            try {
                Class.forName(name, false, ClassFloor.class.getClassLoader());
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                missing++;
            }
        }
        System.out.printf("loaded %d classes (%d not found) in %d ms%n", loaded, missing, (System.nanoTime() - start) / 1_000_000);
        System.out.flush();
        Thread.sleep(Long.parseLong(args.length > 1 ? args[1] : "10000"));
    }
}

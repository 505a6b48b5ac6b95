package dev.shoal.sequencer.tools;

/**
 * How a tool's main ends: always with an exit status. Outside Quarkus, Mutiny's default worker
 * pool and scheduler (which the raw-client stores run on) have non-daemon threads, so a main that
 * returns or throws would leave the JVM running after its last line.
 */
final class ToolExit {
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private ToolExit() {}

    /** Runs the tool; exit status 0 when it returns, 2 for a malformed number, 1 for any other failure. */
    static void run(String tool, Body body) {
        int status = 0;
        try {
            body.run();
        } catch (NumberFormatException e) {
            System.err.println(tool + ": not a number: " + e.getMessage());
            status = 2;
        } catch (Throwable e) {
            System.err.println(tool + ": failed: " + e);
            if (System.getenv("SHOAL_TOOL_DEBUG") != null) e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}

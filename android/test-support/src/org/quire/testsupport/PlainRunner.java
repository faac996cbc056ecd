package org.quire.testsupport;

import java.util.ArrayList;
import java.util.List;
import org.junit.runner.Description;
import org.junit.runner.JUnitCore;
import org.junit.runner.Request;
import org.junit.runner.Result;
import org.junit.runner.manipulation.Filter;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunListener;

/**
 * Runs JUnit 4 test classes (Robolectric ones included, through their @RunWith) and ends with
 * the plain line {@code N passed, N failed[, N skipped]} that the project's CI reads.
 *
 * <p>Usage: {@code java ... org.quire.testsupport.PlainRunner [-Dquire.filter=substring]
 * ClassName...}. Quiet: prints one line per failure (with its stack trace) and the summary.
 * Exit status 0 when every test passed and at least one ran, 1 otherwise.
 */
public final class PlainRunner {
  private PlainRunner() {}

  public static void main(String[] args) throws Exception {
    String filter = System.getProperty("quire.filter", "");
    boolean verbose = Boolean.getBoolean("quire.verbose");
    List<Class<?>> classes = new ArrayList<>();
    for (String name : args) {
      classes.add(Class.forName(name));
    }
    Request request = Request.classes(classes.toArray(new Class<?>[0]));
    if (!filter.isEmpty()) {
      request =
          request.filterWith(
              new Filter() {
                @Override
                public boolean shouldRun(Description d) {
                  return !d.isTest() || d.getDisplayName().contains(filter);
                }

                @Override
                public String describe() {
                  return "name contains " + filter;
                }
              });
    }
    JUnitCore core = new JUnitCore();
    core.addListener(
        new RunListener() {
          private long started;

          @Override
          public void testStarted(Description d) {
            started = System.nanoTime();
          }

          @Override
          public void testFinished(Description d) {
            if (verbose) {
              long ms = (System.nanoTime() - started) / 1_000_000;
              System.out.println("done: " + d.getDisplayName() + " (" + ms + " ms)");
            }
          }

          @Override
          public void testFailure(Failure f) {
            System.out.println("FAILED: " + f.getTestHeader());
            System.out.println(f.getTrace());
          }

          @Override
          public void testAssumptionFailure(Failure f) {
            System.out.println("skipped: " + f.getTestHeader() + ": " + f.getMessage());
          }
        });
    Result r = core.run(request);
    int failed = r.getFailureCount();
    int skipped = r.getIgnoreCount() + r.getAssumptionFailureCount();
    int passed = r.getRunCount() - failed - r.getAssumptionFailureCount();
    System.out.println(
        passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : ""));
    System.out.flush();
    // Robolectric leaves non-daemon threads behind: exit explicitly.
    System.exit(failed == 0 && passed > 0 ? 0 : 1);
  }
}

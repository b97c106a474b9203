package org.anomaly4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Runs examples/jshell/quickstart.jsh through the real jshell, as the README tells users to. */
class JShellQuickstartTest {

    @Test
    void givenQuickstartScript_whenRunInJShell_thenItFitsEvaluatesAndReloads() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path jshell = javaHome.resolve("bin").resolve("jshell");
        assumeTrue(Files.isExecutable(jshell), "no jshell in " + javaHome);
        Path module = Path.of("").toAbsolutePath(); // surefire runs in the module directory
        Path cpFile = module.resolve("target/classpath.txt");
        assertTrue(Files.exists(cpFile), "target/classpath.txt is written at generate-resources");
        String cp = module.resolve("target/classes") + File.pathSeparator + Files.readString(cpFile).strip();
        Process p = new ProcessBuilder(List.of(jshell.toString(), "-R-Dai.djl.offline=true",
                "-R-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "--class-path", cp, "--startup", "DEFAULT",
                "--startup", module.resolve("jshell/startup.jsh").toString(),
                module.resolve("jshell/quickstart.jsh").toString()))
                .directory(module.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "jshell did not finish:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("anomaly4j") && out.contains("ready"), "startup script ran:\n" + out);
        Matcher m = Pattern.compile("quickstart: image AUROC ([0-9.]+), pixel AUROC ([0-9.]+)").matcher(out);
        assertTrue(m.find(), "quickstart printed its evaluation:\n" + out);
        assertTrue(Double.parseDouble(m.group(1)) > 0.8, out);
        assertTrue(Double.parseDouble(m.group(2)) > 0.8, out);
        assertTrue(out.contains("quickstart: reloaded pixel-gaussian, same score: true"), out);
        assertTrue(!out.contains("Exception") && !out.contains("Error:"), out);
    }
}

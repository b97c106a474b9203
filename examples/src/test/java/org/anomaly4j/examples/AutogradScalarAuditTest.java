package org.anomaly4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Guards the rule of {@code org.anomaly4j.tensor.Autograd}: DJL's PyTorch engine makes {@code x.mul(2)}
 * (and {@code div}, {@code pow}, {@code maximum}, {@code minimum} with a number) from a scalar tensor over a
 * Java direct buffer that it closes at once; autograd keeps that scalar for the backward pass, so a GC
 * between forward and backward corrupts gradients or crashes the JVM. On a training path such calls must
 * go through {@code Autograd}. This test disassembles every class of the project's modules (with the JDK's
 * {@code javap}) and fails on a call of those {@code NDArray} methods with a {@code Number} argument in any
 * method that is not listed below as inference-only (no gradient recorded, where the scalar is only read
 * during the call).
 */
class AutogradScalarAuditTest {
    /** Methods where a scalar op is safe: no autograd graph is recorded there. Class simple name + method. */
    private static final Map<String, String> INFERENCE_ONLY = new TreeMap<>(Map.ofEntries(
            Map.entry("api.AnomalyImage.fromDjl", "image conversion"),
            Map.entry("density.PixelGaussian.fit", "closed-form statistics"),
            Map.entry("pixel.stfpm.Stfpm.scoreModelInput", "scoring"),
            Map.entry("pixel.students.UninformedStudents.errorAndVariance", "scoring"),
            Map.entry("reconstruction.Ops.gms", "a constant kernel (no gradient), the op's result is engine-owned"),
            Map.entry("reconstruction.ReconstructionDetector.restoration", "scoring"),
            Map.entry("reconstruction.ReconstructionDetector.riad", "scoring"),
            Map.entry("reconstruction.ReconstructionDetector.vae", "scoring"),
            Map.entry("selfsupervised.Augment.reflect", "augmentation of inputs (no gradient)"),
            Map.entry("selfsupervised.Augment.geometric", "augmentation of inputs (no gradient)"),
            Map.entry("selfsupervised.Augment.resizedCrop", "augmentation of inputs (no gradient)"),
            Map.entry("selfsupervised.Augment.sample", "augmentation of inputs (no gradient)"),
            Map.entry("selfsupervised.Inputs.normalize", "input normalisation (no gradient)"),
            Map.entry("tensor.GaussianField.squaredMahalanobis", "scoring"),
            Map.entry("tensor.GaussianField$Accumulator.precisionChunk", "closed-form statistics"),
            Map.entry("tensor.GaussianField$Accumulator.fit", "closed-form statistics"),
            Map.entry("tensor.OptimizerState.update", "the optimizer step, outside the recorded graph")));

    private static final Pattern CLASS_LINE = Pattern.compile(
            "^(?:[a-z]+ )*(?:class|interface|enum|record) (org\\.anomaly4j\\.[\\w.$]+)");
    private static final Pattern METHOD_LINE = Pattern.compile("^  [^ (].*?([\\w$]+)\\(.*\\);$");
    private static final Pattern SCALAR_CALL = Pattern.compile(
            "ai/djl/ndarray/NDArray\\.(mul|div|pow|maximum|minimum):\\(Ljava/lang/Number;\\)");
    private static final Pattern LAMBDA = Pattern.compile("^lambda\\$([\\w]+)\\$\\d+$");

    @Test
    void givenProjectClasses_whenDisassembled_thenScalarOpsWithANumberAreOnlyOnInferencePaths() {
        Optional<ToolProvider> javap = ToolProvider.findFirst("javap");
        Assumptions.assumeTrue(javap.isPresent(), "javap is not available in this runtime");
        Map<String, Set<String>> calls = scalarCalls(javap.get());
        assertTrue(calls.containsKey("selfsupervised.Augment.geometric"),
                "the audit found no scalar call where one is known to be: the scan is broken: " + calls.keySet());
        Set<String> offending = new TreeSet<>(calls.keySet());
        offending.removeAll(INFERENCE_ONLY.keySet());
        assertTrue(offending.isEmpty(), "NDArray.mul/div/pow/maximum/minimum(Number) on a path that may record "
                + "gradients; use org.anomaly4j.tensor.Autograd there (or list the method here if it is inference "
                + "only): " + offending);
        Set<String> stale = new TreeSet<>(INFERENCE_ONLY.keySet());
        stale.removeAll(calls.keySet());
        assertEquals(Set.of(), stale, "listed as inference-only but no longer calling a scalar op: drop them");
    }

    @Test
    void givenJavapOutput_whenParsed_thenLambdasAreAttributedToTheirEnclosingMethod() {
        String out = String.join("\n",
                "final class org.anomaly4j.selfsupervised.Demo {",
                "  private static ai.djl.ndarray.NDArray lambda$fit$0(float, ai.djl.ndarray.NDList);",
                "    Code:",
                "      136: invokeinterface #765,  2  // InterfaceMethod ai/djl/ndarray/NDArray.mul:"
                        + "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;",
                "      140: invokeinterface #766,  2  // InterfaceMethod ai/djl/ndarray/NDArray.mul:"
                        + "(Lai/djl/ndarray/NDArray;)Lai/djl/ndarray/NDArray;",
                "  static ai.djl.ndarray.NDArray score(ai.djl.ndarray.NDArray);",
                "    Code:",
                "      12: invokeinterface #767,  2  // InterfaceMethod ai/djl/ndarray/NDArray.add:"
                        + "(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;",
                "}");
        Map<String, Set<String>> calls = new TreeMap<>();
        parse(out, calls);
        assertEquals(Map.of("selfsupervised.Demo.fit", Set.of("mul")), calls);
        assertFalse(calls.containsKey("selfsupervised.Demo.score"), "add(Number) saves nothing for backward");
    }

    /** {@code module-relative class.method -> scalar ops called}, over every project class on the class path. */
    private static Map<String, Set<String>> scalarCalls(ToolProvider javap) {
        Map<String, Set<String>> calls = new TreeMap<>();
        int scanned = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            List<String> names = projectClasses(Path.of(entry));
            if (names.isEmpty()) {
                continue;
            }
            for (int from = 0; from < names.size(); from += 200) {
                List<String> args = new ArrayList<>(List.of("-c", "-p", "-cp", entry));
                args.addAll(names.subList(from, Math.min(names.size(), from + 200)));
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int rc = javap.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
                assertEquals(0, rc, "javap failed on " + entry + ": " + err);
                parse(out.toString(), calls);
            }
            scanned += names.size();
        }
        assertTrue(scanned > 100, "expected the project's classes on the class path, found " + scanned);
        return calls;
    }

    private static void parse(String javapOutput, Map<String, Set<String>> calls) {
        String cls = null;
        String method = null;
        for (String line : javapOutput.split("\n")) {
            Matcher c = CLASS_LINE.matcher(line);
            if (c.find()) {
                cls = c.group(1).substring("org.anomaly4j.".length());
                method = null;
                continue;
            }
            if (line.equals("  static {};")) {
                method = "<clinit>";
                continue;
            }
            Matcher m = METHOD_LINE.matcher(line);
            if (m.matches()) {
                String name = m.group(1);
                Matcher l = LAMBDA.matcher(name);
                method = l.matches() ? l.group(1) : name;
                continue;
            }
            Matcher s = SCALAR_CALL.matcher(line);
            if (s.find() && cls != null && method != null) {
                calls.computeIfAbsent(cls + "." + method, k -> new TreeSet<>()).add(s.group(1));
            }
        }
    }

    /** Binary names of the org.anomaly4j classes in a class-path directory or jar (none for other entries). */
    private static List<String> projectClasses(Path entry) {
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(entry)) {
                Path root = entry.resolve("org/anomaly4j");
                if (Files.isDirectory(root) && !entry.toString().contains("test-classes")) {
                    try (Stream<Path> files = Files.walk(root)) {
                        files.filter(p -> p.toString().endsWith(".class"))
                                .forEach(p -> names.add(binaryName(entry.relativize(p).toString())));
                    }
                }
            } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    Enumeration<JarEntry> e = jar.entries();
                    while (e.hasMoreElements()) {
                        String n = e.nextElement().getName();
                        if (n.startsWith("org/anomaly4j/") && n.endsWith(".class")) {
                            names.add(binaryName(n));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.removeIf(n -> n.endsWith("package-info") || n.endsWith("module-info"));
        return names;
    }

    private static String binaryName(String relativePath) {
        return relativePath.substring(0, relativePath.length() - ".class".length()).replace(File.separatorChar, '.')
                .replace('/', '.');
    }
}

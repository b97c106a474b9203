package org.anomaly4j.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.GsonBuilder;

import org.anomaly4j.tensor.Devices;
import org.anomaly4j.tensor.NearestNeighbors;

/**
 * {@code anomaly4j bench knn}: exact k-nearest-neighbour search of 784 queries (one 28x28 patch grid)
 * in a seeded 1,000,000 x 384 Gaussian bank: time, peak heap and RSS, and a brute-force check.
 */
final class KnnBench implements Anomaly4jCli.Command {

    @Override
    public String help() {
        return String.join("\n",
                "usage: anomaly4j bench knn [options]",
                "",
                "Generates a seeded N(0,1) float32 bank and query set, runs NearestNeighbors (engine float32 matrix",
                "products in chunks, candidates recomputed in double), reports seconds, peak heap (MemoryMXBean",
                "pools) and peak RSS (/proc/self/status VmHWM), and checks a subsample of queries against a",
                "brute-force double-precision search. Also times one chunk's product in plain Java for comparison.",
                "",
                "options:",
                "  --rows N        bank rows (default 1000000)",
                "  --dim D         dimension (default 384)",
                "  --queries Q     queries (default 784)",
                "  --k LIST        neighbours, comma-separated (default 1,5)",
                "  --check C       queries checked by brute force (default 20)",
                "  --chunk-mb M    bank MiB per chunk (default 32)",
                "  --threads N     worker threads (default: available processors)",
                "  --java-gemm yes|no  time a Java matrix product on one chunk (default yes)",
                "  --seed S        seed (default 0)",
                "  --out FILE      JSON report (default anomaly4j-out/knn-bench.json)");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        int rows = args.integer("rows", 1_000_000);
        int dim = args.integer("dim", 384);
        int nq = args.integer("queries", 784);
        String kList = args.get("k", "1,5");
        int check = args.integer("check", 20);
        int chunkMb = args.integer("chunk-mb", 32);
        int threads = args.integer("threads", Runtime.getRuntime().availableProcessors());
        boolean javaGemm = !args.get("java-gemm", "yes").equalsIgnoreCase("no");
        long seed = args.integer("seed", 0);
        Path outFile = Path.of(args.get("out", "anomaly4j-out/knn-bench.json"));
        args.has("quiet");
        args.rejectUnknown();
        if ((long) rows * dim > Integer.MAX_VALUE - 8) {
            throw new UsageException("rows x dim must fit one Java array (< 2^31 values)");
        }
        int[] ks;
        try {
            ks = java.util.Arrays.stream(kList.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        } catch (NumberFormatException e) {
            throw new UsageException("--k takes comma-separated integers, got '" + kList + "'");
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "knn");
        json.put("load_average_at_start", CoresetBench.loadAverage());
        json.put("rows", rows);
        json.put("dim", dim);
        json.put("queries", nq);
        json.put("data", "seeded Gaussian N(0,1), seed " + seed);
        json.put("threads", threads);
        json.put("cpus", Runtime.getRuntime().availableProcessors());
        json.put("bank_bytes", 4L * rows * dim);
        List<String[]> table = new ArrayList<>();

        long t0 = System.nanoTime();
        float[] bank = CoresetBench.gaussian(rows, dim, seed);
        float[] queries = CoresetBench.gaussian(nq, dim, seed + 1);
        double genSec = (System.nanoTime() - t0) / 1e9;
        json.put("generate_seconds", round(genSec));
        out.printf(Locale.ROOT, "bank %d x %d (%.2f GB) and %d queries generated in %.1fs%n", rows, dim,
                4.0 * rows * dim / 1e9, nq, genSec);

        long t1 = System.nanoTime();
        NearestNeighbors nn = NearestNeighbors.builder(bank, rows, dim).optChunkBytes((long) chunkMb << 20)
                .optThreads(threads).build();
        double buildSec = (System.nanoTime() - t1) / 1e9;
        json.put("build_seconds", round(buildSec));
        json.put("chunk_rows", nn.chunkRows());
        json.put("query_block_rows", nn.queryBlockRows());
        resetPeaks();
        long heapBefore = heapPeakBytes();
        List<Map<String, Object>> runs = new ArrayList<>();
        NearestNeighbors.Result last = null;
        for (int k : ks) {
            int nw = Math.min(nq, 16);
            nn.search(java.util.Arrays.copyOf(queries, nw * dim), nw, k); // warm-up (engine start, JIT)
            long ts = System.nanoTime();
            double c0 = CoresetBench.cpuSeconds();
            NearestNeighbors.Result r = nn.search(queries, nq, k);
            double sec = (System.nanoTime() - ts) / 1e9;
            double cpu = CoresetBench.cpuSeconds() - c0;
            last = r;
            // brute force on a subsample
            int nc = Math.min(check, nq);
            long tb = System.nanoTime();
            int[] mismatches = {0};
            double[] maxRelErr = {0};
            IntStream.range(0, nc).parallel().forEach(q -> {
                int[] idx = new int[k];
                double[] d2 = new double[k];
                brute(bank, rows, dim, queries, q, k, idx, d2);
                synchronized (mismatches) {
                    for (int j = 0; j < k; j++) {
                        if (idx[j] != r.index(q, j)) {
                            mismatches[0]++;
                        }
                        double e = Math.abs(Math.sqrt(d2[j]) - r.distance(q, j)) / Math.max(1e-12, Math.sqrt(d2[j]));
                        maxRelErr[0] = Math.max(maxRelErr[0], e);
                    }
                }
            });
            double bruteSec = (System.nanoTime() - tb) / 1e9;
            Map<String, Object> rj = new LinkedHashMap<>();
            rj.put("k", k);
            rj.put("seconds", round(sec));
            rj.put("cpu_seconds", round(cpu));
            rj.put("queries_per_second", round(nq / sec));
            rj.put("pairs_per_second", (double) nq * rows / sec);
            rj.put("checked_queries", nc);
            rj.put("brute_force_mismatched_indices", mismatches[0]);
            rj.put("brute_force_max_relative_distance_error", maxRelErr[0]);
            rj.put("brute_force_seconds_for_checked", round(bruteSec));
            runs.add(rj);
            table.add(new String[] {"NearestNeighbors k=" + k, Integer.toString(nq), String.format(Locale.ROOT,
                    "%.2f (%.1f cpu-s)", sec, cpu), String.format(Locale.ROOT, "%.0f", nq / sec), mismatches[0] == 0 ? "exact on " + nc
                            + " (max rel err " + String.format(Locale.ROOT, "%.1e", maxRelErr[0]) + ")"
                            : mismatches[0] + " MISMATCHES on " + nc});
        }
        json.put("searches", runs);
        long heapPeak = heapPeakBytes();
        long rss = Reports.peakRssMb();
        json.put("peak_heap_mb", heapPeak >> 20);
        json.put("peak_heap_mb_before_search", heapBefore >> 20);
        json.put("peak_rss_mb", rss);
        json.put("load_average_at_end", CoresetBench.loadAverage());
        json.put("peak_heap_plus_rss_note", "RSS includes the heap; the bank alone is "
                + (4L * rows * dim >> 20) + " MB of heap");

        if (javaGemm) {
            Map<String, Object> g = gemmComparison(bank, dim, queries, nq, Math.min(rows, nn.chunkRows()), out);
            json.put("gemm_one_chunk", g);
            table.add(new String[] {"engine float32 product, one chunk", Integer.toString(nq), g.get("engine_seconds")
                    .toString(), "", String.format(Locale.ROOT, "%.1f GFLOP/s", (double) g.get("engine_gflops"))});
            table.add(new String[] {"plain Java product, one chunk", Integer.toString(nq), g.get("java_seconds")
                    .toString(), "", String.format(Locale.ROOT, "%.1f GFLOP/s", (double) g.get("java_gflops"))});
        }

        out.println();
        out.println(formatTable(table));
        out.printf(Locale.ROOT, "peak heap %d MB (bank %d MB), peak RSS %d MB%n", heapPeak >> 20,
                4L * rows * dim >> 20, rss);
        if (outFile.getParent() != null) {
            Files.createDirectories(outFile.getParent());
        }
        Files.writeString(outFile, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json));
        out.println("wrote " + outFile);
        return last == null ? 1 : 0;
    }

    /** Brute force in double for one query; ties to the lower row. */
    private static void brute(float[] bank, int rows, int dim, float[] queries, int q, int k, int[] idx, double[] d2) {
        java.util.Arrays.fill(d2, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(idx, -1);
        int qo = q * dim;
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double s = 0;
            for (int i = 0; i < dim; i++) {
                double a = (double) queries[qo + i] - bank[o + i];
                s += a * a;
            }
            if (s < d2[k - 1] || (s == d2[k - 1] && r < idx[k - 1])) {
                int p = k - 1;
                while (p > 0 && (s < d2[p - 1])) {
                    d2[p] = d2[p - 1];
                    idx[p] = idx[p - 1];
                    p--;
                }
                d2[p] = s;
                idx[p] = r;
            }
        }
    }

    /** One chunk's [queries x rows] product: the engine (float32) against a register-blocked Java loop. */
    private static Map<String, Object> gemmComparison(float[] bank, int dim, float[] queries, int nq, int rows,
            PrintStream out) {
        Map<String, Object> g = new LinkedHashMap<>();
        double flops = 2.0 * nq * rows * dim;
        double engine;
        try (NDManager m = NDManager.newBaseManager(Devices.current(), "PyTorch")) {
            NDArray q = m.create(java.util.Arrays.copyOf(queries, nq * dim), new Shape(nq, dim));
            NDArray b = m.create(java.util.Arrays.copyOf(bank, rows * dim), new Shape(rows, dim));
            NDArray bt = b.transpose();
            q.matMul(bt).close();
            long t = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                q.matMul(bt).close();
            }
            engine = (System.nanoTime() - t) / 3e9;
        }
        float[] c = new float[nq * rows];
        javaProduct(queries, nq, bank, rows, dim, c);
        long t = System.nanoTime();
        javaProduct(queries, nq, bank, rows, dim, c);
        double java = (System.nanoTime() - t) / 1e9;
        g.put("shape", nq + " x " + rows + " x " + dim);
        g.put("engine_seconds", round(engine));
        g.put("engine_gflops", flops / engine / 1e9);
        g.put("java_seconds", round(java));
        g.put("java_gflops", flops / java / 1e9);
        g.put("note", "engine: DJL/PyTorch matMul with the engine's default threads; Java: 4x4 register-blocked "
                + "float loops on all cores");
        out.printf(Locale.ROOT, "one chunk %s: engine %.3fs (%.1f GFLOP/s), Java %.3fs (%.1f GFLOP/s)%n",
                g.get("shape"), engine, flops / engine / 1e9, java, flops / java / 1e9);
        return g;
    }

    /** c[i][j] = q_i . b_j, 4 x 4 register blocks, query blocks in parallel. */
    static void javaProduct(float[] q, int nq, float[] b, int rows, int dim, float[] c) {
        IntStream.range(0, (nq + 3) / 4).parallel().forEach(ib -> {
            int i0 = ib * 4;
            int i1 = Math.min(nq, i0 + 4);
            for (int j0 = 0; j0 < rows; j0 += 4) {
                int j1 = Math.min(rows, j0 + 4);
                if (i1 - i0 == 4 && j1 - j0 == 4) {
                    block4(q, b, dim, c, rows, i0, j0);
                } else {
                    for (int i = i0; i < i1; i++) {
                        for (int j = j0; j < j1; j++) {
                            float s = 0;
                            for (int k = 0; k < dim; k++) {
                                s += q[i * dim + k] * b[j * dim + k];
                            }
                            c[i * rows + j] = s;
                        }
                    }
                }
            }
        });
    }

    private static void block4(float[] q, float[] b, int dim, float[] c, int rows, int i0, int j0) {
        float s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        float s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        int a0 = i0 * dim;
        int a1 = a0 + dim;
        int a2 = a1 + dim;
        int a3 = a2 + dim;
        int b0 = j0 * dim;
        int b1 = b0 + dim;
        int b2 = b1 + dim;
        int b3 = b2 + dim;
        for (int k = 0; k < dim; k++) {
            float x0 = q[a0 + k];
            float x1 = q[a1 + k];
            float x2 = q[a2 + k];
            float x3 = q[a3 + k];
            float y0 = b[b0 + k];
            float y1 = b[b1 + k];
            float y2 = b[b2 + k];
            float y3 = b[b3 + k];
            s00 += x0 * y0;
            s01 += x0 * y1;
            s02 += x0 * y2;
            s03 += x0 * y3;
            s10 += x1 * y0;
            s11 += x1 * y1;
            s12 += x1 * y2;
            s13 += x1 * y3;
            s20 += x2 * y0;
            s21 += x2 * y1;
            s22 += x2 * y2;
            s23 += x2 * y3;
            s30 += x3 * y0;
            s31 += x3 * y1;
            s32 += x3 * y2;
            s33 += x3 * y3;
        }
        int r0 = i0 * rows + j0;
        c[r0] = s00;
        c[r0 + 1] = s01;
        c[r0 + 2] = s02;
        c[r0 + 3] = s03;
        c[r0 + rows] = s10;
        c[r0 + rows + 1] = s11;
        c[r0 + rows + 2] = s12;
        c[r0 + rows + 3] = s13;
        c[r0 + 2 * rows] = s20;
        c[r0 + 2 * rows + 1] = s21;
        c[r0 + 2 * rows + 2] = s22;
        c[r0 + 2 * rows + 3] = s23;
        c[r0 + 3 * rows] = s30;
        c[r0 + 3 * rows + 1] = s31;
        c[r0 + 3 * rows + 2] = s32;
        c[r0 + 3 * rows + 3] = s33;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peak usage (an upper bound of the heap's peak). */
    private static long heapPeakBytes() {
        long s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                s += p.getPeakUsage().getUsed();
            }
        }
        return s;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String formatTable(List<String[]> rows) {
        String[] head = {"what", "queries", "seconds", "queries/s", "check"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        List<String[]> all = new ArrayList<>();
        all.add(head);
        String[] sep = new String[head.length];
        for (int i = 0; i < head.length; i++) {
            sep[i] = "-".repeat(w[i]);
        }
        all.add(sep);
        all.addAll(rows);
        for (String[] r : all) {
            b.append("| ");
            for (int i = 0; i < r.length; i++) {
                b.append(String.format(Locale.ROOT, "%-" + w[i] + "s", r[i])).append(" | ");
            }
            b.setLength(b.length() - 1);
            b.append('\n');
        }
        return b.toString();
    }
}

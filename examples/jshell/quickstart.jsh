// Quickstart: generate defects, fit a detector, score, evaluate, save and load.
//   ./anomaly4j jshell examples/jshell/quickstart.jsh
DatasetSplit data = SyntheticDefects.small(3);
System.out.println("train " + data.train() + "\ntest  " + data.test());

PixelGaussian det = PixelGaussian.fit(data.train(), PixelGaussianConfig.builder().optSize(64, 64).build());

ImageScore s = det.score(data.test().get(data.test().size() - 1).image());
System.out.println("score of an anomalous image: " + s.score() + ", map " + s.map().orElseThrow());

EvaluationReport r = Evaluation.run(det, data.test());
System.out.printf("quickstart: image AUROC %.4f, pixel AUROC %.4f%n", r.imageAuroc(), r.pixelAuroc());

Path file = Files.createTempFile("quickstart", ".a4j");
det.save(file);
Detector again = Detectors.load(file);
System.out.println("quickstart: reloaded " + again.typeId() + ", same score: "
        + (again.score(data.test().get(0).image()).score() == det.score(data.test().get(0).image()).score()));
again.close();
det.close();
Files.delete(file);
/exit

package org.anomaly4j.api;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An immutable, ordered set of labelled images, plus the files a loader had to skip
 * ({@link #badFiles()}).
 */
public final class ImageSet implements Iterable<LabeledImage> {
    private final String name;
    private final List<LabeledImage> items;
    private final List<BadFile> badFiles;

    public ImageSet(String name, List<LabeledImage> items, List<BadFile> badFiles) {
        this.name = Objects.requireNonNull(name, "name");
        this.items = List.copyOf(items);
        this.badFiles = List.copyOf(badFiles);
    }

    public ImageSet(String name, List<LabeledImage> items) {
        this(name, items, List.of());
    }

    /** Normal images, named {@code name-0}, {@code name-1}, ... */
    public static ImageSet ofNormals(String name, List<AnomalyImage> images) {
        List<LabeledImage> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(LabeledImage.normal(name + "-" + i, images.get(i)));
        }
        return new ImageSet(name, out);
    }

    public String name() {
        return name;
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public LabeledImage get(int i) {
        return items.get(i);
    }

    public List<LabeledImage> items() {
        return items;
    }

    /** The images alone, in order. */
    public List<AnomalyImage> images() {
        return items.stream().map(LabeledImage::image).toList();
    }

    /** Files that could not be decoded, with reasons; never silently dropped. */
    public List<BadFile> badFiles() {
        return badFiles;
    }

    public Stream<LabeledImage> stream() {
        return items.stream();
    }

    @Override
    public Iterator<LabeledImage> iterator() {
        return items.iterator();
    }

    /** The images matching {@code keep}, same name and bad files. */
    public ImageSet filter(Predicate<LabeledImage> keep) {
        return new ImageSet(name, items.stream().filter(keep).toList(), badFiles);
    }

    /** Only the normal images. */
    public ImageSet normals() {
        return filter(i -> i.label() == Label.NORMAL);
    }

    /** Number of anomalous images. */
    public long anomalousCount() {
        return items.stream().filter(LabeledImage::isAnomalous).count();
    }

    /** Defect types present, in first-seen order. */
    public List<String> defectTypes() {
        return items.stream().map(LabeledImage::defectType).distinct().toList();
    }

    /** SHA-256 over every image's size and values, in order: the training-set fingerprint of provenance. */
    public String fingerprint() {
        MessageDigest md = AnomalyImage.sha256();
        for (LabeledImage i : items) {
            i.image().update(md);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** This set followed by {@code other}. */
    public ImageSet concat(ImageSet other) {
        List<LabeledImage> all = new ArrayList<>(items);
        all.addAll(other.items);
        List<BadFile> bad = new ArrayList<>(badFiles);
        bad.addAll(other.badFiles);
        return new ImageSet(name, Collections.unmodifiableList(all), bad);
    }

    @Override
    public String toString() {
        return "ImageSet[" + name + ", " + items.size() + " images, " + anomalousCount() + " anomalous"
                + (badFiles.isEmpty() ? "" : ", " + badFiles.size() + " bad files") + "]";
    }
}

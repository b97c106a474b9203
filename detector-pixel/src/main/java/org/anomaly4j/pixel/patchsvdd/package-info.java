/**
 * Patch SVDD: a hierarchical patch encoder trained self-supervised from scratch (position
 * classification and patch-level SVDD), scored by nearest-neighbour distance of patch embeddings.
 */
package org.anomaly4j.pixel.patchsvdd;

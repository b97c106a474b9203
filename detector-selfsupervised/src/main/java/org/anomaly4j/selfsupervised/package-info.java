/**
 * Self-supervised detection (survey section III-D): networks trained on an auxiliary task over normal images (transformation prediction, contrastive learning), scored by how well the task goes. GEOM / RotateNet, rotation+translation and CSI/SSD arrive here (issue 7).
 */
package org.anomaly4j.selfsupervised;

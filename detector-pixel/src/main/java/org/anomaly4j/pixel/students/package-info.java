/**
 * Uninformed Students: an ensemble of students regressing a pretrained teacher's descriptors; the map
 * combines the regression error and the students' predictive variance.
 */
package org.anomaly4j.pixel.students;

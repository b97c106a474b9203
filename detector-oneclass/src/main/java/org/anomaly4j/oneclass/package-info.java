/**
 * One-class classification (survey section III-B): a boundary around the normal data. OC-SVM, SVDD and Deep SVDD arrive here (issue 5).
 */
package org.anomaly4j.oneclass;

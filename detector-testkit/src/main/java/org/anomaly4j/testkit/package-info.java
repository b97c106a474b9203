/**
 * The test kit: {@link org.anomaly4j.testkit.DetectorContract}, an abstract JUnit 5 suite that any
 * detector's test (ours or a user's) extends by supplying a configuration and a data set.
 */
package org.anomaly4j.testkit;

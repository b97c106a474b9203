/**
 * The {@code anomaly4j} command line: {@code demo}, {@code list}, {@code fit}, {@code score} and
 * {@code eval}. Run it through the {@code ./anomaly4j} launcher at the project root.
 */
package org.anomaly4j.examples.cli;

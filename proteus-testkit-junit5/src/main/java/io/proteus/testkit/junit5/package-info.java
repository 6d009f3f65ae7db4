/**
 * JUnit 5 glue for the Proteus testkit: {@link io.proteus.testkit.junit5.ProteusTest} injects a
 * fresh {@link io.proteus.testkit.ProteusTestEnvironment} into each test and closes it after.
 */
@NullMarked
package io.proteus.testkit.junit5;

import org.jspecify.annotations.NullMarked;

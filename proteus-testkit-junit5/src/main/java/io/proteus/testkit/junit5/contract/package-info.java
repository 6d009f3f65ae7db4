/**
 * Contract test suites: extend one to prove an implementation of a Proteus SPI honours it, as
 * Proteus's own implementations do.
 */
@NullMarked
package io.proteus.testkit.junit5.contract;

import org.jspecify.annotations.NullMarked;

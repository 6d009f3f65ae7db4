/** JMH benchmarks of the core's hot paths; run them from the {@code benchmarks.jar} uber-jar. */
@NullMarked
package io.proteus.bench.jmh;

import org.jspecify.annotations.NullMarked;

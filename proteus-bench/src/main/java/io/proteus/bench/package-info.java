/**
 * Benchmarks of Proteus: an end-to-end scenario runner ({@link io.proteus.bench.Scenarios}) for the
 * bars of the scale work, written against the public API so it runs on older commits too.
 */
@NullMarked
package io.proteus.bench;

import org.jspecify.annotations.NullMarked;

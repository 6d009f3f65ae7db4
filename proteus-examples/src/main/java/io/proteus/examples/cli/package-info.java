/**
 * The {@code proteus} launcher: {@code run}, {@code demo}, and the distributed {@code core}, {@code
 * worker} and {@code broker}.
 */
@NullMarked
package io.proteus.examples.cli;

import org.jspecify.annotations.NullMarked;

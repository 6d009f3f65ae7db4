/** The {@code proteus} launcher: {@code run}, {@code demo}. */
@NullMarked
package io.proteus.examples.cli;

import org.jspecify.annotations.NullMarked;

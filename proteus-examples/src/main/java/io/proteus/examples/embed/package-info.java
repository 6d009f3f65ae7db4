/** Samples of embedding Proteus in a host application. */
@NullMarked
package io.proteus.examples.embed;

import org.jspecify.annotations.NullMarked;

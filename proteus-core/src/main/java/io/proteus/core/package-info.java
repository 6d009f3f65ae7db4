/**
 * The default Proteus core: {@link io.proteus.core.ProteusCore} and its builder. Start here to
 * embed Proteus.
 */
@NullMarked
package io.proteus.core;

import org.jspecify.annotations.NullMarked;

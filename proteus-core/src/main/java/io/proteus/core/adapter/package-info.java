/** Adapters that ship with the core: the folder adapter. */
@NullMarked
package io.proteus.core.adapter;

import org.jspecify.annotations.NullMarked;

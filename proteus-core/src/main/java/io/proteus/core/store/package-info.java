/** Job stores: where the core keeps jobs and its outbox. */
@NullMarked
package io.proteus.core.store;

import org.jspecify.annotations.NullMarked;

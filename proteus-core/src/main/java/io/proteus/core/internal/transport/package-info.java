/**
 * The core's side of the transport agreements: agents that say hello become workers, their messages
 * become worker events, their attempts' ends are acknowledged once handled and stored, and stale
 * attempts are aborted.
 */
@NullMarked
package io.proteus.core.internal.transport;

import org.jspecify.annotations.NullMarked;

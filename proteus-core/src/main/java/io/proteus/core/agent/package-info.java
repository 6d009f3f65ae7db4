/**
 * The agent runtime: what runs tasks on a machine, linked to a core by any transport. The same
 * runtime serves the core's own {@code LocalWorker} through an in-process link, so engines run
 * remotely unchanged.
 */
@NullMarked
package io.proteus.core.agent;

import org.jspecify.annotations.NullMarked;

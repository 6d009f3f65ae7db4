/**
 * The process engine: runs a task as local processes with a clean environment, capped output, and
 * every process of an attempt contained so that it dies with the attempt.
 */
@NullMarked
package io.proteus.core.process;

import org.jspecify.annotations.NullMarked;

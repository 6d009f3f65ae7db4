/** The process engine: runs a task as local processes, with timeouts that kill the whole tree. */
@NullMarked
package io.proteus.core.process;

import org.jspecify.annotations.NullMarked;

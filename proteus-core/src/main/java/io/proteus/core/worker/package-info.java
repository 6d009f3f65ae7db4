/** The local worker agent: stages a task's files, runs it through an engine, reads its results. */
@NullMarked
package io.proteus.core.worker;

import org.jspecify.annotations.NullMarked;

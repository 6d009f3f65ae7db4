/** Value types: the test plan, jobs, tasks, attempts and results, workers. All immutable. */
@NullMarked
package io.proteus.model;

import org.jspecify.annotations.NullMarked;

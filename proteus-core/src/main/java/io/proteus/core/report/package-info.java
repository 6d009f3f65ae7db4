/**
 * Reports of finished jobs: JUnit XML, a JSON summary (schema in docs/summary-schema.md) and a
 * self-contained HTML page for people.
 */
@NullMarked
package io.proteus.core.report;

import org.jspecify.annotations.NullMarked;

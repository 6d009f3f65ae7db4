/** Reports of finished jobs: JUnit XML and a JSON summary (schema in docs/summary-schema.md). */
@NullMarked
package io.proteus.core.report;

import org.jspecify.annotations.NullMarked;

/** Unpacking build archives safely: nothing lands outside the target, within size limits. */
@NullMarked
package io.proteus.core.archive;

import org.jspecify.annotations.NullMarked;

/**
 * Implementation helpers of the API's value types. Not part of the public API: it may change in any
 * release.
 */
@NullMarked
package io.proteus.internal;

import org.jspecify.annotations.NullMarked;

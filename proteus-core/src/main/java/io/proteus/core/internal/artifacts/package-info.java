/**
 * The artifact server's Jetty handler and the fetcher's cache and downloads. Not API: may change in
 * any release.
 */
@NullMarked
package io.proteus.core.internal.artifacts;

import org.jspecify.annotations.NullMarked;

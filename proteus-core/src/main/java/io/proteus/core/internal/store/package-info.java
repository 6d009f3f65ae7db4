/**
 * The file store's parts: the JSON form of jobs and everything in them, the files of the store's
 * folder and how each is written. Not API: may change in any release.
 */
@NullMarked
package io.proteus.core.internal.store;

import org.jspecify.annotations.NullMarked;

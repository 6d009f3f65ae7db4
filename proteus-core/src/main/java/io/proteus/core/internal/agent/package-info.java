/** Implementation details of the core. Not API: may change in any release. */
@NullMarked
package io.proteus.core.internal.agent;

import org.jspecify.annotations.NullMarked;

/** Implementation details of the Docker engine. Not API: may change in any release. */
@NullMarked
package io.proteus.docker.internal;

import org.jspecify.annotations.NullMarked;

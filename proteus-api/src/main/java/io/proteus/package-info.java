/**
 * Proteus: run a build's tests across a fleet of workers. This package holds the exception types
 * every Proteus module throws; {@link io.proteus.model} holds the value types and {@link
 * io.proteus.spi} the interfaces a host application plugs in.
 */
@NullMarked
package io.proteus;

import org.jspecify.annotations.NullMarked;

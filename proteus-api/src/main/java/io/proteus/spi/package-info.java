/**
 * The interfaces a host application implements to plug into Proteus: adapters that bring builds,
 * workers, engines, platforms, hosts, cache folders, job stores, pools and listeners. Each method
 * takes one context object so that it can grow without breaking implementations.
 */
@NullMarked
package io.proteus.spi;

import org.jspecify.annotations.NullMarked;

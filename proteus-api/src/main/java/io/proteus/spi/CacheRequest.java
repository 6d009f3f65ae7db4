package io.proteus.spi;

/**
 * Asks a platform for a cache folder.
 *
 * @param name the cache's name
 * @param exclusive whether one task at a time holds it (else it is shared, read-only)
 */
public record CacheRequest(String name, boolean exclusive) {}

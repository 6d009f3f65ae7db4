/**
 * Fakes and an in-memory test environment for code that embeds Proteus: a manual clock, scripted
 * workers and engines, and {@link io.proteus.testkit.ProteusTestEnvironment}, which steps a real
 * core with no threads, no broker and no real time passing.
 */
@NullMarked
package io.proteus.testkit;

import org.jspecify.annotations.NullMarked;

/** A host application's own adapter, and (in the tests) how to unit-test it with the testkit. */
@NullMarked
package io.proteus.examples.adapter;

import org.jspecify.annotations.NullMarked;

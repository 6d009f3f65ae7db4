/** Reading test plans ({@code tests.json}) with located errors. */
@NullMarked
package io.proteus.core.plan;

import org.jspecify.annotations.NullMarked;

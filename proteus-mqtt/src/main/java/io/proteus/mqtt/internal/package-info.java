/** The wire's JSON, the topic tree, the broker connection and the counts. Not API. */
@NullMarked
package io.proteus.mqtt.internal;

import org.jspecify.annotations.NullMarked;

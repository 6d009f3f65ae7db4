/**
 * The MQTT transport: the core's end, an agent's link, their settings and counts. See
 * docs/PROTOCOL.md for the topics and messages.
 */
@NullMarked
package io.proteus.mqtt;

import org.jspecify.annotations.NullMarked;

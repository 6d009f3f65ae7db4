/**
 * How the core reaches agents in other processes, so that hosts can swap transports (MQTT by
 * default, in memory for tests). A transport carries messages and reports lost links; Proteus keeps
 * the agreements on both ends: the core turns each agent that says hello into a {@code Worker}, and
 * one agent runtime serves every link.
 *
 * <p>The vocabulary is {@link AgentMessage} (agent to core) and {@link CoreMessage} (core to
 * agent): dispatch, accept with the attempt's fencing token, progress, and one end per attempt
 * (completed, failed or released) that the core acknowledges once it has handled and stored it. An
 * agent keeps each end until then and sends it again after a reconnect, so an end survives a core
 * or broker outage; a duplicate or stale one is acknowledged and changes nothing. On each new
 * session an agent says hello with the attempts it holds: the core keeps those that are still live
 * and aborts the others. Build files cross as a {@link FilesRef} that a {@link FilesPublisher}
 * makes on the core and a {@link FilesResolver} opens on the agent.
 */
@NullMarked
package io.proteus.spi.transport;

import org.jspecify.annotations.NullMarked;

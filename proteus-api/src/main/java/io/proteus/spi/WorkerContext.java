package io.proteus.spi;

import java.time.Clock;

/**
 * What the core gives a worker when it starts it.
 *
 * @param events where to report
 * @param clock the core's clock
 */
public record WorkerContext(WorkerEvents events, Clock clock) {}

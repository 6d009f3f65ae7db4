package io.proteus.spi;

import io.proteus.model.JobResult;

/**
 * One finished job handed to its adapter.
 *
 * @param result the job's results
 */
public record DeliveryContext(JobResult result) {}

package io.proteus.spi;

import io.proteus.model.TaskId;

/**
 * Asks a worker to stop an attempt and to free itself.
 *
 * @param task the task
 * @param fencingToken the attempt's token; a worker ignores an abort for another attempt
 * @param reason why, for its log
 */
public record AbortRequest(TaskId task, long fencingToken, String reason) {}

package io.proteus.spi;

import io.proteus.model.TaskId;
import io.proteus.model.TestSpec;
import java.time.Duration;

/**
 * One attempt at a task, sent to a worker.
 *
 * @param task the task
 * @param attempt the attempt's number, from 1
 * @param fencingToken the token every reply about this attempt must carry
 * @param test what to run
 * @param platform the platform it runs on
 * @param files where to fetch the binary and scenario
 * @param timeout how long the attempt may run
 */
public record DispatchRequest(
    TaskId task,
    int attempt,
    long fencingToken,
    TestSpec test,
    String platform,
    BuildFiles files,
    Duration timeout) {}

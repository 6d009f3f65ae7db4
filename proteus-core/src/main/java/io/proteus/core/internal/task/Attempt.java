package io.proteus.core.internal.task;

/** A live attempt: its number, its fencing token and the worker holding it. */
public record Attempt(int number, long token, String workerId) {}

package io.proteus.core.internal.task;

import io.proteus.model.TaskStatus;

/** A task's state. Every live state but {@link Queued} carries the live attempt. */
public sealed interface TaskState {

  /** The public status this state shows as. */
  TaskStatus status();

  /** Attempts used so far. */
  int attemptsUsed();

  /** Waiting for a worker. */
  record Queued(int attemptsUsed) implements TaskState {
    @Override
    public TaskStatus status() {
      return TaskStatus.QUEUED;
    }
  }

  /** Sent; the worker's accept has not arrived. */
  record Dispatched(Attempt attempt) implements TaskState {
    @Override
    public TaskStatus status() {
      return TaskStatus.DISPATCHED;
    }

    @Override
    public int attemptsUsed() {
      return attempt.number();
    }
  }

  /** Accepted; the worker stages files. */
  record Loading(Attempt attempt) implements TaskState {
    @Override
    public TaskStatus status() {
      return TaskStatus.LOADING;
    }

    @Override
    public int attemptsUsed() {
      return attempt.number();
    }
  }

  /** Running on the worker. */
  record Running(Attempt attempt) implements TaskState {
    @Override
    public TaskStatus status() {
      return TaskStatus.RUNNING;
    }

    @Override
    public int attemptsUsed() {
      return attempt.number();
    }
  }

  /** Ran; results on their way. */
  record Uploading(Attempt attempt) implements TaskState {
    @Override
    public TaskStatus status() {
      return TaskStatus.UPLOADING;
    }

    @Override
    public int attemptsUsed() {
      return attempt.number();
    }
  }

  /** Final: passed, failed, error or cancelled. */
  record Done(TaskStatus status, int attemptsUsed, String reason) implements TaskState {
    public Done {
      if (!status.isFinal()) {
        throw new IllegalArgumentException("not a final status: " + status);
      }
    }
  }
}

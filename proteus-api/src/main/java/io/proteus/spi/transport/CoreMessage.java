package io.proteus.spi.transport;

import io.proteus.model.TaskId;
import io.proteus.model.TestSpec;
import io.proteus.spi.DispatchRequest;
import java.time.Duration;
import java.util.Objects;

/** What the core tells an agent, as a transport carries it. */
public sealed interface CoreMessage {

  /**
   * One attempt at a task. The agent answers with {@link AgentMessage.Accepted}, then one end; or
   * with {@link AgentMessage.Failed} at once when it cannot take it. A dispatch for an attempt the
   * agent already holds is a duplicate: it changes nothing.
   *
   * @param token the attempt's fencing token, carried by every reply about it
   * @param task the task
   * @param attempt the attempt's number, from 1
   * @param test what to run
   * @param platform the platform it runs on
   * @param timeout how long it may run
   * @param files where the agent fetches the build's files
   */
  record Dispatch(
      long token,
      TaskId task,
      int attempt,
      TestSpec test,
      String platform,
      Duration timeout,
      FilesRef files)
      implements CoreMessage {
    /** Checks the fields. */
    public Dispatch {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(test, "test");
      Objects.requireNonNull(platform, "platform");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(files, "files");
    }

    /** The dispatch of {@code request}, with its files at {@code files}. */
    public static Dispatch of(DispatchRequest request, FilesRef files) {
      return new Dispatch(
          request.fencingToken(),
          request.task(),
          request.attempt(),
          request.test(),
          request.platform(),
          request.timeout(),
          files);
    }
  }

  /**
   * Stops an attempt: the agent kills it and answers with {@link AgentMessage.Released} once every
   * process of it is gone. An abort for an attempt the agent does not run changes nothing.
   *
   * @param token the attempt's fencing token
   * @param reason why, for the agent's log
   */
  record Abort(long token, String reason) implements CoreMessage {
    /** Checks the reason. */
    public Abort {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The core has handled and stored the end of this attempt (or found it stale or a duplicate): the
   * agent may forget it.
   *
   * @param token the attempt's fencing token
   */
  record ResultAck(long token) implements CoreMessage {}

  /**
   * The core does not know this agent's session (it restarted, or took the agent for lost): the
   * agent says {@link AgentMessage.Hello} again, with a new session.
   *
   * @param reason why, for the agent's log
   */
  record Rejoin(String reason) implements CoreMessage {
    /** Checks the reason. */
    public Rejoin {
      Objects.requireNonNull(reason, "reason");
    }
  }
}

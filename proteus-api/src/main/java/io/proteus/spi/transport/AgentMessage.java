package io.proteus.spi.transport;

import io.proteus.model.TaskStatus;
import io.proteus.model.WorkerDescriptor;
import io.proteus.spi.AttemptReport;
import io.proteus.spi.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an agent tells the core, as a transport carries it. Every message about an attempt carries
 * the attempt's fencing token; the core ignores one whose token is not the task's live attempt.
 * {@link Completed}, {@link Failed} and {@link Released} are an attempt's end: the agent keeps each
 * until the core answers with {@link CoreMessage.ResultAck}.
 */
public sealed interface AgentMessage {

  /**
   * The first message of every session (a connection, or a core that asked with {@link
   * CoreMessage.Rejoin}): who the agent is and which attempts it holds, running or ended but not
   * yet acknowledged. The core keeps the live ones on this agent and aborts the others; a live
   * attempt the agent does not hold is sent again if its dispatch may never have arrived, and is
   * otherwise lost and retried elsewhere.
   *
   * @param descriptor what the agent is and offers; its id names the agent
   * @param session this session's id, new for each hello; a hello with the session the core already
   *     has is a duplicate and changes nothing
   * @param held the fencing tokens of the attempts the agent holds
   * @param protocolVersion the protocol the agent speaks; see {@link #PROTOCOL_VERSION}
   */
  record Hello(WorkerDescriptor descriptor, String session, Set<Long> held, int protocolVersion)
      implements AgentMessage {
    /** The protocol version this API speaks. */
    public static final int PROTOCOL_VERSION = 1;

    /** Checks the fields and copies the held tokens. */
    public Hello {
      Objects.requireNonNull(descriptor, "descriptor");
      Objects.requireNonNull(session, "session");
      held = Set.copyOf(held);
    }
  }

  /**
   * The agent took the attempt: from now on the task counts as running on it.
   *
   * @param token the attempt's fencing token
   */
  record Accepted(long token) implements AgentMessage {}

  /**
   * The attempt moved on.
   *
   * @param token the attempt's fencing token
   * @param phase {@link TaskStatus#RUNNING} or {@link TaskStatus#UPLOADING}
   */
  record Progressed(long token, TaskStatus phase) implements AgentMessage {
    /** Checks the phase. */
    public Progressed {
      if (phase != TaskStatus.RUNNING && phase != TaskStatus.UPLOADING) {
        throw new IllegalArgumentException("a phase is RUNNING or UPLOADING: " + phase);
      }
    }
  }

  /**
   * The test ran to its end: its results. An attempt's end.
   *
   * @param token the attempt's fencing token
   * @param report what it reported
   */
  record Completed(long token, AttemptReport report) implements AgentMessage {
    /** Checks the report. */
    public Completed {
      Objects.requireNonNull(report, "report");
    }
  }

  /**
   * The attempt could not run. An attempt's end.
   *
   * @param token the attempt's fencing token
   * @param failure why, and whether another attempt could succeed
   * @param log where what it printed is kept, if anywhere
   */
  record Failed(long token, Failure failure, Optional<String> log) implements AgentMessage {
    /** Checks the failure. */
    public Failed {
      Objects.requireNonNull(failure, "failure");
      Objects.requireNonNull(log, "log");
    }
  }

  /**
   * An attempt the core aborted is over: every process of it is gone. An attempt's end when the
   * abort came while it ran.
   *
   * @param token the attempt's fencing token
   * @param log where what it printed is kept, if anywhere
   */
  record Released(long token, Optional<String> log) implements AgentMessage {
    /** Checks the log. */
    public Released {
      Objects.requireNonNull(log, "log");
    }
  }

  /**
   * Lines a running attempt printed since the last batch, in order, for the core's live tail. Sent
   * every few hundred milliseconds while there is output; it may be lost (MQTT carries it at QoS
   * 0), as the attempt's whole log is handed over when it ends.
   *
   * @param token the attempt's fencing token
   * @param lines the lines, without their line ends, each cut to at most {@link #MAX_LINE} chars
   * @param dropped how many lines printed since the last batch the agent did not send (over its
   *     rate); the whole log still has them
   */
  record Output(long token, List<String> lines, long dropped) implements AgentMessage {
    /** The longest line sent, in chars; a longer one is cut and ends with {@code …}. */
    public static final int MAX_LINE = 1024;

    /** Checks the count and copies the lines. */
    public Output {
      lines = List.copyOf(lines);
      if (dropped < 0) {
        throw new IllegalArgumentException("a dropped count is not negative: " + dropped);
      }
    }
  }

  /** The agent is alive; one that stays silent past the core's heartbeat timeout is lost. */
  record Heartbeat() implements AgentMessage {}

  /**
   * The agent drains (its host asked it to shut down, or it was told to stop): the core gives it no
   * more work; the attempt it runs may finish within {@code deadline}, after which the core hands
   * it back (aborts it and queues its task again elsewhere, not counted as a failure). A bye
   * follows once its ends are acknowledged.
   *
   * @param deadline how long its running attempt may still take
   * @param reason why, for the core's log
   */
  record Draining(Duration deadline, String reason) implements AgentMessage {
    /** Checks the deadline and the reason. */
    public Draining {
      Objects.requireNonNull(reason, "reason");
      if (deadline.isNegative()) {
        throw new IllegalArgumentException("a drain deadline is not negative: " + deadline);
      }
    }
  }

  /**
   * The agent leaves for good (its host asked it to shut down): the core takes it offline.
   *
   * @param reason why, for the core's log
   */
  record Bye(String reason) implements AgentMessage {
    /** Checks the reason. */
    public Bye {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The fencing token of an attempt's end ({@link Completed}, {@link Failed}, {@link Released}).
   */
  static Optional<Long> endToken(AgentMessage message) {
    return switch (message) {
      case Completed c -> Optional.of(c.token());
      case Failed f -> Optional.of(f.token());
      case Released r -> Optional.of(r.token());
      case Hello h -> Optional.empty();
      case Accepted a -> Optional.empty();
      case Progressed p -> Optional.empty();
      case Output o -> Optional.empty();
      case Heartbeat h -> Optional.empty();
      case Draining d -> Optional.empty();
      case Bye b -> Optional.empty();
    };
  }
}

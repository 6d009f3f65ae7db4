package io.proteus.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.JobId;
import io.proteus.model.LiveOutput;
import io.proteus.model.TaskId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveTailsTest {
  final LiveTails tails = new LiveTails();
  final TaskId task = new TaskId(new JobId("j"), 0);

  private static List<String> lines(int from, int n) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add("l" + i);
    }
    return out;
  }

  @Test
  void aTailKeepsTheLastLinesAndCountsEveryLineItLetsGoOrNeverGot() {
    tails.add(task, 7, lines(0, 400), 10);
    tails.add(task, 7, lines(400, 300), 5);
    LiveOutput out = tails.of(task).orElseThrow();
    assertThat(out.lines()).hasSize(LiveTails.MAX_LINES).endsWith("l699").startsWith("l200");
    assertThat(out.dropped()).isEqualTo(15 + 200);
    assertThat(out.fencingToken()).isEqualTo(7);
  }

  @Test
  void aTailKeepsToItsCharBudget() {
    String big = "x".repeat(60 * 1024);
    tails.add(task, 7, List.of(big, big, big), 0);
    LiveOutput out = tails.of(task).orElseThrow();
    assertThat(out.lines()).hasSize(2);
    assertThat(out.dropped()).isEqualTo(1);
  }

  @Test
  void aNewerAttemptStartsANewTailAndAnOlderOneIsIgnored() {
    tails.add(task, 7, List.of("old"), 0);
    tails.add(task, 9, List.of("new"), 0);
    tails.add(task, 7, List.of("late"), 3);
    LiveOutput out = tails.of(task).orElseThrow();
    assertThat(out.lines()).containsExactly("new");
    assertThat(out.fencingToken()).isEqualTo(9);
    assertThat(out.dropped()).isZero();
  }

  @Test
  void aForgottenJobHasNoTails() {
    tails.add(task, 7, List.of("a"), 0);
    tails.forget(task.job());
    assertThat(tails.of(task)).isEmpty();
    assertThat(tails.of(new TaskId(new JobId("other"), 1))).isEmpty();
  }
}

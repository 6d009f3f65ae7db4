package io.proteus.testkit.junit5.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.model.Build;
import io.proteus.model.JobId;
import io.proteus.model.JobResult;
import io.proteus.model.JobStatus;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.Reservation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Adapter} must do: submit each build it finds once, leave a build that does not
 * fit for a later poll, and take a result more than once without harm.
 */
public abstract class AdapterContract {
  /** A folder the adapter under test may use. */
  @TempDir protected Path folder;

  /** Makes the adapter under test. */
  protected abstract Adapter newAdapter() throws Exception;

  /** Makes one good build with at least one plan available to the adapter's next poll. */
  protected abstract void offerBuild(Adapter adapter, String buildId) throws Exception;

  /** Checks that {@code result} was taken (written, uploaded) by the adapter. */
  protected abstract void assertDelivered(Adapter adapter, JobResult result) throws Exception;

  /** A context that records submissions and grants reservations while {@code roomy} is true. */
  protected final class RecordingContext implements AdapterContext {
    final List<Build> builds = new ArrayList<>();
    boolean roomy = true;

    @Override
    public Optional<Reservation> reserve(long bytes, String purpose) {
      return roomy ? Optional.of(Reservation.NONE) : Optional.empty();
    }

    @Override
    public Path storageFolder() {
      return folder.resolve("storage");
    }

    @Override
    public List<JobId> submit(Build build) {
      builds.add(build);
      return List.of(new JobId(build.id() + "-job"));
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }
  }

  @Test
  void aBuildIsSubmittedOnceWithItsPlans() throws Exception {
    Adapter adapter = newAdapter();
    RecordingContext ctx = new RecordingContext();
    java.nio.file.Files.createDirectories(ctx.storageFolder());
    offerBuild(adapter, "b1");
    adapter.poll(ctx);
    adapter.poll(ctx);
    assertThat(ctx.builds).hasSize(1);
    assertThat(ctx.builds.getFirst().plans()).isNotEmpty();
  }

  @Test
  void aBuildThatDoesNotFitWaitsForALaterPoll() throws Exception {
    Adapter adapter = newAdapter();
    RecordingContext ctx = new RecordingContext();
    java.nio.file.Files.createDirectories(ctx.storageFolder());
    offerBuild(adapter, "b2");
    ctx.roomy = false;
    adapter.poll(ctx);
    assertThat(ctx.builds).isEmpty();
    ctx.roomy = true;
    adapter.poll(ctx);
    assertThat(ctx.builds).hasSize(1);
  }

  @Test
  void deliveringTheSameResultTwiceIsHarmless() throws Exception {
    Adapter adapter = newAdapter();
    RecordingContext ctx = new RecordingContext();
    java.nio.file.Files.createDirectories(ctx.storageFolder());
    offerBuild(adapter, "b3");
    adapter.poll(ctx);
    Build b = ctx.builds.getFirst();
    JobResult result =
        new JobResult(
            new JobId("b3-job"),
            adapter.name(),
            b.id(),
            b.plans().getFirst(),
            b.plans().getFirst().platforms().getFirst(),
            JobStatus.COMPLETED,
            List.of(),
            Instant.now(),
            Optional.of(Instant.now()));
    adapter.deliver(new DeliveryContext(result));
    adapter.deliver(new DeliveryContext(result));
    assertDelivered(adapter, result);
  }

  @Test
  void itHasAName() throws Exception {
    assertThat(newAdapter().name()).isNotBlank();
  }
}

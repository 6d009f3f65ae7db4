package io.proteus.examples.adapter;

import io.proteus.ProteusException;
import io.proteus.core.plan.PlanDocument;
import io.proteus.core.plan.PlanReader;
import io.proteus.model.Build;
import io.proteus.spi.Adapter;
import io.proteus.spi.AdapterContext;
import io.proteus.spi.BuildFiles;
import io.proteus.spi.DeliveryContext;
import io.proteus.spi.Reservation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A custom adapter: takes finished builds from a CI server, submits their test plans, and posts
 * results back. A build whose plan is bad is reported to the server as an error; one that does not
 * fit the storage budget waits for a later poll.
 */
public final class CiServerAdapter implements Adapter {
  private final CiServer server;
  private final PlanReader reader = new PlanReader();
  private final Deque<CiServer.CiBuild> waiting = new ArrayDeque<>();

  /** An adapter for this server. */
  public CiServerAdapter(CiServer server) {
    this.server = server;
  }

  @Override
  public String name() {
    return "ci-server";
  }

  @Override
  public void poll(AdapterContext context) {
    waiting.addAll(server.newBuilds());
    while (!waiting.isEmpty()) {
      CiServer.CiBuild build = waiting.peek();
      PlanDocument plan;
      try {
        plan = reader.read(build.planJson(), build.id() + "/tests.json");
      } catch (ProteusException e) {
        waiting.poll();
        server.reportError(build.id(), e.getMessage());
        continue;
      }
      Optional<Reservation> room = context.reserve(build.sizeBytes(), "build " + build.id());
      if (room.isEmpty()) {
        return;
      }
      waiting.poll();
      context.submit(
          new Build(build.id(), plan.plans(), BuildFiles.ofFolder(build.files()), room.get()));
    }
  }

  @Override
  public void deliver(DeliveryContext context) {
    server.reportResults(context.result().buildId(), context.result());
  }
}

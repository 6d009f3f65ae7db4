package io.proteus.core.plan;

import io.proteus.model.TestPlan;
import java.util.List;

/**
 * A read {@code tests.json}: its plans and the warnings about them.
 *
 * @param plans one or more plans
 * @param warnings unknown fields and other things that were accepted but look wrong
 */
public record PlanDocument(List<TestPlan> plans, List<PlanWarning> warnings) {
  /** Copies the lists. */
  public PlanDocument {
    plans = List.copyOf(plans);
    warnings = List.copyOf(warnings);
  }
}

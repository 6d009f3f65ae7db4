/**
 * Proteus's core: the loop, jobs, routing, stores, adapters, the agent runtime (local and remote)
 * and its process engine, reports. Packages with {@code internal} in their name are not exported:
 * they may change in any release. The testkit and the Docker engine need none of them: they drive
 * the core through its public API.
 */
module io.proteus.core {
  requires transitive io.proteus.api;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
  requires org.apache.commons.compress;
  requires java.xml;
  requires org.eclipse.jetty.server;
  requires okhttp3;

  exports io.proteus.core;
  exports io.proteus.core.adapter;
  exports io.proteus.core.artifacts;
  exports io.proteus.core.agent;
  exports io.proteus.core.archive;
  exports io.proteus.core.plan;
  exports io.proteus.core.process;
  exports io.proteus.core.report;
  exports io.proteus.core.store;
  exports io.proteus.core.worker;
  exports io.proteus.core.internal.util to
      io.proteus.docker;
}

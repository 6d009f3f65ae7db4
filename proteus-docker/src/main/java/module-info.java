/** The Docker engine: runs each task in a hardened container through the Docker Engine API. */
module io.proteus.docker {
  requires transitive io.proteus.core;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires transitive jdk.httpserver;
  requires org.apache.commons.compress;
  requires com.fasterxml.jackson.databind;
  requires com.github.dockerjava.api;
  requires com.github.dockerjava.core;
  requires com.github.dockerjava.transport;
  requires com.github.dockerjava.transport.zerodep;

  exports io.proteus.docker;
}

/**
 * Proteus's API: the value types and the SPIs a host application implements. {@code
 * io.proteus.internal} holds implementation helpers of the value types, for the core only.
 */
module io.proteus.api {
  requires static transitive org.jspecify;

  exports io.proteus;
  exports io.proteus.model;
  exports io.proteus.spi;
  exports io.proteus.spi.transport;
  exports io.proteus.internal to
      io.proteus.core;
}

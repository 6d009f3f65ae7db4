/** Fakes and a stepped test environment for testing code that embeds or extends Proteus. */
module io.proteus.testkit {
  requires transitive io.proteus.core;
  requires static transitive org.jspecify;
  requires static org.assertj.core;
  requires org.apache.commons.compress;
  requires java.xml;

  exports io.proteus.testkit;
}

package io.proteus.spi;

/**
 * Storage held for a build. The core releases it when the build's last job is archived; releasing
 * twice is harmless.
 */
public interface Reservation {

  /** The bytes held. */
  long bytes();

  /** Gives the bytes back to the budget. Idempotent. */
  void release();

  /** A reservation of nothing, for builds whose files live elsewhere. */
  Reservation NONE =
      new Reservation() {
        @Override
        public long bytes() {
          return 0;
        }

        @Override
        public void release() {}
      };
}

package io.proteus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a type that Proteus implements and users only call: Proteus may add methods to it in any
 * release, so an implementation outside Proteus (other than a test double of the testkit's) may
 * stop compiling. Implement the SPIs instead ({@code Adapter}, {@code Worker}, {@code Engine},
 * ...).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DoNotImplement {}

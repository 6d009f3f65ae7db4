package io.proteus.spi;

import java.nio.file.Path;

/**
 * What a platform gets to make an engine.
 *
 * @param workerId the worker the engine serves
 * @param workRoot a folder the worker owns, for workspaces and logs
 */
public record EngineContext(String workerId, Path workRoot) {}

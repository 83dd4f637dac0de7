package io.vigil.server;

import io.javalin.Javalin;

/** A group of routes (one REST resource, or the console) that registers itself on the server. */
@FunctionalInterface
public interface Endpoints {
  void register(Javalin app);
}

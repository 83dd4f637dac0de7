package io.vigil.server.api;

import java.util.List;

/** One page of a longer list: the items, where the page starts, its size and how many there are in all. */
public record PageOf<T>(List<T> items, int offset, int limit, long total) {}

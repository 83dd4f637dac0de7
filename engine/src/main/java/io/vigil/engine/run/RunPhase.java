package io.vigil.engine.run;

/** The steps of a run, in order. */
public enum RunPhase { COLLECT, EVALUATE, RECONCILE, PUBLISH, REPORT }

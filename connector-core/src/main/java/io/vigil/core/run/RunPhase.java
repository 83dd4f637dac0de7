package io.vigil.core.run;

/** The steps of a run, in order. */
public enum RunPhase { COLLECT, EVALUATE, RECONCILE, PUBLISH, REPORT }

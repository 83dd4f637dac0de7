package io.vigil.server;

/**
 * The JSON body of every error the server returns: the HTTP status and one message a person can act on.
 */
public record ApiError(int status, String error) {}

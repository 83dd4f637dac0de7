package io.vigil.server;

import java.util.List;

/** Turns into an {@link ApiError} response with the given status. */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;
  private final List<ApiError.FieldProblem> problems;

  public ApiException(int status, String message) {
    this(status, ApiError.codeFor(status), message, null, List.of());
  }

  public ApiException(int status, String code, String message, String field, List<ApiError.FieldProblem> problems) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.problems = List.copyOf(problems);
  }

  public int status() {
    return status;
  }

  public ApiError toError() {
    return new ApiError(status, code, getMessage(), field, problems);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  /** A request field is wrong: 400 naming it. */
  public static ApiException badField(String field, String message) {
    return new ApiException(400, "invalid_request", message, field, List.of());
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message);
  }
}

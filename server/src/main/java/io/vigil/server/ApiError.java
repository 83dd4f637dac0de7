package io.vigil.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The JSON body of every error the server returns.
 *
 * @param status the HTTP status
 * @param error a stable code a program can branch on ({@code unauthorized}, {@code forbidden}, {@code not_found},
 *     {@code invalid_request}, {@code invalid_schedule}, {@code conflict}, {@code internal})
 * @param message one sentence a person can act on
 * @param field the request field at fault, when one is
 * @param problems every problem, when a request had several (a schedule with a bad cron and an unknown source)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(int status, String error, String message, String field, List<FieldProblem> problems) {
  /** One field's problem. */
  public record FieldProblem(String field, String message) {}

  public ApiError(int status, String error, String message) {
    this(status, error, message, null, List.of());
  }

  /** The code for a status when nothing more specific applies. */
  public static String codeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      default -> status >= 500 ? "internal" : "error";
    };
  }
}

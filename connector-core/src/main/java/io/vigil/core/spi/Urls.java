package io.vigil.core.spi;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the credentials a URL can carry before it is printed: the password in its user info
 * ({@code http://bob:PASS@host} becomes {@code http://bob:****@host}) and the value of password-like parameters
 * ({@code jdbc:postgresql://db/vigil?password=PASS}, {@code ;PASSWORD=PASS}). Works on a bare URL and on any text
 * that contains URLs, such as an exception message; what is not a credential is left as it was.
 */
public final class Urls {
  private static final String MASK = "****";
  private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://)([^/?#@\\s]+)@");
  private static final Pattern PARAMETER = Pattern.compile(
      "(?i)\\b((?:password|passwd|pwd|secret|client_secret|token|access_token|api_?key|apitoken)=)([^;&\\s\"']*)");

  private Urls() {}

  /** The text with every URL credential masked; null stays null. */
  public static String redact(String text) {
    if (text == null) return null;
    Matcher m = USER_INFO.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String info = m.group(2);
      int colon = info.indexOf(':');
      String masked = colon < 0 ? MASK : info.substring(0, colon + 1) + MASK;
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + masked + "@"));
    }
    m.appendTail(sb);
    return PARAMETER.matcher(sb).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
  }
}

package io.vigil.keycloak.internal;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;

/**
 * Finds the user attributes Vigil relies on that the realm's user profile will not keep. Since Keycloak
 * 24 the declarative user profile is always on: an attribute it does not declare is discarded on import
 * and update unless its {@code unmanagedAttributePolicy} is ENABLED, ADMIN_EDIT or ADMIN_VIEW, and a
 * declared one reaches the admin API only if admins may view or edit it. Partner detection and identity
 * matching would then silently see nothing. Not thread-safe: one instance per call.
 */
public final class UserProfileAudit {
  private static final Set<UPConfig.UnmanagedAttributePolicy> KEEPS_UNMANAGED = Set.of(
      UPConfig.UnmanagedAttributePolicy.ENABLED, UPConfig.UnmanagedAttributePolicy.ADMIN_EDIT,
      UPConfig.UnmanagedAttributePolicy.ADMIN_VIEW);

  private final AdminApi api;

  public UserProfileAudit(AdminApi api) {
    this.api = api;
  }

  /**
   * A warning naming every attribute of {@code used} the profile drops or hides from admins, with what to
   * change in Keycloak; null when all are kept.
   */
  public String warning(Collection<String> used) {
    if (used.isEmpty()) return null;
    UPConfig profile = api.call("GET /admin/realms/" + api.realmName() + "/users/profile",
        () -> api.realm().users().userProfile().getConfiguration());
    Set<String> dropped = new TreeSet<>();
    Set<String> hidden = new TreeSet<>();
    boolean keepsUnmanaged = profile.getUnmanagedAttributePolicy() != null
        && KEEPS_UNMANAGED.contains(profile.getUnmanagedAttributePolicy());
    for (String name : new TreeSet<>(used)) {
      UPAttribute declared = profile.getAttribute(name);
      if (declared == null) {
        if (!keepsUnmanaged) dropped.add(name);
      } else if (!adminMaySee(declared.getPermissions())) {
        hidden.add(name);
      }
    }
    if (dropped.isEmpty() && hidden.isEmpty()) return null;
    String realm = "Keycloak realm '" + api.realmName() + "'";
    StringBuilder out = new StringBuilder();
    if (!dropped.isEmpty()) {
      out.append(realm).append("'s user profile does not keep the user attribute").append(dropped.size() > 1 ? "s " : " ")
          .append(String.join(", ", dropped))
          .append(" that Vigil reads (partner detection, identity matching): they are not declared and unmanaged attributes are ")
          .append(profile.getUnmanagedAttributePolicy() == null ? "disabled" : profile.getUnmanagedAttributePolicy())
          .append(", so Keycloak discards them on import and update; declare them (Realm settings → User profile → Create attribute,"
              + " with admin allowed to view) or set Unmanaged attributes to 'Admin can view' or 'Admin can edit' (Realm settings → General)");
    }
    if (!hidden.isEmpty()) {
      if (out.length() > 0) out.append("; ");
      out.append(realm).append("'s user profile declares ").append(String.join(", ", hidden))
          .append(" without letting admins view ").append(hidden.size() > 1 ? "them" : "it")
          .append(", so Vigil's client cannot read ").append(hidden.size() > 1 ? "them" : "it")
          .append("; add 'admin' to who can view (Realm settings → User profile → the attribute → Permissions)");
    }
    return out.toString();
  }

  private static boolean adminMaySee(UPAttributePermissions permissions) {
    if (permissions == null) return true;
    return contains(permissions.getView(), "admin") || contains(permissions.getEdit(), "admin");
  }

  private static boolean contains(Set<String> roles, String role) {
    return roles != null && roles.contains(role);
  }
}

#!/usr/bin/env python3
"""Writes sandbox/src/main/resources/demo/realm-corp.json, the demo realm of sandbox/DEMO-ORG.md.
Deterministic: ids are derived from names, so the sandbox and a real Keycloak import the same ids."""
import json, sys, uuid

NS = uuid.UUID("6f1d3c2a-6c1e-4c5b-9a51-0d7e1f2a3b4c")
def uid(kind, name): return str(uuid.uuid5(NS, kind + ":" + name))
T0 = 1735689600000  # 2025-01-01T00:00:00Z
DAY = 86400000

PEOPLE = [
  # username, first, last, jira suffix, extra
  ("alice.andersen", "Alice", "Andersen", "1a", {"clientRoles": {"realm-management": ["realm-admin"]}}),
  ("bob.berg", "Bob", "Berg", "1b", {"realmRoles": ["change-approver"], "groups": ["/ops/oncall"]}),
  ("carol.chen", "Carol", "Chen", "1c", {"groups": ["/security/approvers"], "otp": True}),
  ("dave.diaz", "Dave", "Diaz", "1d", {}),
  ("erin.eriksen", "Erin", "Eriksen", "1e", {}),
  ("frank.fischer", "Frank", "Fischer", "1f", {}),
  ("grace.gomez", "Grace", "Gomez", "20", {"realmRoles": ["change-approver"], "groups": ["/ops/admins/dba", "/security/approvers"]}),
  ("heidi.hansen", "Heidi", "Hansen", "21", {"clientRoles": {"realm-management": ["realm-admin"]}, "otp": True, "webauthn": True}),
  ("ivan.ivanov", "Ivan", "Ivanov", "22", {"partner": None, "groups": ["/partners/acme-consulting"]}),
  ("judy.jensen", "Judy", "Jensen", "23", {"partner": "2025-06-30", "groups": ["/partners/acme-consulting"]}),
  ("mallory.moore", "Mallory", "Moore", "24", {"created": T0 - 800 * DAY}),
  ("oscar.olsen", "Oscar", "Olsen", "25", {"enabled": False, "clientRoles": {"realm-management": ["manage-users"]}}),
  ("peggy.park", "Peggy", "Park", "26", {"partner": "2030-12-31", "groups": ["/partners/acme-consulting"]}),
  ("trent.tan", "Trent", "Tan", "27", {"realmRoles": ["vigil-auditor"]}),
  ("victor.vance", "Victor", "Vance", "28", {}),
  ("wendy.wu", "Wendy", "Wu", "29", {}),
  ("yusuf.yilmaz", "Yusuf", "Yilmaz", "2a", {}),
  ("zoe.zimmer", "Zoe", "Zimmer", "2b", {"created": T0 + 400 * DAY}),
  ("sam.sato", "Sam", "Sato", "2c", {}),
  ("nina.novak", "Nina", "Novak", "2d", {"realmRoles": ["vigil-admin"]}),
]
STAFF_CHILDREN = 12     # more than Keycloak's default page of 10 children
STAFF_USERS = 130       # more than 100 members of realm role intranet-user, and of /staff/team-01

def user(username, first, last, realm_roles, client_roles, groups, attrs, created, enabled=True, extra=None):
    u = {"id": uid("user", username), "username": username, "enabled": enabled, "emailVerified": True,
         "firstName": first, "lastName": last, "email": username + "@acme.example",
         "createdTimestamp": created, "attributes": attrs,
         "realmRoles": ["default-roles-corp"] + realm_roles, "groups": groups}
    if client_roles: u["clientRoles"] = client_roles
    if extra: u.update(extra)
    return u

users = []
for i, (username, first, last, suffix, x) in enumerate(PEOPLE):
    attrs = {"jiraAccountId": ["5b10a2844c20165700ede2" + suffix]}
    extra = {}
    if "partner" in x:
        attrs["affiliation"] = ["partner"]
        if x["partner"]: attrs["accessExpires"] = [x["partner"]]
        extra["federatedIdentities"] = [{"identityProvider": "partner-idp", "userId": "partner-" + username, "userName": username}]
    creds = []
    if x.get("otp"):
        creds.append({"type": "otp", "userLabel": "phone", "createdDate": T0,
                      "secretData": json.dumps({"value": "JBSWY3DPEHPK3PXP" + suffix.upper()}),
                      "credentialData": json.dumps({"subType": "totp", "digits": 6, "counter": 0, "period": 30, "algorithm": "HmacSHA1"})})
    if x.get("webauthn"):
        creds.append({"type": "webauthn", "userLabel": "security key", "createdDate": T0,
                      "secretData": "{}",
                      "credentialData": json.dumps({"aaguid": "00000000-0000-0000-0000-000000000000", "credentialId": "a2V5LWhlaWRp",
                                                    "credentialPublicKey": "pQECAyYgASFYIA", "counter": 0, "attestationStatementFormat": "none", "transports": []})})
    if creds: extra["credentials"] = creds
    users.append(user(username, first, last, x.get("realmRoles", []), x.get("clientRoles"), x.get("groups", []),
                      attrs, x.get("created", T0 + i * DAY), x.get("enabled", True), extra))

for n in range(1, STAFF_USERS + 1):
    name = "staff.%03d" % n
    team = "/staff/team-01" if n <= 105 else "/staff/team-%02d" % (2 + n % (STAFF_CHILDREN - 1))
    users.append(user(name, "Staff", "%03d" % n, ["intranet-user"], None, [team], {}, T0 + n * 3600000))

users.append({"id": uid("user", "service-account-backup-agent"), "username": "service-account-backup-agent", "enabled": True,
              "createdTimestamp": T0, "serviceAccountClientId": "backup-agent",
              "realmRoles": ["default-roles-corp", "backup-operator"]})
users.append({"id": uid("user", "service-account-reporting-agent"), "username": "service-account-reporting-agent", "enabled": True,
              "createdTimestamp": T0, "serviceAccountClientId": "reporting-agent", "realmRoles": ["default-roles-corp"],
              "clientRoles": {"realm-management": ["view-users"]}})
users.append({"id": uid("user", "service-account-vigil"), "username": "service-account-vigil", "enabled": True,
              "createdTimestamp": T0, "serviceAccountClientId": "vigil", "realmRoles": ["default-roles-corp"],
              "clientRoles": {"realm-management": ["view-users", "view-realm", "view-clients", "view-events"]}})

def role(name, desc, realm=None, client=None):
    r = {"name": name, "description": desc, "composite": bool(realm or client)}
    if r["composite"]:
        r["composites"] = {}
        if realm: r["composites"]["realm"] = realm
        if client: r["composites"]["client"] = client
    return r

realm_roles = [
  role("offline_access", "${role_offline-access}"),
  role("uma_authorization", "${role_uma_authorization}"),
  role("employee", "Every employee"),
  role("change-approver", "Approves changes"),
  role("deployer-base", "Base deployment rights"),
  role("release-manager", "Releases to production", ["deployer-base"], {"deployer": ["prod-deploy"]}),
  role("ops-superuser", "Operations super user", ["release-manager"], {"realm-management": ["manage-users"]}),
  role("backup-operator", "Backup service", None, {"realm-management": ["realm-admin"]}),
  role("intranet-user", "Reads the intranet"),
  role("staff-member", "Member of staff"),
  role("vigil-admin", "Changes anything in Vigil"),
  role("vigil-auditor", "Reads Vigil's reports"),
  role("default-roles-corp", "${role_default-roles}", ["offline_access", "uma_authorization", "employee"], {"portal": ["view-own"]}),
]
client_roles = {
  "deployer": [role("prod-deploy", "Deploys to production"), role("staging-deploy", "Deploys to staging")],
  "portal": [role("view-own", "Sees own requests")],
}

def client(client_id, public=False, service_account=False, secret=None, redirect=None):
    c = {"clientId": client_id, "name": client_id, "enabled": True, "protocol": "openid-connect",
         "publicClient": public, "standardFlowEnabled": not service_account, "directAccessGrantsEnabled": False,
         "serviceAccountsEnabled": service_account, "redirectUris": redirect or [], "webOrigins": ["+"] if redirect else []}
    if secret: c["secret"] = secret; c["clientAuthenticatorType"] = "client-secret"
    return c

clients = [
  client("deployer", service_account=False, secret="deployer-demo-secret"),
  client("portal", public=True, redirect=["http://localhost:*"]),
  client("vigil-console", public=True, redirect=["http://localhost:*", "http://127.0.0.1:*"]),
  client("vigil", service_account=True, secret="vigil-demo-secret"),
  client("backup-agent", service_account=True, secret="backup-demo-secret"),
  client("reporting-agent", service_account=True, secret="reporting-demo-secret"),
]

def group(name, realm_roles=None, subs=None):
    g = {"name": name, "path": None, "realmRoles": realm_roles or [], "subGroups": subs or []}
    return g
groups = [
  group("ops", [], [group("oncall", ["release-manager"]), group("admins", ["ops-superuser"], [group("dba")])]),
  group("security", [], [group("approvers", ["change-approver"])]),
  group("partners", [], [group("acme-consulting")]),
  group("staff", ["staff-member"], [group("team-%02d" % n) for n in range(1, STAFF_CHILDREN + 1)]),
]
def fix_paths(gs, parent):
    for g in gs:
        g["path"] = parent + "/" + g["name"]
        fix_paths(g["subGroups"], g["path"])
fix_paths(groups, "")

realm = {
  "realm": "corp", "enabled": True, "displayName": "Acme Corp",
  "eventsEnabled": True, "eventsExpiration": 2592000, "enabledEventTypes": ["LOGIN", "LOGIN_ERROR", "LOGOUT"],
  "roles": {"realm": realm_roles, "client": client_roles},
  "defaultRole": {"name": "default-roles-corp", "composite": True, "clientRole": False},
  "groups": groups, "users": users, "clients": clients,
  "identityProviders": [{"alias": "partner-idp", "displayName": "Partner SSO", "providerId": "oidc", "enabled": True,
                         "trustEmail": False, "firstBrokerLoginFlowAlias": "first broker login",
                         "config": {"authorizationUrl": "https://sso.partner.example/auth", "tokenUrl": "https://sso.partner.example/token",
                                    "clientId": "acme", "clientSecret": "partner-demo-secret", "clientAuthMethod": "client_secret_post",
                                    "syncMode": "IMPORT"}}],
}
# Keycloak 26 shows admins only the attributes its user profile declares; the demo's attributes
# (jiraAccountId, affiliation, accessExpires) are kept as unmanaged attributes admins may view and edit.
profile = {"attributes": [
    {"name": n, "displayName": "${" + n + "}", "permissions": {"view": ["admin", "user"], "edit": ["admin", "user"]},
     "multivalued": False, "validations": {}} for n in ("username", "email", "firstName", "lastName")],
  "groups": [], "unmanagedAttributePolicy": "ADMIN_EDIT"}
realm["components"] = {"org.keycloak.userprofile.UserProfileProvider": [
    {"providerId": "declarative-user-profile", "subComponents": {}, "config": {"kc.user.profile.config": [json.dumps(profile)]}}]}
out = sys.argv[1] if len(sys.argv) > 1 else "sandbox/src/main/resources/demo/realm-corp.json"
with open(out, "w") as f:
    json.dump(realm, f, indent=2)
    f.write("\n")

package io.vigil.sandbox.keycloak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Keycloak sandbox on its own, for demos:
 * {@code java -cp … io.vigil.sandbox.keycloak.KeycloakSandboxMain realm.json [activity.json] [port]}.
 * Prints the server URL and serves until the process is stopped.
 */
public final class KeycloakSandboxMain {
    private KeycloakSandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: KeycloakSandboxMain <realm-export.json> [activity.json] [port]");
            System.exit(2);
        }
        Path realmFile = Path.of(args[0]);
        Path activity = null;
        int port = 0;
        for (int i = 1; i < args.length; i++) {
            if (args[i].matches("\\d+")) {
                port = Integer.parseInt(args[i]);
            } else {
                activity = Path.of(args[i]);
            }
        }
        KeycloakSandbox sandbox;
        try {
            sandbox = KeycloakSandbox.start(realmFile, port);
            if (activity != null) {
                if (!Files.isReadable(activity)) {
                    sandbox.stop();
                    throw new RealmFileException("Cannot read activity file " + activity + "; give an existing file or leave it out.");
                }
                sandbox.loadActivity(activity);
            }
        } catch (RealmFileException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::stop));
        System.out.println("Keycloak sandbox for realm '" + sandbox.realmName() + "' at " + sandbox.url());
        new CountDownLatch(1).await();
    }
}

package io.vigil.cli;

import io.vigil.engine.problem.ProblemsException;
import io.vigil.engine.report.RequirementsRegister;
import io.vigil.engine.store.Attestation;
import io.vigil.engine.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "attest", description = "Attest a manual requirement with evidence (a link, or a file whose SHA-256 is"
    + " recorded) and a note; it counts for the requirement's attestEvery.")
final class AttestCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;
  @Option(names = "--requirement", required = true, description = "the manual requirement's id") String requirement;

  @ArgGroup(exclusive = true, multiplicity = "1") Evidence evidence;

  static final class Evidence {
    @Option(names = "--evidence", description = "a link (http or https) to the evidence") String url;
    @Option(names = "--file", description = "an evidence file; its SHA-256 and name are recorded, not its content") Path file;
  }

  @Option(names = "--note", required = true, description = "what was checked, and how") String note;
  @Option(names = "--by", defaultValue = "${sys:user.name}", description = "who attests (default: the OS user)") String by;

  AttestCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String sha = "";
    String name = "";
    if (evidence.file != null) {
      try {
        sha = sha256(evidence.file);
        name = evidence.file.getFileName().toString();
      } catch (IOException e) {
        ctx.err().println("vigil: cannot read the evidence file " + evidence.file + " (" + e.getMessage() + ")");
        return Main.REJECTED;
      }
    }
    try (Setup setup = Setup.load(config, ctx);
        Store store = setup.openStore(ctx.clock())) {
      Attestation a = new RequirementsRegister(store).attest(setup.policy(), requirement,
          evidence.url == null ? "" : evidence.url, sha, name, note, by);
      ctx.out().printf("attestation %s recorded: %s attested by %s with %s, valid until %s%n", a.id(),
          a.requirementId(), a.attestedBy(), a.evidenceUrl().isEmpty()
              ? a.evidenceName() + " (sha256 " + a.evidenceSha256() + ")" : a.evidenceUrl(), a.expiresAt());
      return Main.OK;
    } catch (ProblemsException e) {
      ValidateCommand.printProblems(e, ctx);
      return Main.REJECTED;
    } catch (IllegalArgumentException e) {
      ctx.err().println("vigil: the attestation was not recorded: " + e.getMessage());
      return Main.REJECTED;
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.vigil.cli;

import io.vigil.engine.problem.ProblemsException;
import io.vigil.engine.report.RequirementRow;
import io.vigil.engine.report.RequirementStatus;
import io.vigil.engine.report.RequirementsRegister;
import io.vigil.engine.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Print the requirements register: every requirement with its source and"
    + " status (validated, failing, accepted-risk, not-validated), and the counts by kind and by status. With --customer"
    + " naming a customer of the policy's customers section: that customer's security report for a period (json, csv,"
    + " html or pdf).")
final class ReportCommand implements Callable<Integer> {
  enum Format { json, csv, html, pdf }

  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;
  @Option(names = "--format", defaultValue = "json", description = "json (one document with the counts) or csv"
      + " (one line per requirement; the counts go to standard error, or standard output with --out); for a customer's"
      + " report also html or pdf (pdf needs --out)") Format format;
  @Option(names = "--out", description = "write the report to this file instead of standard output") Path out;
  @Option(names = "--kind", description = "only requirements whose source is of this kind (sla, ola, contract, law,"
      + " corporate, customer-objective, unspecified)") String kind;
  @Option(names = "--customer", description = "a customer of the policy's customers section: its security report;"
      + " otherwise only the requirements whose source names this customer") String customer;
  @Option(names = "--period", description = "the customer report's period: a month (2026-11), an ISO week (2026-W48)"
      + " or a quarter (2026-Q4); by default the last full period of the customer's report.period") String period;
  @Option(names = "--from", description = "the customer report's first day (2026-11-01), with --to") String from;
  @Option(names = "--to", description = "the customer report's last day (2026-11-30), with --from") String to;
  @Option(names = "--status", description = "only requirements in this status") String status;

  ReportCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    RequirementStatus wanted = null;
    if (status != null) {
      wanted = RequirementStatus.parse(status).orElse(null);
      if (wanted == null) {
        ctx.err().println("vigil: --status '" + status + "' is not one of validated, failing, accepted-risk, not-validated");
        return Main.REJECTED;
      }
    }
    if ((from == null) != (to == null)) {
      ctx.err().println("vigil: --from and --to go together (the first and the last day of the report)");
      return Main.REJECTED;
    }
    if (period != null && from != null) {
      ctx.err().println("vigil: give either --period or --from and --to, not both");
      return Main.REJECTED;
    }
    try (Setup setup = Setup.load(config, ctx);
        Store store = setup.openStore(ctx.clock())) {
      if (customer != null && setup.policy().customer(customer).isPresent()) return customerReport(setup, store);
      if (format == Format.html || format == Format.pdf || period != null || from != null) {
        ctx.err().println("vigil: --format html and pdf, --period, --from and --to are for a customer's report: give"
            + " --customer with one of the policy's customers " + setup.policy().customers().stream()
                .map(io.vigil.core.policy.Customer::id).toList());
        return Main.REJECTED;
      }
      RequirementsRegister.Report report = new RequirementsRegister(store).report(setup.policy(),
          new RequirementsRegister.Filter(kind, customer, wanted));
      String text = format == Format.json
          ? store.json().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n"
          : csv(report.requirements());
      if (out != null) {
        Files.writeString(out, text, StandardCharsets.UTF_8);
        counts(report, ctx.out());
        ctx.out().println("written to " + out);
      } else {
        ctx.out().print(text);
        if (format == Format.csv) counts(report, ctx.err());
      }
      ctx.out().flush();
      return Main.OK;
    } catch (ProblemsException e) {
      ValidateCommand.printProblems(e, ctx);
      return Main.REJECTED;
    } catch (IOException e) {
      ctx.err().println("vigil: cannot write the report to " + out + " (" + e.getMessage() + ")");
      return Main.REJECTED;
    }
  }

  /** One customer's security report for a period, in the format asked for. */
  private int customerReport(Setup setup, Store store) throws IOException {
    io.vigil.engine.report.CustomerReports reports = new io.vigil.engine.report.CustomerReports(store, setup::policy);
    io.vigil.engine.report.ReportPeriod p;
    try {
      java.time.ZoneId zone = io.vigil.engine.report.CustomerReports.zone(reports.customer(customer));
      p = period != null ? io.vigil.engine.report.ReportPeriod.parse(period, zone)
          : from != null ? io.vigil.engine.report.ReportPeriod.between(from, to, zone)
          : reports.lastPeriod(customer, ctx.clock().instant());
    } catch (IllegalArgumentException e) {
      ctx.err().println("vigil: " + e.getMessage());
      return Main.REJECTED;
    }
    if (format == Format.pdf && out == null) {
      ctx.err().println("vigil: --format pdf writes a file: give --out FILE");
      return Main.REJECTED;
    }
    io.vigil.engine.report.CustomerReport r = reports.build(customer, p);
    switch (format) {
      case pdf -> Files.write(out, reports.pdf(r));
      case html -> write(reports.html(r));
      case csv -> write(csv(r));
      default -> write(store.json().writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n");
    }
    if (out != null) {
      ctx.out().println(io.vigil.engine.report.CustomerReports.summary(r));
      ctx.out().println("written to " + out);
    }
    ctx.out().flush();
    return Main.OK;
  }

  private void write(String text) throws IOException {
    if (out != null) {
      Files.writeString(out, text, StandardCharsets.UTF_8);
    } else {
      ctx.out().print(text);
    }
  }

  static final List<String> CUSTOMER_CSV_COLUMNS = List.of("id", "title", "kind", "source", "own", "status", "reason");

  static String csv(io.vigil.engine.report.CustomerReport r) {
    StringWriter w = new StringWriter();
    w.append(String.join(",", CUSTOMER_CSV_COLUMNS)).append("\r\n");
    for (io.vigil.engine.report.CustomerReport.Line l : r.requirements()) {
      List<Object> cells = List.of(l.id(), l.title(), l.kind(), l.source(), l.own(), l.status(), l.reason());
      w.append(cells.stream().map(c -> cell(String.valueOf(c))).collect(Collectors.joining(","))).append("\r\n");
    }
    return w.toString();
  }

  private static void counts(RequirementsRegister.Report report, PrintWriter to) {
    to.printf("%d requirement(s): %s%n", report.requirements().size(), describe(report.byStatus()));
    report.byKind().forEach((k, byStatus) -> to.printf("  %-20s %s%n", k, describe(byStatus)));
    to.flush();
  }

  private static String describe(Map<String, Long> byStatus) {
    return byStatus.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
  }

  static final List<String> CSV_COLUMNS = List.of("id", "title", "severity", "kind", "source", "customer", "region",
      "manual", "check", "status", "reason", "open_findings", "oldest_open_since", "waived_findings", "last_evaluated");

  static String csv(List<RequirementRow> rows) {
    StringWriter w = new StringWriter();
    w.append(String.join(",", CSV_COLUMNS)).append("\r\n");
    for (RequirementRow r : rows) {
      List<Object> cells = List.of(r.id(), r.title(), r.severity().name().toLowerCase(java.util.Locale.ROOT), r.kind(),
          r.source(), r.customer(), r.region(), r.manual(), r.check(), r.status().id(), r.reason(), r.openFindings(),
          r.oldestOpenSince() == null ? "" : r.oldestOpenSince(), r.waivedFindings(),
          r.lastEvaluated() == null ? "" : r.lastEvaluated());
      w.append(cells.stream().map(c -> cell(String.valueOf(c))).collect(Collectors.joining(","))).append("\r\n");
    }
    return w.toString();
  }

  /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs a cell as a formula. */
  private static String cell(String v) {
    String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
    return s.matches(".*[\",\r\n].*") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}

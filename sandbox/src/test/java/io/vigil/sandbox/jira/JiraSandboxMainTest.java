package io.vigil.sandbox.jira;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The standalone sandbox's commands on standard input (the Jira collection benchmark's "forget" after its warm-up). */
class JiraSandboxMainTest {

    private static String search(JiraHttp http) {
        JiraHttp.Response r = http.post("/rest/api/3/search/jql",
                "{\"jql\":\"project = ITSM ORDER BY key ASC\",\"maxResults\":50,\"fields\":[\"*all\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.text();
    }

    @Test
    void forgetDropsWhatTheSandboxKeptAndTheNextAnswersAreTheSame() {
        try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
            JiraHttp http = JiraHttp.vigil(sandbox);
            String before = search(http);
            long version = sandbox.site().version.get();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            JiraSandboxMain.serveCommands(new BufferedReader(new StringReader("forget\n\n  forget  \nreload\n")), sandbox,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("forgot", "forgot");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'reload'").contains("forget");
            assertThat(sandbox.site().version.get()).as("every kept result belongs to an older site version").isEqualTo(version + 2);
            assertThat(search(http)).as("computed anew, the same answer").isEqualTo(before);
        }
    }
}

package io.vigil.sandbox.jira;

import java.time.Instant;
import java.util.List;

/** A snapshot of one issue's current state in the sandbox, for assertions. */
public record IssueView(String key, String id, String project, String issueType, String summary, String status,
                        String resolution, List<String> labels, String securityLevel, List<CommentView> comments,
                        List<LinkView> links, List<String> affectedObjectKeys, Instant created, Instant updated) {

    /** A comment: author account id, plain text, whether customers see it. */
    public record CommentView(String id, String authorAccountId, String text, boolean isPublic, Instant created) {
    }

    /** A link: type name, whether this issue is the outward end, the issue at the other end. */
    public record LinkView(String type, boolean outward, String otherKey) {
    }

    public List<CommentView> internalComments() {
        return comments.stream().filter(c -> !c.isPublic()).toList();
    }
}

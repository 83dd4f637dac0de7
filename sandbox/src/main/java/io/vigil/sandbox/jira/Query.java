package io.vigil.sandbox.jira;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed JQL or AQL query: a boolean expression of clauses {@code field op value(s)} joined by AND, OR, NOT and
 * parentheses, and an optional ORDER BY. Both languages share this much syntax; what a field means is up to
 * {@link Jql} and {@link Aql}. Parse errors are {@link QueryException}s with a message in Jira's words.
 */
final class Query {
    sealed interface Expr permits And, Or, Not, Clause {
    }

    record And(List<Expr> parts) implements Expr {
    }

    record Or(List<Expr> parts) implements Expr {
    }

    record Not(Expr inner) implements Expr {
    }

    /**
     * {@code op}: = != > >= < <= ~ !~ in "not in" is "is not". Values are unquoted; EMPTY/NULL become null. With
     * {@code in}/{@code not in} the right side may be a function call ({@code aqlFunction("…")}): {@code function} is
     * its name as written and {@code values} its arguments; otherwise {@code function} is null.
     */
    record Clause(String field, String op, List<String> values, String function) implements Expr {
        Clause(String field, String op, List<String> values) {
            this(field, op, values, null);
        }
    }

    record Order(String field, boolean ascending) {
    }

    static final class QueryException extends RuntimeException {
        QueryException(String message) {
            super(message, null, false, false);
        }
    }

    final Expr where;       // null when the query has no restriction
    final List<Order> orderBy;

    private Query(Expr where, List<Order> orderBy) {
        this.where = where;
        this.orderBy = orderBy;
    }

    static Query parse(String text) {
        return new Parser(tokenize(text == null ? "" : text)).query();
    }

    // ---- lexer ------------------------------------------------------------------------------------------------

    private record Token(String text, boolean quoted, int pos) {
        boolean is(String word) {
            return !quoted && text.equalsIgnoreCase(word);
        }
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder sb = new StringBuilder();
                int start = i++;
                while (i < s.length() && s.charAt(i) != c) {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    sb.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw new QueryException("Error in the JQL Query: The quoted string starting at character " + start
                            + " is not terminated.");
                }
                i++;
                out.add(new Token(sb.toString(), true, start));
            } else if ("(),".indexOf(c) >= 0) {
                out.add(new Token(String.valueOf(c), false, i++));
            } else if ("=!<>~".indexOf(c) >= 0) {
                int start = i;
                i++;
                if (i < s.length() && (s.charAt(i) == '=' || s.charAt(i) == '~')) {
                    i++;
                }
                out.add(new Token(s.substring(start, i), false, start));
            } else {
                int start = i;
                while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "(),=!<>~\"'".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(s.substring(start, i), false, start));
            }
        }
        return out;
    }

    // ---- parser -----------------------------------------------------------------------------------------------

    private static final class Parser {
        private final List<Token> tokens;
        private int pos;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        Query query() {
            Expr where = null;
            if (!atEnd() && !peek().is("order")) {
                where = or();
            }
            List<Order> order = new ArrayList<>();
            if (!atEnd() && peek().is("order")) {
                next();
                expectWord("by");
                do {
                    Token f = next();
                    boolean asc = true;
                    if (!atEnd() && (peek().is("asc") || peek().is("desc"))) {
                        asc = next().is("asc");
                    }
                    order.add(new Order(f.text().toLowerCase(Locale.ROOT), asc));
                } while (!atEnd() && peek().text().equals(",") && next() != null);
            }
            if (!atEnd()) {
                throw error("Expecting either 'OR' or 'AND' but got '" + peek().text() + "'.");
            }
            return new Query(where, order);
        }

        private Expr or() {
            List<Expr> parts = new ArrayList<>(List.of(and()));
            while (!atEnd() && peek().is("or")) {
                next();
                parts.add(and());
            }
            return parts.size() == 1 ? parts.get(0) : new Or(parts);
        }

        private Expr and() {
            List<Expr> parts = new ArrayList<>(List.of(unary()));
            while (!atEnd() && peek().is("and")) {
                next();
                parts.add(unary());
            }
            return parts.size() == 1 ? parts.get(0) : new And(parts);
        }

        private Expr unary() {
            if (atEnd()) {
                throw error("Expecting a field name but reached the end of the query.");
            }
            if (peek().is("not")) {
                next();
                return new Not(unary());
            }
            if (peek().text().equals("(") && !peek().quoted()) {
                next();
                Expr e = or();
                expect(")");
                return e;
            }
            return clause();
        }

        private Expr clause() {
            Token field = next();
            if (!field.quoted() && ("(),".contains(field.text()) || field.text().matches("[=!<>~]+"))) {
                throw error("Expecting a field name but got '" + field.text() + "'.");
            }
            if (atEnd()) {
                throw error("Expecting an operator after '" + field.text() + "' but reached the end of the query.");
            }
            Token opTok = next();
            String op = opTok.text().toLowerCase(Locale.ROOT);
            if (opTok.is("not")) {
                expectWord("in");
                op = "not in";
            } else if (opTok.is("is")) {
                op = "is";
                if (!atEnd() && peek().is("not")) {
                    next();
                    op = "is not";
                }
            } else if (!op.matches("=|!=|>|>=|<|<=|~|!~|in")) {
                throw error("Expecting an operator (=, !=, >, >=, <, <=, ~, in, not in, is) after '" + field.text()
                        + "' but got '" + opTok.text() + "'.");
            }
            List<String> values = new ArrayList<>();
            if ((op.equals("in") || op.equals("not in")) && isFunctionCall()) {
                String function = next().text();
                expect("(");
                if (!atEnd() && !(peek().text().equals(")") && !peek().quoted())) {
                    do {
                        values.add(value());
                    } while (!atEnd() && peek().text().equals(",") && !peek().quoted() && next() != null);
                }
                expect(")");
                return new Clause(field.text(), op, values, function);
            }
            if (op.equals("in") || op.equals("not in")) {
                expect("(");
                do {
                    values.add(value());
                } while (!atEnd() && peek().text().equals(",") && !peek().quoted() && next() != null);
                expect(")");
            } else {
                values.add(value());
            }
            return new Clause(field.text(), op, values);
        }

        /** An unquoted word followed by an opening parenthesis: {@code name(…)}. */
        private boolean isFunctionCall() {
            return pos + 1 < tokens.size() && !peek().quoted() && peek().text().matches("[A-Za-z_][A-Za-z0-9_]*")
                    && tokens.get(pos + 1).text().equals("(") && !tokens.get(pos + 1).quoted();
        }

        private String value() {
            if (atEnd()) {
                throw error("Expecting a value but reached the end of the query.");
            }
            Token t = next();
            if (!t.quoted() && (t.text().equals("(") || t.text().equals(")") || t.text().equals(","))) {
                throw error("Expecting a value but got '" + t.text() + "'.");
            }
            if (!t.quoted() && (t.is("empty") || t.is("null"))) {
                return null;
            }
            return t.text();
        }

        private void expect(String text) {
            if (atEnd() || !peek().text().equals(text) || peek().quoted()) {
                throw error("Expecting '" + text + "' but got " + (atEnd() ? "the end of the query" : "'" + peek().text() + "'") + ".");
            }
            next();
        }

        private void expectWord(String word) {
            if (atEnd() || !peek().is(word)) {
                throw error("Expecting '" + word.toUpperCase(Locale.ROOT) + "' but got "
                        + (atEnd() ? "the end of the query" : "'" + peek().text() + "'") + ".");
            }
            next();
        }

        private QueryException error(String message) {
            return new QueryException("Error in the JQL Query: " + message);
        }

        private boolean atEnd() {
            return pos >= tokens.size();
        }

        private Token peek() {
            return tokens.get(pos);
        }

        private Token next() {
            if (atEnd()) {
                throw error("Unexpected end of the query.");
            }
            return tokens.get(pos++);
        }
    }
}

package org.brewpi.interlocks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.brewpi.api.command.Command;

/**
 * A write a tripped interlock refuses: {@code zone.tag} (any value), {@code zone.tag = v} (that value) or
 * {@code zone.tag != v} (any value but that one, e.g. {@code kettle.mode != off}: every mode that heats).
 *
 * @param op {@code any}, {@code =} or {@code !=}
 */
record Block(String text, TagRef tag, String op, Literal value) {

    private static final Pattern FORM = Pattern.compile("([^\\s=!]+)\\s*(?:(==|=|!=)\\s*(.+))?");

    static Block parse(String raw) {
        Matcher m = FORM.matcher(raw.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("block '" + raw.trim() + "' is not 'zone.tag', 'zone.tag = v' or 'zone.tag != v'");
        }
        TagRef ref = TagRef.parse(m.group(1));
        if (m.group(2) == null) {
            return new Block(ref.toString(), ref, "any", null);
        }
        String op = m.group(2).equals("!=") ? "!=" : "=";
        Literal value = Literal.parse(m.group(3));
        return new Block(ref + " " + op + " " + value, ref, op, value);
    }

    boolean matches(Command command) {
        if (!Command.WRITE.equals(command.op()) || !tag.zone().equals(command.zone()) || !tag.tag().equals(command.tag())) {
            return false;
        }
        return switch (op) {
            case "any" -> true;
            case "=" -> value.matches(command.value());
            default -> !value.matches(command.value());
        };
    }

    @Override
    public String toString() {
        return text;
    }
}

package org.ringchat.app;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows after the bytes a program wrote to it: enough of a VT100 for JLine's
 * output (carriage return, line feed, erase to end of line, cursor moves); other escape sequences
 * (modes, colours) change nothing that is read here. Lines are never wider than the terminal in
 * the tests that use it, so there is no wrapping or scrolling to model.
 */
final class TerminalScreen {

    private final List<StringBuilder> rows = new ArrayList<>(List.of(new StringBuilder()));
    private int row;
    private int col;

    /** The rows the output leaves on the screen, trailing spaces removed. */
    static List<String> of(String output) {
        TerminalScreen screen = new TerminalScreen();
        screen.write(output);
        return screen.rows.stream().map(r -> r.toString().stripTrailing()).toList();
    }

    private void write(String out) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '\u001b') {
                i = escape(out, i);
            } else if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                moveTo(row + 1);
            } else if (c == '\b') {
                col = Math.max(0, col - 1);
            } else if (c >= ' ') {
                put(c);
            }
        }
    }

    /** Acts on the escape sequence at {@code i}; returns the index of its last character. */
    private int escape(String out, int i) {
        if (i + 1 >= out.length() || out.charAt(i + 1) != '[') {
            return Math.min(i + 1, out.length() - 1); // ESC = , ESC > and the like: modes
        }
        int j = i + 2;
        while (j < out.length() && (Character.isDigit(out.charAt(j)) || out.charAt(j) == ';' || out.charAt(j) == '?')) {
            j++;
        }
        if (j >= out.length()) {
            return out.length() - 1;
        }
        String arg = out.substring(i + 2, j);
        int n = arg.isEmpty() || !arg.chars().allMatch(Character::isDigit) ? 1 : Integer.parseInt(arg);
        switch (out.charAt(j)) {
            case 'K' -> {
                StringBuilder r = rows.get(row);
                if (arg.isEmpty() || arg.equals("0")) {
                    r.setLength(Math.min(r.length(), col));
                }
            }
            case 'A' -> moveTo(Math.max(0, row - n));
            case 'B' -> moveTo(row + n);
            case 'C' -> col += n;
            case 'D' -> col = Math.max(0, col - n);
            case 'G' -> col = n - 1;
            default -> { } // modes, colours
        }
        return j;
    }

    private void moveTo(int r) {
        row = r;
        while (rows.size() <= row) {
            rows.add(new StringBuilder());
        }
    }

    private void put(char c) {
        StringBuilder r = rows.get(row);
        while (r.length() < col) {
            r.append(' ');
        }
        if (col < r.length()) {
            r.setCharAt(col, c);
        } else {
            r.append(c);
        }
        col++;
    }
}

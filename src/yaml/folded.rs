//! Folded (`>`) block scalars. kustomize keeps the text of a folded scalar
//! as read while it transforms an object, and the style with it (a strategic
//! merge gives a replacing value the style of the value it replaces). Only
//! when the object is written through go-yaml v3 and read back (to print it,
//! or to pass it through JSON for a JSON 6902 patch) does the style change the
//! text, by the rule below.

/// The value of a folded (`>`) scalar after the round trip kustomize makes
/// through go-yaml v3, which keeps the style. Its folded writer tests the
/// value's first character where it means the next line's: unless the value
/// starts with a blank, it writes an extra line break after every line not
/// led by a blank; otherwise never. Reading that back, a break between two
/// lines not led by blanks folds into a space, so the net effect is an extra
/// break before more-indented lines and at the end of a `>+` value, or, for a
/// value starting with a blank, lines joined by spaces.
pub fn refold(value: &str) -> String {
    // go-yaml writes such values double-quoted instead: no round-trip change.
    let block_allowed =
        !value.ends_with(' ') && !value.contains(" \n") && value.chars().all(is_printable);
    if value.is_empty() || !block_allowed {
        return value.to_string();
    }
    let extra_breaks = !value.starts_with([' ', '\t', '\n']);
    let led_by_blank = |line: &str| line.starts_with([' ', '\t']);
    let mut out = String::with_capacity(value.len() + 8);
    let body = value.trim_end_matches('\n');
    let trailing = value.len() - body.len();
    let content = body.trim_start_matches('\n');
    out.push_str(&body[..body.len() - content.len()]);
    let mut lines = content.split('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        // Breaks between this line and the next content line, as written.
        let mut breaks = 1;
        while lines.peek() == Some(&"") {
            lines.next();
            breaks += 1;
        }
        let written = breaks + usize::from(extra_breaks && !led_by_blank(line));
        match lines.peek() {
            Some(next) if !led_by_blank(line) && !led_by_blank(next) => {
                if written == 1 {
                    out.push(' ');
                } else {
                    out.push_str(&"\n".repeat(written - 1));
                }
            }
            Some(_) => out.push_str(&"\n".repeat(written)),
            None => {
                // Chomping is chosen from the value: strip, clip or keep.
                let kept = match trailing {
                    0 => 0,
                    1 => 1,
                    _ => trailing + usize::from(extra_breaks && !led_by_blank(line)),
                };
                out.push_str(&"\n".repeat(kept));
            }
        }
    }
    out
}

/// Characters go-yaml's emitter may write in a block scalar.
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

#[cfg(test)]
mod tests {
    use super::refold;

    // Values and results as kustomize v5.6.0 reads and prints them.
    #[test]
    fn more_indented_lines_get_an_extra_break_before_them() {
        assert_eq!(
            refold("server {\n  listen 80;\n} end\n"),
            "server {\n\n  listen 80;\n} end\n"
        );
        assert_eq!(refold("x\n  y\n"), "x\n\n  y\n");
        assert_eq!(refold("a b\n"), "a b\n");
    }

    #[test]
    fn values_go_yaml_writes_quoted_do_not_change() {
        for value in ["a \n  b\n", "a\n  b ", ""] {
            assert_eq!(refold(value), value);
        }
    }
}

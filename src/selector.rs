//! Selectors: patch targets ([`TargetSelector`]) and the label and
//! annotation selectors (`a=b,c!=d,e in (f,g),!h`) that patch and
//! replacement targets use.

use crate::kustomization::Selector;
use crate::resource::{ResId, Resource};
use crate::schema::Schema;
use crate::yaml::node::Mapping;
use regex::Regex;

/// A patch target (`target:`): group, version, kind, name and namespace are
/// anchored regular expressions (Go's RE2 dialect), matched against the
/// current and the original id; label and annotation selectors as well.
/// Compiled once.
pub struct TargetSelector {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Option<LabelSelector>,
    annotations: Option<LabelSelector>,
}

fn anchored(pattern: &Option<String>) -> std::result::Result<Option<Regex>, String> {
    match pattern.as_deref() {
        None | Some("") => Ok(None),
        // Anchored before translating, as kustomize compiles it: an
        // unterminated `\Q` or a final `\` swallows the closing `)`.
        Some(p) => Regex::new(&go_regex_to_rust(&format!("^(?:{p})$"))?)
            .map(Some)
            .map_err(|e| e.to_string()),
    }
}

/// The length of the Go repetition `{n}`, `{n,}` or `{n,m}` that `chars`
/// starts with; `None` where `{` is a literal.
fn repetition_len(chars: &[char]) -> std::result::Result<Option<usize>, String> {
    let Some(end) = chars.iter().position(|&c| c == '}') else {
        return Ok(None);
    };
    let body: String = chars[1..end].iter().collect();
    let (min, max) = body.split_once(',').unwrap_or((&body, ""));
    let number = |text: &str| text.chars().all(|d| d.is_ascii_digit());
    if min.is_empty() || !number(min) || !number(max) {
        return Ok(None);
    }
    let too_big = |text: &str| text.parse::<u32>().map_or(!text.is_empty(), |n| n > 1000);
    if too_big(min) || too_big(max) {
        return Err(format!(
            "error parsing regexp: invalid repeat count `{{{body}}}` (at most 1000 in Go's regular expressions)"
        ));
    }
    Ok(Some(end + 1))
}

/// Rewrites a Go (RE2) regular expression into the `regex` crate's syntax
/// with the same meaning: `\Q...\E` quoting, ASCII-only `\d`, `\w`, `\s`
/// and `\b`, a `{` that starts no repetition (`{,2}`) taken literally, any
/// escaped punctuation literal, octal `\0nn`, and in classes a `[`, `&&`,
/// `--` or `~~` that the `regex` crate would read as class operators. What
/// Go rejects (unknown escapes, backreferences, flags other than `imsU`) is
/// an error, and so are stacked repetitions (`a**`) and counts above 1000.
fn go_regex_to_rust(pattern: &str) -> std::result::Result<String, String> {
    const DIGIT: &str = "[0-9]";
    const WORD: &str = "[0-9A-Za-z_]";
    const SPACE: &str = "[\\t\\n\\f\\r ]";
    let invalid = |what: &str| {
        Err(format!(
            "error parsing regexp: {what} in `{pattern}` (Go's regular expression syntax)"
        ))
    };
    let literal = |c: char, out: &mut String| {
        if c.is_alphanumeric() || c == '_' || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\x{{{:X}}}", c as u32));
        }
    };
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    // Index of the character after the `[` (and `^`) opening the current class.
    let mut class_start: Option<usize> = None;
    // Right after a repetition operator (`Lazy`: and its `?`): another one
    // is an error in Go.
    #[derive(PartialEq)]
    enum Repeat {
        None,
        Greedy,
        Lazy,
    }
    let mut repeat = Repeat::None;
    while i < chars.len() {
        let c = chars[i];
        let in_class = class_start.is_some();
        let counted = match c {
            '{' if !in_class => repetition_len(&chars[i..])?,
            _ => None,
        };
        if !in_class {
            let is_operator = matches!(c, '*' | '+' | '?') || counted.is_some();
            repeat = match (is_operator, repeat) {
                (false, _) => Repeat::None,
                (true, Repeat::Greedy) if c == '?' => Repeat::Lazy,
                (true, Repeat::None) => Repeat::Greedy,
                (true, _) => return invalid("invalid nested repetition operator"),
            };
        }
        match c {
            '\\' => {
                let Some(&e) = chars.get(i + 1) else {
                    return invalid("trailing backslash at end of expression");
                };
                i += 2;
                match e {
                    'Q' if !in_class => {
                        let end = (i..chars.len())
                            .find(|&j| chars[j] == '\\' && chars.get(j + 1) == Some(&'E'));
                        for &q in &chars[i..end.unwrap_or(chars.len())] {
                            literal(q, &mut out);
                        }
                        i = end.map_or(chars.len(), |j| j + 2);
                    }
                    'a' | 'f' | 't' | 'n' | 'r' | 'v' | 'x' | 'p' | 'P' => {
                        out.push('\\');
                        out.push(e);
                    }
                    'A' | 'z' if !in_class => {
                        out.push('\\');
                        out.push(e);
                    }
                    'b' | 'B' if !in_class => out.push_str(&format!("(?-u:\\{e})")),
                    'C' if !in_class => out.push_str("(?s:.)"),
                    'd' | 'D' | 'w' | 'W' | 's' | 'S' => {
                        let class = match e.to_ascii_lowercase() {
                            'd' => DIGIT,
                            'w' => WORD,
                            _ => SPACE,
                        };
                        if e.is_ascii_uppercase() {
                            out.push_str(&class.replacen('[', "[^", 1));
                        } else {
                            out.push_str(class);
                        }
                    }
                    '0' => {
                        let digits: String = chars[i..]
                            .iter()
                            .take(2)
                            .take_while(|d| ('0'..='7').contains(d))
                            .collect();
                        i += digits.len();
                        let value = u32::from_str_radix(&format!("0{digits}"), 8).unwrap_or(0);
                        out.push_str(&format!("\\x{{{value:X}}}"));
                    }
                    e if e.is_ascii() && !e.is_ascii_alphanumeric() => literal(e, &mut out),
                    e => return invalid(&format!("invalid escape sequence `\\{e}`")),
                }
                continue;
            }
            '[' if in_class => {
                let rest: String = chars[i..].iter().collect();
                let posix = rest.strip_prefix("[:").and_then(|r| {
                    let end = r.find(":]")?;
                    let name = r[..end].trim_start_matches('^');
                    name.chars()
                        .all(|c| c.is_ascii_lowercase())
                        .then_some(end + 4)
                });
                match posix {
                    Some(len) => {
                        out.extend(&chars[i..i + len]);
                        i += len;
                    }
                    None => {
                        out.push_str("\\[");
                        i += 1;
                    }
                }
                continue;
            }
            '&' | '~' if in_class => literal(c, &mut out),
            '-' if in_class && chars.get(i + 1) == Some(&'-') => {
                out.push_str("-\\x{2D}");
                i += 1;
            }
            ']' if class_start.is_some_and(|start| i > start) => {
                class_start = None;
                out.push(']');
            }
            '[' => {
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                class_start = Some(i + 1);
            }
            '{' if !in_class => match counted {
                Some(len) => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                    continue;
                }
                None => out.push_str("\\{"),
            },
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                let rest: String = chars[i + 2..].iter().collect();
                let named = rest.starts_with("P<") || rest.starts_with('<');
                if !named {
                    let flags: String = rest
                        .chars()
                        .take_while(|f| !matches!(f, ')' | ':'))
                        .collect();
                    if !flags
                        .chars()
                        .all(|f| matches!(f, 'i' | 'm' | 's' | 'U' | '-'))
                    {
                        return invalid(&format!("invalid or unsupported Perl syntax `(?{flags}`"));
                    }
                }
                out.push('(');
            }
            c => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

impl TargetSelector {
    pub fn new(selector: &Selector) -> std::result::Result<Self, String> {
        Ok(TargetSelector {
            group: anchored(&selector.group)?,
            version: anchored(&selector.version)?,
            kind: anchored(&selector.kind)?,
            name: anchored(&selector.name)?,
            namespace: anchored(&selector.namespace)?,
            labels: selector
                .label_selector
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(LabelSelector::parse)
                .transpose()?,
            annotations: selector
                .annotation_selector
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(LabelSelector::parse)
                .transpose()?,
        })
    }

    pub fn matches(&self, resource: &Resource, schema: &Schema) -> bool {
        let ok = |re: &Option<Regex>, text: &str| re.as_ref().is_none_or(|re| re.is_match(text));
        let cur = resource.cur_id(schema);
        let org = resource.org_id(schema);
        let effective = |id: &ResId| {
            if id.namespace.is_empty() {
                "default".to_string()
            } else {
                id.namespace.clone()
            }
        };
        if !(ok(&self.namespace, &effective(&org)) || ok(&self.namespace, &effective(&cur))) {
            return false;
        }
        if !(ok(&self.name, &org.name) || ok(&self.name, &cur.name)) {
            return false;
        }
        let gvk = &cur.gvk;
        if !(ok(&self.group, &gvk.group)
            && ok(&self.version, &gvk.version)
            && ok(&self.kind, &gvk.kind))
        {
            return false;
        }
        let empty = Mapping::default();
        if let Some(labels) = &self.labels
            && !labels.matches(resource.labels().unwrap_or(&empty))
        {
            return false;
        }
        if let Some(annotations) = &self.annotations
            && !annotations.matches(resource.annotations().unwrap_or(&empty))
        {
            return false;
        }
        true
    }
}

/// A Kubernetes label selector (`a=b,c!=d,e in (f,g),!h,i>3`), parsed and
/// validated as `labels.Parse` does: keys must be qualified names, values
/// valid label values.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq)]
struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Identifier(String),
    /// `in` and `notin`: keywords after a key, plain words as values.
    Keyword(&'static str),
    /// `!`, `=`, `==`, `!=`, `(`, `)`, `,`, `<`, `>`.
    Symbol(&'static str),
    /// Special characters that form no symbol.
    Error(String),
    End,
}

impl Token {
    /// The token as the parser's messages quote it.
    fn text(&self) -> &str {
        match self {
            Token::Identifier(text) | Token::Error(text) => text,
            Token::Keyword(text) | Token::Symbol(text) => text,
            Token::End => "",
        }
    }

    /// Where a value is expected, `in` and `notin` are words.
    fn as_value(&self) -> Option<&str> {
        match self {
            Token::Identifier(text) => Some(text),
            Token::Keyword(text) => Some(text),
            _ => None,
        }
    }
}

const SYMBOLS: [&str; 9] = ["!", "=", "==", "!=", "(", ")", ",", "<", ">"];

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '<' | '>')
}

fn lex(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars
            .next_if(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
            .is_some()
        {}
        let Some(&first) = chars.peek() else {
            tokens.push(Token::End);
            return tokens;
        };
        if is_special(first) {
            // The longest run of special characters that is a symbol.
            let mut buffer = String::new();
            let mut symbol = None;
            while let Some(&c) = chars.peek().filter(|c| is_special(**c)) {
                buffer.push(c);
                match SYMBOLS.iter().find(|s| **s == buffer) {
                    Some(found) => symbol = Some(*found),
                    None if symbol.is_some() => break,
                    None => {}
                }
                chars.next();
            }
            tokens.push(symbol.map_or(Token::Error(buffer), Token::Symbol));
        } else {
            let mut word = String::new();
            while let Some(c) =
                chars.next_if(|c| !is_special(*c) && !matches!(c, ' ' | '\t' | '\r' | '\n'))
            {
                word.push(c);
            }
            tokens.push(match word.as_str() {
                "in" => Token::Keyword("in"),
                "notin" => Token::Keyword("notin"),
                _ => Token::Identifier(word),
            });
        }
    }
}

struct Parser {
    tokens: Vec<Token>,
    position: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        self.tokens.get(self.position).unwrap_or(&Token::End)
    }

    fn next(&mut self) -> Token {
        let token = self.peek().clone();
        self.position += 1;
        token
    }

    fn requirement(&mut self) -> std::result::Result<Requirement, String> {
        let mut token = self.next();
        let negated = token == Token::Symbol("!");
        if negated {
            token = self.next();
        }
        let Some(key) = token.as_value().map(str::to_string) else {
            return Err(format!("found '{}', expected: identifier", token.text()));
        };
        validate_key(&key)?;
        // `!key` is complete: an operator after it is an error of the caller.
        if negated || matches!(self.peek(), Token::End | Token::Symbol(",")) {
            let operator = if negated {
                Operator::DoesNotExist
            } else {
                Operator::Exists
            };
            return Ok(Requirement {
                key,
                operator,
                values: Vec::new(),
            });
        }
        let (operator, values) = match self.next() {
            Token::Keyword("in") => (Operator::In, self.value_set()?),
            Token::Keyword("notin") => (Operator::NotIn, self.value_set()?),
            Token::Symbol("=" | "==") => (Operator::In, self.exact_value()?),
            Token::Symbol("!=") => (Operator::NotIn, self.exact_value()?),
            Token::Symbol(">") => (Operator::GreaterThan, self.exact_value()?),
            Token::Symbol("<") => (Operator::LessThan, self.exact_value()?),
            other => {
                return Err(format!(
                    "found '{}', expected: '=', '!=', '==', 'in', notin'",
                    other.text()
                ));
            }
        };
        for value in &values {
            validate_value(&key, value)?;
            if matches!(operator, Operator::GreaterThan | Operator::LessThan)
                && value.parse::<i64>().is_err()
            {
                return Err(format!(
                    "for 'Gt', 'Lt' operators, the value must be an integer, not \"{value}\""
                ));
            }
        }
        Ok(Requirement {
            key,
            operator,
            values,
        })
    }

    /// `(a, b)`; an empty slot is the empty value.
    fn value_set(&mut self) -> std::result::Result<Vec<String>, String> {
        let open = self.next();
        if open != Token::Symbol("(") {
            return Err(format!("found '{}' expected: '('", open.text()));
        }
        match self.peek() {
            Token::Symbol(")") => {
                self.next();
                return Ok(vec![String::new()]);
            }
            Token::Symbol(",") => {}
            token if token.as_value().is_some() => {}
            token => {
                return Err(format!(
                    "found '{}', expected: ',', ')' or identifier",
                    token.text()
                ));
            }
        }
        let mut values = Vec::new();
        loop {
            let token = self.next();
            if let Some(value) = token.as_value() {
                values.push(value.to_string());
                match self.peek() {
                    Token::Symbol(",") => continue,
                    Token::Symbol(")") => break,
                    other => {
                        return Err(format!("found '{}', expected: ',' or ')'", other.text()));
                    }
                }
            } else if token == Token::Symbol(",") {
                if values.is_empty() {
                    values.push(String::new());
                }
                match self.peek() {
                    Token::Symbol(")") => {
                        values.push(String::new());
                        break;
                    }
                    Token::Symbol(",") => {
                        self.next();
                        values.push(String::new());
                    }
                    _ => {}
                }
            } else {
                return Err(format!(
                    "found '{}', expected: ',', or identifier",
                    token.text()
                ));
            }
        }
        let close = self.next();
        if close != Token::Symbol(")") {
            return Err(format!("found '{}', expected: ')'", close.text()));
        }
        values.sort();
        values.dedup();
        Ok(values)
    }

    /// The value after `=`, `!=`, `<` or `>`; none is the empty value.
    fn exact_value(&mut self) -> std::result::Result<Vec<String>, String> {
        if matches!(self.peek(), Token::End | Token::Symbol(",")) {
            return Ok(vec![String::new()]);
        }
        let token = self.next();
        match token.as_value() {
            Some(value) => Ok(vec![value.to_string()]),
            None => Err(format!("found '{}', expected: identifier", token.text())),
        }
    }
}

/// A label value: at most 63 characters, alphanumeric at both ends,
/// `-`, `_` and `.` inside.
fn is_label_name(text: &str) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    text.len() <= 63
        && text
            .chars()
            .all(|c| alnum(c) || matches!(c, '-' | '_' | '.'))
        && text.chars().next().is_some_and(alnum)
        && text.chars().last().is_some_and(alnum)
}

/// A DNS-1123 subdomain: lower-case labels joined by dots, at most 253 characters.
fn is_dns_subdomain(text: &str) -> bool {
    let label = |part: &str| {
        let edge = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        part.chars().all(|c| edge(c) || c == '-')
            && part.chars().next().is_some_and(edge)
            && part.chars().last().is_some_and(edge)
    };
    text.len() <= 253 && text.split('.').all(label)
}

const NAME_RULE: &str = "alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character, at most 63 characters";

fn validate_key(key: &str) -> std::result::Result<(), String> {
    let invalid = |why: String| Err(format!("invalid label key \"{key}\": {why}"));
    let (prefix, name) = match key.split('/').collect::<Vec<_>>().as_slice() {
        [name] => (None, *name),
        [prefix, name] => (Some(*prefix), *name),
        _ => {
            return invalid(format!(
                "a qualified name is a name ({NAME_RULE}) with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ));
        }
    };
    if let Some(prefix) = prefix
        && !is_dns_subdomain(prefix)
    {
        return invalid(
            "the prefix must be a DNS-1123 subdomain (lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character)".into(),
        );
    }
    if !is_label_name(name) {
        return invalid(format!("the name part must consist of {NAME_RULE}"));
    }
    Ok(())
}

fn validate_value(key: &str, value: &str) -> std::result::Result<(), String> {
    if value.is_empty() || is_label_name(value) {
        return Ok(());
    }
    Err(format!(
        "invalid label value: \"{value}\": at key: \"{key}\": a valid label must be an empty string or consist of {NAME_RULE}"
    ))
}

impl LabelSelector {
    pub fn parse(text: &str) -> std::result::Result<LabelSelector, String> {
        let mut parser = Parser {
            tokens: lex(text),
            position: 0,
        };
        let mut requirements = Vec::new();
        loop {
            match parser.peek() {
                Token::End => break,
                token if token.as_value().is_some() || *token == Token::Symbol("!") => {}
                token => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        token.text()
                    ));
                }
            }
            let requirement = parser
                .requirement()
                .map_err(|e| format!("unable to parse requirement: {e}"))?;
            requirements.push(requirement);
            match parser.next() {
                Token::End => break,
                Token::Symbol(",") => {
                    let next = parser.peek();
                    if next.as_value().is_none() && *next != Token::Symbol("!") {
                        return Err(format!(
                            "found '{}', expected: identifier after ','",
                            next.text()
                        ));
                    }
                }
                other => {
                    return Err(format!(
                        "found '{}', expected: ',' or 'end of string'",
                        other.text()
                    ));
                }
            }
        }
        Ok(LabelSelector { requirements })
    }

    pub fn matches(&self, labels: &Mapping) -> bool {
        self.requirements.iter().all(|r| {
            let value = labels
                .get(&r.key)
                .map(|v| v.scalar_text().unwrap_or_default());
            let number = || value.as_deref().and_then(|v| v.parse::<i64>().ok());
            let bound = || r.values.first().and_then(|v| v.parse::<i64>().ok());
            match r.operator {
                Operator::In => value.is_some_and(|v| r.values.contains(&v)),
                Operator::NotIn => value.is_none_or(|v| !r.values.contains(&v)),
                Operator::Exists => value.is_some(),
                Operator::DoesNotExist => value.is_none(),
                Operator::GreaterThan => number().zip(bound()).is_some_and(|(n, b)| n > b),
                Operator::LessThan => number().zip(bound()).is_some_and(|(n, b)| n < b),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::parse_single;

    #[test]
    fn label_selectors() {
        let labels = parse_single("tier: backend\napp: order\n").unwrap();
        let labels = labels.as_map().unwrap();
        let yes = [
            "tier=backend",
            "tier==backend,app",
            "app in (order, cart)",
            "!missing",
            "tier!=frontend",
        ];
        for s in yes {
            assert!(LabelSelector::parse(s).unwrap().matches(labels), "{s}");
        }
        let no = ["tier=frontend", "missing", "app notin (order)"];
        for s in no {
            assert!(!LabelSelector::parse(s).unwrap().matches(labels), "{s}");
        }
    }

    /// Outcomes checked against kustomize v5.6.0 (as patch target names).
    #[test]
    fn go_regex_dialect() {
        let full = |pattern: &str, text: &str| {
            let rust = go_regex_to_rust(pattern).unwrap();
            Regex::new(&format!("^(?:{rust})$")).unwrap().is_match(text)
        };
        assert!(full(r"\Qweb.x\E", "web.x"));
        assert!(!full(r"\Qweb.x\E", "webax"));
        assert!(full("a{2}", "aa"));
        assert!(full("a{2,}b{1,2}", "aaab"));
        assert!(full("x{", "x{"));
        assert!(!full(r"\d", "\u{661}"));
        assert!(full(r"\D", "\u{661}"));
        assert!(!full(r"\w+", "é"));
        assert!(full(r"[\w-]+", "a-b_1"));
        assert!(full(r"[^\d]", "x"));
        assert!(full(r"\<a\>", "<a>"));
        assert!(full(r"[a&&b]+", "a&b"));
        assert!(full(r"[[a]+\]", "[a]"));
        assert!(full("[[:alpha:]]+", "abc"));
        assert!(full("[+--]+", "+-"));
        assert!(full(r"\011", "\t"));
        assert!(full("(?i)WEB", "web"));
        assert!(full("(?P<n>a)(?<m>b)", "ab"));
        assert!(full(r"[]a]+", "]a"));
        assert!(!full("a{,2}", "a"));
        assert!(full("a*?b+?", "aab"));
        for bad in [
            r"\1", r"\e", r"\<\q", "(?x)a", "a\\", "a**", "a*?*", "a{1001}", "a{2}{3}",
        ] {
            assert!(go_regex_to_rust(bad).is_err(), "{bad}");
        }
        let anchored_pattern = |p: &str| anchored(&Some(p.to_string())).map(|_| ());
        assert!(anchored_pattern(r"\Qa(b").is_err());
        assert!(anchored_pattern("a\\").is_err());
        assert!(anchored_pattern(r"\Qa(b\E").is_ok());
    }

    /// Outcomes and messages checked against kustomize v5.6.0.
    #[test]
    fn label_selectors_as_kubernetes_parses_them() {
        let labels = parse_single("a: \"5\"\nb: x\n").unwrap();
        let labels = labels.as_map().unwrap();
        let matching = ["a>4", "a==5", "a=5,b", "a in (5,,6)", "b notin (y), !c"];
        for s in matching {
            assert!(LabelSelector::parse(s).unwrap().matches(labels), "{s}");
        }
        let not_matching = ["a<4", "b>4", "a in ()", "a=", "a != 5", "a notin (5), b"];
        for s in not_matching {
            assert!(!LabelSelector::parse(s).unwrap().matches(labels), "{s}");
        }
        let errors = [
            ("a=5,", "found '', expected: identifier after ','"),
            ("a,,b", "found ',', expected: identifier after ','"),
            ("!a=5", "found '=', expected: ',' or 'end of string'"),
            ("a=5=5", "found '=', expected: ',' or 'end of string'"),
            ("a b", "found 'b', expected: '=', '!=', '==', 'in', notin'"),
            ("a=(5)", "found '(', expected: identifier"),
            ("a in 5", "found '5' expected: '('"),
            ("a in (5,,)", "found ')', expected: ',', or identifier"),
            ("x/y/z=1", "invalid label key \"x/y/z\""),
            ("-a", "invalid label key \"-a\""),
            ("Example.com/a", "invalid label key \"Example.com/a\""),
            ("o=a@b", "invalid label value: \"a@b\": at key: \"o\""),
            ("a>x", "must be an integer"),
        ];
        for (s, message) in errors {
            let err = LabelSelector::parse(s).unwrap_err();
            assert!(err.contains(message), "{s}: {err}");
        }
    }
}

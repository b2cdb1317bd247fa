//! go-yaml v3 scalar resolution: what type a plain scalar (or a tagged one)
//! becomes when kustomize reads a resource.

use super::node::Node;
use base64::Engine;

/// Resolves an untagged plain scalar.
pub fn resolve_plain(text: &str) -> Result<Node, String> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Node::NULL),
        "true" | "True" | "TRUE" => return Ok(Node::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Node::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Err("json: unsupported value: +Inf".into());
        }
        "-.inf" | "-.Inf" | "-.INF" => return Err("json: unsupported value: -Inf".into()),
        ".nan" | ".NaN" | ".NAN" => return Err("json: unsupported value: NaN".into()),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if first == b'.' {
        if is_yaml_float(text)
            && let Ok(f) = text.parse::<f64>()
            && f.is_finite()
        {
            return Ok(Node::Float(f));
        }
        return Ok(Node::str(text.to_string()));
    }
    if !(first.is_ascii_digit() || first == b'-' || first == b'+') {
        return Ok(Node::str(text.to_string()));
    }
    if let Some(ts) = parse_timestamp(text) {
        return Ok(Node::str(ts));
    }
    Ok(resolve_number(text).unwrap_or_else(|| Node::str(text.to_string())))
}

/// Numeric resolution of a text starting with a digit or sign (underscores ignored).
fn resolve_number(text: &str) -> Option<Node> {
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Some(i);
    }
    if is_yaml_float(&plain)
        && let Ok(f) = plain.parse::<f64>()
        && f.is_finite()
    {
        return Some(Node::Float(f));
    }
    None
}

/// Go's `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint`.
pub fn parse_go_int(s: &str) -> Option<Node> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, body) = if let Some(rest) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, rest)
    } else if let Some(rest) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, rest)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Some(Node::Int((magnitude as i128).wrapping_neg() as i64))
        } else {
            None
        }
    } else if magnitude <= i64::MAX as u64 {
        Some(Node::Int(magnitude as i64))
    } else {
        Some(Node::UInt(magnitude))
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Resolves a scalar with an explicit tag (`!!str`, `!!int`, ..., or a custom one).
pub fn resolve_tagged(text: &str, tag: &str) -> Result<Node, String> {
    let short = tag
        .strip_prefix("tag:yaml.org,2002:")
        .map(|t| t.to_string());
    let Some(short) = short else {
        // Custom tags are ignored: the value is a string.
        return Ok(Node::str(text.to_string()));
    };
    let cannot = || format!("cannot decode !!str `{text}` as a !!{short}");
    match short.as_str() {
        "str" => Ok(Node::str(text.to_string())),
        // Only a null's text may carry the tag: `!!null x` is an error.
        "null" => match resolve_plain(text) {
            Ok(Node::Null(_)) => Ok(Node::NULL),
            _ => Err(cannot()),
        },
        "bool" => match resolve_plain(text) {
            Ok(node @ Node::Bool(_)) => Ok(node),
            _ => Err(cannot()),
        },
        "int" => match resolve_number(text) {
            Some(node @ (Node::Int(_) | Node::UInt(_))) => Ok(node),
            _ => Err(cannot()),
        },
        "float" => match resolve_number(text) {
            Some(Node::Int(i)) => Ok(Node::Float(i as f64)),
            Some(Node::UInt(u)) => Ok(Node::Float(u as f64)),
            Some(node @ Node::Float(_)) => Ok(node),
            _ => match resolve_plain(text) {
                Ok(node @ Node::Float(_)) => Ok(node),
                Err(e) => Err(e),
                _ => Err(cannot()),
            },
        },
        "timestamp" => parse_timestamp(text).map(Node::str).ok_or_else(cannot),
        "binary" => {
            let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(cleaned)
                .map_err(|e| format!("!!binary value contains invalid base64 data: {e}"))?;
            Ok(Node::str(go_lossy_utf8(&bytes)))
        }
        // `!!map`, `!!seq` and unknown `!!x` tags on a scalar: kept as text.
        _ => Ok(Node::str(text.to_string())),
    }
}

/// Parses go-yaml v3's timestamp forms and returns Go's RFC 3339 (nano) text.
pub fn parse_timestamp(text: &str) -> Option<String> {
    let b = text.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    let mut p = Cursor { b, i: 5 };
    let year: u32 = text[..4].parse().ok()?;
    let month = p.number(1, 2)?;
    p.expect(b'-')?;
    let day = p.number(1, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if p.done() {
        return Some(format!("{year:04}-{month:02}-{day:02}T00:00:00Z"));
    }
    let with_zone = match p.next()? {
        b'T' | b't' => true,
        b' ' => false,
        _ => return None,
    };
    let hour = p.number(1, 2)?;
    p.expect(b':')?;
    let minute = p.number(1, 2)?;
    p.expect(b':')?;
    let second = p.number(1, 2)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut fraction = String::new();
    if p.peek() == Some(b'.') {
        p.i += 1;
        let start = p.i;
        while p.peek().is_some_and(|c| c.is_ascii_digit()) {
            p.i += 1;
        }
        if p.i == start {
            return None;
        }
        fraction = text[start..p.i.min(start + 9)]
            .trim_end_matches('0')
            .to_string();
    }
    let zone = if with_zone {
        match p.next()? {
            b'Z' => String::from("Z"),
            sign @ (b'+' | b'-') => {
                let hh = p.fixed(2)?;
                p.expect(b':')?;
                let mm = p.fixed(2)?;
                if hh == 0 && mm == 0 {
                    String::from("Z")
                } else {
                    format!("{}{hh:02}:{mm:02}", sign as char)
                }
            }
            _ => return None,
        }
    } else {
        String::from("Z")
    };
    if !p.done() {
        return None;
    }
    let fraction = if fraction.is_empty() {
        fraction
    } else {
        format!(".{fraction}")
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{zone}"
    ))
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i - start < max && self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.i - start < min {
            return None;
        }
        std::str::from_utf8(&self.b[start..self.i])
            .ok()?
            .parse()
            .ok()
    }
    fn fixed(&mut self, n: usize) -> Option<u32> {
        self.number(n, n)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Bytes as Go's string conversion then printing shows them: one U+FFFD per
/// byte of an invalid sequence (Rust's lossy decoding gives one per maximal
/// invalid run, so `e2 b2` would be one replacement instead of two).
fn go_lossy_utf8(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(chunk.invalid().iter().map(|_| char::REPLACEMENT_CHARACTER));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_go_yaml_v3() {
        let cases: &[(&str, Node)] = &[
            ("yes", Node::str("yes")),
            ("True", Node::Bool(true)),
            ("0777", Node::Int(511)),
            ("0o17", Node::Int(15)),
            ("08", Node::Float(8.0)),
            ("0x10", Node::Int(16)),
            ("0b101", Node::Int(5)),
            ("1_000", Node::Int(1000)),
            ("+12", Node::Int(12)),
            ("-0", Node::Int(0)),
            ("1.", Node::Float(1.0)),
            (".5", Node::Float(0.5)),
            ("1e400", Node::str("1e400")),
            ("12345678901234567890", Node::UInt(12345678901234567890)),
            ("2001-12-14", Node::str("2001-12-14T00:00:00Z")),
            (
                "2001-12-14T21:59:43.10Z",
                Node::str("2001-12-14T21:59:43.1Z"),
            ),
            (
                "2001-12-14 21:59:43.10",
                Node::str("2001-12-14T21:59:43.1Z"),
            ),
            (
                "2001-12-14 21:59:43.10 -5",
                Node::str("2001-12-14 21:59:43.10 -5"),
            ),
            ("1999-13-01", Node::str("1999-13-01")),
            ("~", Node::NULL),
            ("1:2", Node::str("1:2")),
        ];
        for (text, want) in cases {
            assert_eq!(&resolve_plain(text).unwrap(), want, "{text}");
        }
        assert!(resolve_plain(".inf").is_err());
    }

    #[test]
    fn resolves_tags() {
        let str_tag = "tag:yaml.org,2002:str";
        assert_eq!(resolve_tagged("123", str_tag).unwrap(), Node::str("123"));
        assert_eq!(
            resolve_tagged("123", "tag:yaml.org,2002:int").unwrap(),
            Node::Int(123)
        );
        assert_eq!(
            resolve_tagged("aGVsbG8=", "tag:yaml.org,2002:binary").unwrap(),
            Node::str("hello")
        );
        // `revision` decodes to ad eb e2 b2 2a 27; kustomize v5.6.0 prints
        // four replacement characters, then `*'` (found by fuzzing).
        assert_eq!(
            resolve_tagged("revision", "tag:yaml.org,2002:binary").unwrap(),
            Node::str("\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}*'")
        );
        assert_eq!(resolve_tagged("bar", "!foo").unwrap(), Node::str("bar"));
        assert!(resolve_tagged("abc", "tag:yaml.org,2002:int").is_err());
    }

    /// As kustomize v5.6.0 reads them.
    #[test]
    fn a_null_tag_takes_only_null_text() {
        let null_tag = "tag:yaml.org,2002:null";
        for text in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(
                resolve_tagged(text, null_tag).unwrap(),
                Node::NULL,
                "{text}"
            );
        }
        for text in ["x", "nULL"] {
            let err = resolve_tagged(text, null_tag).unwrap_err();
            assert_eq!(err, format!("cannot decode !!str `{text}` as a !!null"));
        }
    }
}

//! Reads YAML text into [`Node`] trees the way kustomize v5.6.0 reads resources:
//! documents split at `---` lines, go-yaml v3 scalar resolution, anchors and
//! merge keys expanded, duplicate keys rejected.

use super::node::{Mapping, Node, NullStyle, StrStyle};
use super::resolve::{resolve_plain, resolve_tagged};
use libyaml_safer::{Event, EventData, Parser, ScalarStyle};
use std::collections::HashMap;
use std::fmt;

/// Expanding aliases may not add more than this to one document, counted in
/// bytes (scalar and key text plus [`NODE_COST`] per node), so that both
/// "billion laughs" and a large scalar aliased many times are stopped early.
/// kustomize counts per document too (and runs out of memory on the latter).
const ALIAS_EXPANSION_LIMIT: usize = 64 << 20;

/// The same for a whole stream of many documents.
const STREAM_ALIAS_EXPANSION_LIMIT: usize = 512 << 20;

/// Alias budget cost of one node besides its text: roughly its size in memory.
const NODE_COST: usize = 64;

/// Deepest nesting of collections in a document; go-yaml v3's limit, which
/// kustomize reports (its scanner stops at the same depth).
pub const MAX_DEPTH: usize = 10_000;

/// A syntax or structure error, with a 1-based position when known.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(col)) => write!(f, "line {line} column {col}: {}", self.message),
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl YamlError {
    fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        YamlError {
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}

/// Parses every document of a stream. Empty documents come back as `Node::Null(_)`;
/// callers decide whether to skip them.
pub fn parse_stream(text: &str) -> Result<Vec<Node>, YamlError> {
    parse_stream_in(text, Dialect::Resource)
}

/// How plain scalars resolve: resources are read with go-yaml v3 rules, while
/// kustomization files go through go-yaml v2, where `yes`, `on`, `y`... are booleans.
/// Patches resolve as resources except in `metadata.labels` and `.annotations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Annotation values are kept as their source text.
    Resource,
    Kustomization,
    /// `patchesStrategicMerge` and `patches` with a target, which kustomize
    /// reads as resources: label and annotation values are their source text
    /// (`a: null` is the string "null").
    ResourcePatch,
    /// `patches` without a target: annotation values are their source text,
    /// except that null ones stay null (and delete the annotation).
    Patch,
}

/// Parses the documents of a strategic merge patch (see [`Dialect`]).
pub fn parse_patch_stream(text: &str, dialect: Dialect) -> Result<Vec<Node>, YamlError> {
    parse_stream_in(text, dialect)
}

/// Parses a kustomization file (its first document, YAML 1.1 booleans).
pub fn parse_kustomization(text: &str) -> Result<Node, YamlError> {
    let docs = parse_stream_in(text, Dialect::Kustomization)?;
    Ok(docs
        .into_iter()
        .find(|d| !d.is_null())
        .unwrap_or(Node::NULL))
}

fn parse_stream_in(text: &str, dialect: Dialect) -> Result<Vec<Node>, YamlError> {
    let text = normalize_newlines(text);
    let mut docs = Vec::new();
    let mut stream_budget = STREAM_ALIAS_EXPANSION_LIMIT;
    // go-yaml v2 reads the first document of a kustomization file whole;
    // resource files are split at `---` lines first.
    let chunks = if dialect == Dialect::Kustomization {
        vec![(0, &*text)]
    } else {
        split_documents(&text)?
    };
    for (first_line, chunk) in chunks {
        parse_chunk(chunk, first_line, dialect, &mut stream_budget, &mut docs)?;
    }
    Ok(docs)
}

/// Parses text that must hold a single document (kustomization files, patches).
pub fn parse_single(text: &str) -> Result<Node, YamlError> {
    let docs = parse_stream(text)?;
    Ok(docs
        .into_iter()
        .find(|d| !d.is_null())
        .unwrap_or(Node::NULL))
}

fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\r\n") {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Splits text at lines starting with `---` (not the first line), as kustomize's
/// reader does before parsing. Returns each chunk with its 0-based first line.
fn split_documents(text: &str) -> Result<Vec<(usize, &str)>, YamlError> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut chunk_line = 0;
    let mut offset = 0;
    for (line_no, line) in text.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += line.len();
        if line_no == 0 || !line.starts_with("---") {
            continue;
        }
        let rest = line[3..].trim_end_matches('\n');
        let rest_trimmed = rest.trim_start();
        let is_comment = rest_trimmed.starts_with('#') && rest.len() != rest_trimmed.len();
        if !rest_trimmed.is_empty() && !is_comment {
            return Err(YamlError {
                line: Some(line_no + 1),
                column: None,
                message: format!("invalid document separator: {}", line.trim_end()),
            });
        }
        chunks.push((chunk_line, &text[start..line_start]));
        start = offset;
        chunk_line = line_no + 1;
    }
    chunks.push((chunk_line, &text[start..]));
    Ok(chunks)
}

fn parse_chunk(
    chunk: &str,
    first_line: usize,
    dialect: Dialect,
    stream_budget: &mut usize,
    docs: &mut Vec<Node>,
) -> Result<(), YamlError> {
    let mut parser = Parser::new();
    parser.set_input(chunk.as_bytes());
    let mut builder = Builder {
        parser,
        first_line,
        dialect,
        path: Vec::new(),
        anchors: HashMap::new(),
        budget: ALIAS_EXPANSION_LIMIT,
        stream_budget,
    };
    loop {
        let event = builder.next()?;
        match event.data {
            EventData::StreamStart { .. } | EventData::DocumentEnd { .. } => {}
            EventData::StreamEnd => return Ok(()),
            EventData::DocumentStart {
                version_directive: Some(version),
                ..
            } if (version.major, version.minor) != (1, 1) => {
                // go-yaml knows YAML 1.1 only.
                return Err(builder.error_at(&event, "found incompatible YAML document"));
            }
            EventData::DocumentStart { .. } => {
                builder.anchors.clear();
                builder.budget = ALIAS_EXPANSION_LIMIT;
                let first = builder.next()?;
                if matches!(first.data, EventData::DocumentEnd { .. }) {
                    docs.push(Node::NULL);
                    return Ok(());
                }
                let (node, _) = builder.node(first)?;
                docs.push(node);
                // kustomize decodes one document per chunk: whatever follows
                // a `...` end marker in it is never parsed; resources (go-yaml
                // v3) scan a little past it (see `scan_past_document_end`).
                let end = builder.next()?;
                if dialect == Dialect::Kustomization {
                    return Ok(());
                }
                return scan_past_document_end(chunk, &end, first_line);
            }
            _ => return Err(builder.error_at(&event, "unexpected event")),
        }
    }
}

/// go-yaml v3 keeps two tokens queued after the one it looks at, so before
/// it returns a document it has scanned the token that ended it (`...`, a
/// directive) and two more: a scanner error there fails kustomize too.
fn scan_past_document_end(chunk: &str, end: &Event, first_line: usize) -> Result<(), YamlError> {
    const LOOKAHEAD: usize = 3;
    let (line, column) = (end.start_mark.line as usize, end.start_mark.column as usize);
    let line_start: usize = chunk.split_inclusive('\n').take(line).map(str::len).sum();
    let Some(rest) = chunk.get(line_start..) else {
        return Ok(());
    };
    let offset = rest
        .char_indices()
        .nth(column)
        .map_or(rest.len(), |(i, _)| i);
    let rest = &rest[offset..];
    let Err((scanned, err)) = scan_tokens(rest, LOOKAHEAD) else {
        return Ok(());
    };
    // libyaml reads further ahead than go-yaml where a simple key may
    // start: the error counts only if it comes before the third token.
    let at = err
        .context_mark()
        .or(err.problem_mark())
        .unwrap_or_default();
    let before_error = text_before(rest, at.line as usize, at.column as usize);
    let tokens_before = match scan_tokens(before_error, LOOKAHEAD) {
        Ok(count) | Err((count, _)) => count,
    };
    if scanned.max(tokens_before) >= LOOKAHEAD {
        return Ok(());
    }
    let at = err.problem_mark().unwrap_or_default();
    let at_line = at.line as usize;
    let at_column = at.column as usize + if at_line == 0 { column } else { 0 };
    Err(YamlError::at(
        first_line + line + at_line + 1,
        at_column + 1,
        err.problem(),
    ))
}

/// Scans up to `limit` tokens of `text` (not counting the stream start);
/// returns how many it scanned, and the error that stopped it if any.
fn scan_tokens(text: &str, limit: usize) -> Result<usize, (usize, libyaml_safer::Error)> {
    let mut scanner = libyaml_safer::Scanner::new();
    scanner.set_input(text.as_bytes());
    let mut count = 0;
    // The stream start comes first.
    libyaml_safer::Scanner::scan(&mut scanner).map_err(|e| (0, e))?;
    while count < limit {
        match libyaml_safer::Scanner::scan(&mut scanner) {
            Ok(token) if matches!(token.data, libyaml_safer::TokenData::StreamEnd) => break,
            Ok(_) => count += 1,
            Err(err) => return Err((count, err)),
        }
    }
    Ok(count)
}

/// The part of `text` before a 0-based line and column (in characters).
fn text_before(text: &str, line: usize, column: usize) -> &str {
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let rest = text.get(line_start..).unwrap_or("");
    let offset = rest
        .char_indices()
        .nth(column)
        .map_or(rest.len(), |(i, _)| i);
    &text[..(line_start + offset).min(text.len())]
}

/// What an anchor stands for: the node, what copying it costs, and for a
/// scalar its source (text, style, tag).
struct Anchored {
    node: Node,
    cost: usize,
    scalar: Option<(String, ScalarStyle, Option<String>)>,
}

struct Builder<'a, 'b> {
    parser: Parser<&'a [u8]>,
    first_line: usize,
    dialect: Dialect,
    /// Mapping keys ("[]" for sequence items) from the document root to the
    /// node being built.
    path: Vec<String>,
    /// Anchored nodes, with their costs (for the alias budget) and sources.
    anchors: HashMap<String, Anchored>,
    /// What alias expansion may still add to this document, in bytes.
    budget: usize,
    /// The same for the whole stream.
    stream_budget: &'b mut usize,
}

impl Builder<'_, '_> {
    fn next(&mut self) -> Result<Event, YamlError> {
        self.parser.parse().map_err(|err| {
            let mark = err.problem_mark();
            let mut message = err.problem().to_string();
            if let Some(context) = err.context() {
                message.push(' ');
                message.push_str(context);
                if let Some(m) = err.context_mark() {
                    message.push_str(&format!(
                        " at line {}",
                        m.line as usize + 1 + self.first_line
                    ));
                }
            }
            match mark {
                Some(m) => YamlError::at(
                    m.line as usize + 1 + self.first_line,
                    m.column as usize + 1,
                    message,
                ),
                None => YamlError {
                    line: None,
                    column: None,
                    message,
                },
            }
        })
    }

    /// The metadata map (`labels` or `annotations`) of an object (or of a
    /// List item) that the scalar being built is a value of.
    fn metadata_map(&self) -> Option<&str> {
        let p = &self.path;
        let at = match p.len() {
            3 => 0,
            5 if p[0] == "items" && p[1] == "[]" => 2,
            _ => return None,
        };
        (p[at] == "metadata").then_some(p[at + 1].as_str())
    }

    /// Whether a scalar is kept as its source text (see [`Dialect`]).
    fn keeps_source_text(&self, value: &str, style: ScalarStyle, tag: Option<&str>) -> bool {
        let map = self.metadata_map();
        match self.dialect {
            Dialect::Kustomization => false,
            Dialect::Resource => map == Some("annotations"),
            Dialect::ResourcePatch => matches!(map, Some("annotations" | "labels")),
            Dialect::Patch => {
                let null = style == ScalarStyle::Plain
                    && tag.is_none()
                    && matches!(value, "" | "~" | "null" | "Null" | "NULL");
                map == Some("annotations") && !null
            }
        }
    }

    /// Whether a typed plain scalar is kept as written (see
    /// [`StrStyle::Written`]): its text is not the canonical one.
    fn keeps_written_form(
        &self,
        typed: &Node,
        value: &str,
        style: ScalarStyle,
        untagged: bool,
    ) -> bool {
        self.dialect != Dialect::Kustomization
            && style == ScalarStyle::Plain
            && untagged
            && typed.is_written_differently(value)
    }

    fn error_at(&self, event: &Event, message: impl Into<String>) -> YamlError {
        YamlError::at(
            event.start_mark.line as usize + 1 + self.first_line,
            event.start_mark.column as usize + 1,
            message,
        )
    }

    /// Builds the node that starts with `event`; returns it with its cost
    /// (see [`ALIAS_EXPANSION_LIMIT`]). Iterative: the collections being
    /// built are on an explicit stack, so depth costs no call stack.
    fn node(&mut self, mut event: Event) -> Result<(Node, usize), YamlError> {
        let mut open: Vec<Open> = Vec::new();
        'start: loop {
            // `event` begins a node: a scalar or alias is done at once, a
            // collection is opened.
            let mut done = match event.data {
                EventData::Alias { ref anchor } => {
                    let Some(anchored) = self.anchors.get(anchor) else {
                        return Err(
                            self.error_at(&event, format!("unknown anchor '{anchor}' referenced"))
                        );
                    };
                    let cost = anchored.cost;
                    if cost > self.budget || cost > *self.stream_budget {
                        return Err(self.error_at(&event, "document contains excessive aliasing"));
                    }
                    self.budget -= cost;
                    *self.stream_budget -= cost;
                    // Where values are kept as their source text (annotations),
                    // an alias to a scalar is that scalar's text, as in kustomize.
                    let node = match &anchored.scalar {
                        Some((value, style, tag))
                            if self.keeps_source_text(value, *style, tag.as_deref()) =>
                        {
                            self.scalar_node(&event, value, *style, tag.as_deref())?
                        }
                        _ => anchored.node.clone(),
                    };
                    Some((node, cost))
                }
                EventData::Scalar {
                    ref anchor,
                    ref tag,
                    ref value,
                    style,
                    ..
                } => {
                    let node = self.scalar_node(&event, value, style, tag.as_deref())?;
                    let cost = NODE_COST + value.len();
                    if let Some(anchor) = anchor {
                        let scalar = Some((value.clone(), style, tag.clone()));
                        let anchored = Anchored {
                            node: node.clone(),
                            cost,
                            scalar,
                        };
                        self.anchors.insert(anchor.clone(), anchored);
                    }
                    Some((node, cost))
                }
                EventData::SequenceStart { .. } | EventData::MappingStart { .. }
                    if open.len() >= MAX_DEPTH =>
                {
                    return Err(self.error_at(&event, format!("exceeded max depth of {MAX_DEPTH}")));
                }
                EventData::SequenceStart { ref mut anchor, .. } => {
                    open.push(Open::Seq {
                        items: Vec::new(),
                        count: NODE_COST,
                        anchor: anchor.take(),
                    });
                    None
                }
                EventData::MappingStart { ref mut anchor, .. } => {
                    open.push(Open::Map(OpenMap {
                        map: Mapping::default(),
                        count: NODE_COST,
                        anchor: anchor.take(),
                        key_lines: HashMap::new(),
                        merged: Vec::new(),
                        state: MapState::Between,
                    }));
                    None
                }
                _ => return Err(self.error_at(&event, "unexpected event")),
            };
            loop {
                if let Some((node, cost)) = done.take() {
                    // Hand the finished node to the innermost open collection.
                    match open.last_mut() {
                        None => return Ok((node, cost)),
                        Some(Open::Seq { items, count, .. }) => {
                            self.path.pop();
                            *count += cost;
                            items.push(node);
                        }
                        Some(Open::Map(open_map)) => {
                            open_map.count += cost;
                            match std::mem::replace(&mut open_map.state, MapState::Between) {
                                MapState::Key(info) => {
                                    let key = mapping_key(node, &info)?;
                                    event = self.next()?;
                                    self.path.push(key.clone());
                                    open_map.state = MapState::Value(key, info);
                                    continue 'start;
                                }
                                MapState::Value(key, info) => {
                                    self.path.pop();
                                    self.add_entry(open_map, key, info, node)?;
                                }
                                MapState::Between => {
                                    unreachable!("a node completed between entries")
                                }
                            }
                        }
                    }
                }
                // The next event inside the innermost open collection.
                event = self.next()?;
                match open.last_mut() {
                    Some(Open::Seq { .. }) if matches!(event.data, EventData::SequenceEnd) => {
                        if let Some(Open::Seq {
                            items,
                            count,
                            anchor,
                        }) = open.pop()
                        {
                            done = Some(self.finish(Node::Seq(items), count, anchor));
                        }
                    }
                    Some(Open::Seq { .. }) => {
                        self.path.push(String::from("[]"));
                        continue 'start;
                    }
                    Some(Open::Map(_)) if matches!(event.data, EventData::MappingEnd) => {
                        if let Some(Open::Map(open_map)) = open.pop() {
                            let OpenMap {
                                mut map,
                                count,
                                anchor,
                                merged,
                                ..
                            } = open_map;
                            for mut source in merged {
                                if let Node::Map(ref mut source) = source {
                                    for (k, v) in std::mem::take(source) {
                                        map.entry(k).or_insert(v);
                                    }
                                }
                            }
                            done = Some(self.finish(Node::Map(map), count, anchor));
                        }
                    }
                    Some(Open::Map(open_map)) => {
                        open_map.state = MapState::Key(self.key_info(&event)?);
                        continue 'start;
                    }
                    None => unreachable!("reading inside no collection"),
                }
            }
        }
    }

    /// A collection just closed: remembers it under its anchor, if any.
    fn finish(&mut self, node: Node, cost: usize, anchor: Option<String>) -> (Node, usize) {
        if let Some(anchor) = anchor {
            let anchored = Anchored {
                node: node.clone(),
                cost,
                scalar: None,
            };
            self.anchors.insert(anchor, anchored);
        }
        (node, cost)
    }

    fn scalar_node(
        &self,
        event: &Event,
        value: &str,
        style: ScalarStyle,
        tag: Option<&str>,
    ) -> Result<Node, YamlError> {
        let untagged = matches!(tag, None | Some("!"));
        if self.keeps_source_text(value, style, tag) {
            // kustomize rewrites annotations as strings of their source
            // text; a plain one keeps its type for a later pass through
            // JSON, which canonicalises it.
            return Ok(if style == ScalarStyle::Plain && untagged {
                let typed = match resolve_plain(value) {
                    Ok(Node::Str(ref s, _)) => s != value,
                    Ok(_) => true,
                    Err(_) => false,
                };
                let style = if value.is_empty() && self.dialect == Dialect::Resource {
                    StrStyle::EmptyText
                } else if typed {
                    StrStyle::PlainTyped
                } else {
                    StrStyle::Plain
                };
                Node::Str(value.to_string(), style)
            } else if style == ScalarStyle::Folded
                && matches!(self.dialect, Dialect::Resource | Dialect::Patch)
            {
                // Refolded if a JSON 6902 patch marshals it (see
                // `build::finish`); patches with a target set it anew.
                Node::Str(value.to_string(), StrStyle::Folded)
            } else {
                Node::quoted(value.to_string())
            });
        }
        Ok(
            match scalar(value, style, tag, self.dialect)
                .map_err(|msg| self.error_at(event, msg))?
            {
                // Kustomization fields never reach go-yaml v3's writer.
                Node::Str(ref mut s, _)
                    if style == ScalarStyle::Folded && self.dialect != Dialect::Kustomization =>
                {
                    Node::Str(std::mem::take(s), StrStyle::Folded)
                }
                Node::Str(ref mut s, _) if style != ScalarStyle::Plain && untagged => {
                    Node::quoted(std::mem::take(s))
                }
                Node::Null(_) if value.is_empty() => Node::Null(NullStyle::Empty),
                typed if self.keeps_written_form(&typed, value, style, untagged) => {
                    Node::Str(value.to_string(), StrStyle::Written)
                }
                other => other,
            },
        )
    }

    /// What the event starting a mapping key says about the entry.
    fn key_info(&self, key_event: &Event) -> Result<KeyInfo, YamlError> {
        let line = key_event.start_mark.line as usize + 1 + self.first_line;
        let merge = matches!(&key_event.data,
            EventData::Scalar { value, style, tag, .. }
                if value == "<<" && *style == ScalarStyle::Plain && tag.is_none());
        // A quoted `'<<'` is no merge key, and kustomize drops the entry.
        let quoted_merge =
            matches!(&key_event.data, EventData::Scalar { value, .. } if value == "<<") && !merge;
        // go-yaml reads a plain date key as a time: JSON refuses it in a
        // nested mapping; at the top it becomes the text as written.
        let date = match &key_event.data {
            EventData::Scalar {
                value,
                style: ScalarStyle::Plain,
                tag: None,
                ..
            } if self.dialect != Dialect::Kustomization
                && super::resolve::parse_timestamp(value).is_some() =>
            {
                Some(value.clone())
            }
            _ => None,
        };
        // An empty key (`? ` alone) is the empty string in kustomize's output.
        let empty = matches!(&key_event.data,
            EventData::Scalar { value, style: ScalarStyle::Plain, tag: None, .. } if value.is_empty());
        if date.is_some() && !self.path.is_empty() {
            return Err(YamlError::at(
                line,
                1,
                "mapping key is a date, not a string (json: unsupported type)",
            ));
        }
        Ok(KeyInfo {
            line,
            merge,
            quoted_merge,
            date,
            empty,
        })
    }

    /// Adds a finished entry to an open mapping.
    fn add_entry(
        &self,
        open_map: &mut OpenMap,
        key: String,
        info: KeyInfo,
        mut value: Node,
    ) -> Result<(), YamlError> {
        if info.quoted_merge {
            return Ok(());
        }
        if info.merge {
            // Maps pulled in by `<<` keys: applied at the end, explicit keys win.
            match value {
                Node::Map(_) => open_map.merged.push(value),
                Node::Seq(ref mut items) => open_map.merged.append(items),
                _ => {}
            }
            return Ok(());
        }
        // Kustomization files go through go-yaml v2 and JSON: the last duplicate wins.
        if self.dialect == Dialect::Kustomization && open_map.map.contains_key(&key) {
            open_map.map.insert(key, value);
            return Ok(());
        }
        if let Some(first) = open_map.key_lines.get(&key) {
            return Err(YamlError::at(
                info.line,
                1,
                format!("mapping key \"{key}\" already defined at line {first}"),
            ));
        }
        open_map.key_lines.insert(key.clone(), info.line);
        open_map.map.insert(key, value);
        Ok(())
    }
}

/// A collection being built, with its cost so far and its anchor.
enum Open {
    Seq {
        items: Vec<Node>,
        count: usize,
        anchor: Option<String>,
    },
    Map(OpenMap),
}

struct OpenMap {
    map: Mapping,
    count: usize,
    anchor: Option<String>,
    /// Where each key was first defined (for duplicate key errors).
    key_lines: HashMap<String, usize>,
    /// Maps pulled in by `<<` keys: applied at the end, explicit keys win.
    merged: Vec<Node>,
    state: MapState,
}

enum MapState {
    /// Waiting for the next key or the end.
    Between,
    /// Building a key.
    Key(KeyInfo),
    /// Building the value of this key.
    Value(String, KeyInfo),
}

struct KeyInfo {
    line: usize,
    /// A plain `<<`.
    merge: bool,
    /// A quoted `'<<'`: kustomize drops the entry.
    quoted_merge: bool,
    /// A plain date, kept as written.
    date: Option<String>,
    /// An empty plain key.
    empty: bool,
}

/// The string a finished key node stands for.
fn mapping_key(key_node: Node, info: &KeyInfo) -> Result<String, YamlError> {
    let mut key_node = match &info.date {
        Some(date) => Node::str(date.clone()),
        None => key_node,
    };
    match key_node {
        Node::Str(ref mut s, _) => Ok(std::mem::take(s)),
        // `<<` resolves to the merge tag in go-yaml, not to a string.
        _ if info.merge => Ok(String::from("<<")),
        Node::Null(_) if info.empty => Ok(String::new()),
        other => Err(YamlError::at(
            info.line,
            1,
            format!(
                "mapping key {} is not a string (json: unsupported type)",
                other.scalar_text().unwrap_or_else(|| String::from("null"))
            ),
        )),
    }
}

fn scalar(
    value: &str,
    style: ScalarStyle,
    tag: Option<&str>,
    dialect: Dialect,
) -> Result<Node, String> {
    if dialect == Dialect::Kustomization && tag.is_none() && style == ScalarStyle::Plain {
        match value {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Ok(Node::Bool(true)),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Ok(Node::Bool(false)),
            // go-yaml v2 leaves dates as text when decoding into untyped values.
            _ if super::resolve::parse_timestamp(value).is_some() => {
                return Ok(Node::str(value.to_string()));
            }
            _ => {}
        }
    }
    match tag {
        Some(tag) if tag != "!" => resolve_tagged(value, tag),
        // The non-specific tag `!` changes nothing in go-yaml v3.
        _ if style == ScalarStyle::Plain => resolve_plain(value),
        _ => Ok(Node::str(value.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        parse_single(text).unwrap()
    }

    #[test]
    fn splits_documents_and_skips_empty_ones() {
        let docs = parse_stream("a: 1\n---\n---\n# only a comment\n---\nb: 2\n").unwrap();
        let docs: Vec<&Node> = docs.iter().filter(|d| !d.is_null()).collect();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].get("b"), Some(&Node::Int(2)));
    }

    #[test]
    fn rejects_text_after_separator() {
        let err = parse_stream("a: 1\n--- b\nc: 2\n").unwrap_err();
        assert!(err.message.contains("invalid document separator"), "{err}");
        assert!(parse_stream("a: 1\n--- # comment\nc: 2\n").is_ok());
    }

    #[test]
    fn expands_anchors_and_merge_keys() {
        let node = one("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n");
        let used = node.get("use").unwrap();
        assert_eq!(used.get("x"), Some(&Node::Int(1)));
        assert_eq!(used.get("y"), Some(&Node::Int(3)));
        assert!(used.get("<<").is_none());
    }

    #[test]
    fn rejects_duplicate_keys_with_line() {
        let err = parse_stream("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message
                .contains("mapping key \"a\" already defined at line 1")
        );
    }

    #[test]
    fn reports_syntax_error_line_in_later_document() {
        let err = parse_stream("a: 1\n---\nb: [1, 2\nc: 3\n").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
    }

    #[test]
    fn stops_alias_bombs() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse_stream(&text).unwrap_err();
        assert!(err.message.contains("excessive aliasing"), "{err}");
    }

    #[test]
    fn block_scalars_may_end_the_input_without_a_newline() {
        // Panicked in libyaml-safer 0.3.0 (the vendored copy is patched).
        assert_eq!(one("a: |\n  x").get("a"), Some(&Node::str("x")));
        assert_eq!(one("a: |+\n  x").get("a"), Some(&Node::str("x")));
        assert_eq!(one("a: |-\n  x").get("a"), Some(&Node::str("x")));
        assert_eq!(one("a: >\n  x\n  y").get("a"), Some(&Node::str("x y")));
        assert_eq!(one("a: |").get("a"), Some(&Node::str("")));
        assert_eq!(one("a: |+\n  x\n\n  ").get("a"), Some(&Node::str("x\n\n")));
    }

    #[test]
    fn tags_take_commas_and_brackets_as_go_yaml_does() {
        // go-yaml v3 reads `!!str,` as one (unknown) tag: kustomize prints `[x, y]`.
        let strs = |items: &[&str]| Node::Seq(items.iter().map(|s| Node::str(*s)).collect());
        assert_eq!(one("a: [!!str, x, y]").get("a"), Some(&strs(&["x", "y"])));
        assert_eq!(one("a: [!!str ,x]").get("a"), Some(&strs(&["", "x"])));
        let err = parse_stream("a: [!!str]\n").unwrap_err();
        assert!(
            err.message.contains("did not find expected ',' or ']'"),
            "{err}"
        );
    }

    #[test]
    fn truncated_scalars_are_errors_not_panics() {
        let err = parse_stream("a: ''|\n 0").unwrap_err();
        assert!(err.message.contains("did not find expected key"), "{err}");
        let err = parse_stream("a: \"x\\").unwrap_err();
        assert!(
            err.message.contains("found unknown escape character"),
            "{err}"
        );
        let err = parse_stream("a: \"x").unwrap_err();
        assert!(
            err.message.contains("found unexpected end of stream"),
            "{err}"
        );
    }

    #[test]
    fn the_non_specific_tag_resolves_like_no_tag() {
        assert_eq!(one("a: ! 5").get("a"), Some(&Node::Int(5)));
        assert_eq!(one("a: !").get("a"), Some(&Node::NULL));
        assert_eq!(one("a: ! '5'").get("a"), Some(&Node::str("5")));
    }

    /// Runs `f` on a thread with a stack as large as the command line's.
    fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn nesting_is_limited_to_kustomizes_10000_levels() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let (ok, flow_err, doc_err, block_err) = on_big_stack(move || {
            let block = "- ".repeat(MAX_DEPTH + 1);
            (
                parse_stream(&nested(MAX_DEPTH)).map(|docs| docs.len()),
                parse_stream(&nested(MAX_DEPTH + 1)).unwrap_err(),
                // The scanner counts flow levels only; the document counts all.
                parse_stream(&format!("a: {}", nested(MAX_DEPTH))).unwrap_err(),
                parse_stream(&block).unwrap_err(),
            )
        });
        assert_eq!(ok, Ok(1));
        for err in [flow_err, doc_err, block_err] {
            assert!(err.message.contains("exceeded max depth of 10000"), "{err}");
        }
    }

    #[test]
    fn alias_expansion_is_counted_in_bytes() {
        // 1 MiB aliased 100 times: few nodes, but 100 MiB of text.
        let big = "x".repeat(1 << 20);
        let aliases = vec!["*a"; 100].join(", ");
        let err = parse_stream(&format!("a: &a {big}\nb: [{aliases}]\n")).unwrap_err();
        assert!(err.message.contains("excessive aliasing"), "{err}");
        // 40 aliases per document fit, and each document has its own budget.
        let aliases = vec!["*a"; 40].join(", ");
        let doc = format!("a: &a {big}\nb: [{aliases}]\n");
        let docs = parse_stream(&format!("{doc}---\n{doc}")).unwrap();
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn remembers_how_scalars_were_written() {
        use super::super::node::StrStyle;
        let node = one("a: '1'\nb: x\nc: |\n  x\nd: !!str \"x\"\ne:\nf: ~\ng: !!null ''\nh: 1.0\n");
        let style = |key: &str| match node.get(key) {
            Some(Node::Str(_, style)) => *style,
            other => panic!("{key}: {other:?}"),
        };
        assert_eq!(style("a"), StrStyle::Quoted);
        assert_eq!(style("b"), StrStyle::Plain);
        assert_eq!(style("c"), StrStyle::Quoted);
        // An explicit tag decides the type, not the quotes.
        assert_eq!(style("d"), StrStyle::Plain);
        assert!(node.get("e").unwrap().is_empty_null());
        assert!(!node.get("f").unwrap().is_empty_null());
        assert!(node.get("g").unwrap().is_empty_null());
        // Typed plain scalars whose text is not canonical keep the text.
        assert!(matches!(node.get("h"), Some(Node::Str(t, StrStyle::Written)) if t == "1.0"));
        assert_eq!(node.get("h").unwrap().typed().as_ref(), &Node::Float(1.0));
        assert_eq!(one("h: 1.5\n").get("h"), Some(&Node::Float(1.5)));
        // Folded text is kept as read; kustomization fields never refold.
        let folded = "a: >\n  x\n    y\n";
        assert!(
            matches!(one(folded).get("a"), Some(Node::Str(t, StrStyle::Folded)) if t == "x\n  y\n")
        );
        let kustomization = parse_kustomization(folded).unwrap();
        assert!(matches!(
            kustomization.get("a"),
            Some(Node::Str(_, StrStyle::Quoted))
        ));
        // So do patches.
        let patch =
            &parse_patch_stream("h: 1.0\ni: 1\nj: 2024-01-01\n", Dialect::Patch).unwrap()[0];
        assert!(matches!(patch.get("h"), Some(Node::Str(t, StrStyle::Written)) if t == "1.0"));
        assert_eq!(patch.get("i"), Some(&Node::Int(1)));
        assert!(matches!(
            patch.get("j"),
            Some(Node::Str(_, StrStyle::Written))
        ));
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let node = one("a: '1'\nb: \"true\"\nc: |\n  x\n");
        assert_eq!(node.get("a"), Some(&Node::str("1")));
        assert_eq!(node.get("b"), Some(&Node::str("true")));
        assert_eq!(node.get("c"), Some(&Node::str("x\n")));
    }
}

//! Property tests: emitted YAML reads back and emits the same again; any
//! small mutation of a valid tree builds or fails cleanly; builds on many
//! threads at once give the bytes they give one by one.

use proptest::prelude::*;
use rustomize::yaml::emit::write_document;
use rustomize::yaml::node::{Mapping, Node};
use rustomize::yaml::parse::parse_stream;
use rustomize::{BuildOptions, build};
use std::path::{Path, PathBuf};

/// Strings that stress the emitter: YAML 1.1 words, numbers, indicators,
/// line breaks, leading and trailing spaces, non-ASCII.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::sample::select(vec![
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "true",
            "null",
            "~",
            "0777",
            "1_000",
            "1e3",
            "12:30",
            "2001-12-14",
            ".inf",
            "-",
            "- x",
            ": x",
            "#x",
            "a #b",
            "'",
            "\"",
            "@x",
            "`x",
            "|",
            ">",
            "x\n",
            "\ny",
            " x",
            "x ",
            "a\tb",
            "é",
            "😀",
            "\u{85}",
            "---",
            "...",
            "&a",
            "*a",
            "!x",
            "%x",
            "{}",
            "[]",
            "?",
            "<<",
        ])
        .prop_map(String::from),
        "[ -~\n\t]{0,40}",
        "[a-z]{1,8}( [a-z]{1,8}){0,20}",
    ]
}

fn scalar() -> impl Strategy<Value = Node> {
    prop_oneof![
        Just(Node::NULL),
        any::<bool>().prop_map(Node::Bool),
        any::<i64>().prop_map(Node::Int),
        (-1e12f64..1e12).prop_map(Node::Float),
        tricky_string().prop_map(Node::str),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    scalar().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Node::Seq),
            // A `<<` key is written bare, as kustomize writes it, and reads
            // back as a merge key: not a round trip in kustomize either.
            prop::collection::vec(
                (
                    tricky_string().prop_filter("merge key", |k| k != "<<"),
                    inner
                ),
                0..6
            )
            .prop_map(|entries| Node::Map(entries.into_iter().collect::<Mapping>())),
        ]
    })
}

fn emit(node: &Node) -> Option<String> {
    let mut out = String::new();
    write_document(node, &mut out).ok().map(|()| out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn emitted_yaml_reads_back_and_emits_the_same(doc in node()) {
        let root = Node::Map([(String::from("root"), doc)].into_iter().collect());
        // Some values cannot be written (control characters), as in kustomize.
        if let Some(first) = emit(&root) {
            let again = parse_stream(&first).map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
            prop_assert_eq!(again.len(), 1);
            prop_assert_eq!(emit(&again[0]), Some(first));
        }
    }
}

/// A copy of `overlays/` and `bases/` in a temporary directory.
fn example_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for top in ["bases", "overlays"] {
        for entry in walkdir::WalkDir::new(repo.join(top)) {
            let entry = entry.unwrap();
            let target = dir.path().join(entry.path().strip_prefix(repo).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    dir
}

fn text_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.unwrap().into_path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Small edits a person (or a bad merge) makes.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteRange { at: usize, len: usize },
    Insert { at: usize, text: String },
    DuplicateLine { line: usize },
    SwapLines { line: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippet = prop::sample::select(vec![
        "\t",
        " ",
        "  ",
        "-",
        "- ",
        ":",
        ": ",
        "\n",
        "'",
        "\"",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "!!int ",
        "|",
        ">-",
        "#",
        "---\n",
        "null",
        "~",
        "0",
        "\\",
        "$(X)",
        "../",
        "resources:\n- x\n",
        "kind: List\n",
        "name: ",
        "\u{85}",
        "\u{feff}",
    ])
    .prop_map(String::from);
    prop_oneof![
        (any::<usize>(), 1usize..20).prop_map(|(at, len)| Mutation::DeleteRange { at, len }),
        (any::<usize>(), snippet).prop_map(|(at, text)| Mutation::Insert { at, text }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        any::<usize>().prop_map(|line| Mutation::SwapLines { line }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(text: &str, mutation: &Mutation) -> String {
    let boundary = |at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    match mutation {
        Mutation::DeleteRange { at, len } => {
            let start = boundary(*at);
            let end = boundary((start + len).min(text.len()));
            format!("{}{}", &text[..start], &text[end.max(start)..])
        }
        Mutation::Insert { at, text: snippet } => {
            let at = boundary(*at);
            format!("{}{snippet}{}", &text[..at], &text[at..])
        }
        Mutation::DuplicateLine { line } if !lines.is_empty() => {
            let line = line % lines.len();
            lines.insert(line, lines[line]);
            lines.concat()
        }
        Mutation::SwapLines { line } if lines.len() > 1 => {
            let line = line % (lines.len() - 1);
            lines.swap(line, line + 1);
            lines.concat()
        }
        Mutation::Truncate { at } => text[..boundary(*at)].to_string(),
        _ => text.to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn mutated_trees_build_or_fail_cleanly(
        picks in prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..4),
        overlay in prop::sample::select(vec!["dev", "test", "prod"]),
    ) {
        let dir = example_copy();
        let files = text_files(dir.path());
        for (pick, mutation) in &picks {
            let file = pick.get(&files);
            let text = std::fs::read_to_string(file).unwrap();
            std::fs::write(file, apply(&text, mutation)).unwrap();
        }
        // A panic here fails the test; an error must say something.
        match build(&dir.path().join("overlays").join(overlay), &BuildOptions::default()) {
            Ok(output) => {
                let _ = output.to_yaml();
            }
            Err(error) => prop_assert!(!error.to_string().trim().is_empty()),
        }
    }
}

/// Every tree in the repository that builds: the example overlays and the
/// fixtures with an expected output.
fn buildable_trees() -> Vec<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut trees: Vec<PathBuf> = ["dev", "test", "prod"]
        .iter()
        .map(|name| repo.join("overlays").join(name))
        .collect();
    for entry in walkdir::WalkDir::new(repo.join("tests/fixtures")) {
        let entry = entry.unwrap();
        if entry.file_name() == "expected.yaml" {
            let input = entry.path().parent().unwrap().join("in");
            if input.join("kustomization.yaml").is_file() {
                trees.push(input);
            }
        }
    }
    trees.sort();
    trees
}

fn build_bytes(dir: &Path) -> Result<String, String> {
    build(dir, &BuildOptions::default())
        .and_then(|output| output.to_yaml())
        .map_err(|e| e.to_string())
}

#[test]
fn sixty_four_threads_build_what_one_thread_builds() {
    let trees = buildable_trees();
    assert!(trees.len() >= 10, "{trees:?}");
    let one_by_one: Vec<Result<String, String>> = trees.iter().map(|t| build_bytes(t)).collect();
    let at_once: Vec<(usize, Result<String, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..64)
            .map(|i| {
                let index = i % trees.len();
                let tree = &trees[index];
                std::thread::Builder::new()
                    .stack_size(64 << 20)
                    .spawn_scoped(scope, move || (index, build_bytes(tree)))
                    .unwrap()
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (index, result) in at_once {
        assert_eq!(result, one_by_one[index], "{}", trees[index].display());
    }
}

//! A JSON document as a tree that keeps its members' order and its scalars'
//! text, for rewriting parts of collector/openapi.json: parsed with the
//! engine's [`Reader`], printed with each container on one line when it fits.

use crate::json::{Reader, Token};
use crate::path::Path;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The widest line a container is printed on; a wider one gets a line per item.
const WIDTH: usize = 120;

/// A JSON value; keys and scalars are kept as written (strings still escaped).
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// The members in document order, each key without its quotes.
    Object(Vec<(String, Node)>),
    /// The items.
    Array(Vec<Node>),
    /// A string (with its quotes), number, boolean or `null`, as written.
    Scalar(String),
}

/// Parses one JSON document; the error names the byte where it went wrong.
pub fn parse(text: &str) -> Result<Node, String> {
    let mut reader = Reader::new(text.as_bytes());
    let root = Path::root("document");
    let node = value(&mut reader, text, &root).map_err(|e| e.message())?;
    reader.finish(&root).map_err(|e| e.message())?;
    Ok(node)
}

fn value(reader: &mut Reader, text: &str, path: &Path) -> Result<Node, crate::error::Error> {
    let (start, _) = reader.position();
    let mut first = true;
    match reader.token(path)? {
        Token::Object => {
            let mut members = Vec::new();
            while let Some(key) = reader.next_key(&mut first, path)? {
                let key = String::from_utf8_lossy(key.raw()).into_owned();
                let member = value(reader, text, &path.key(&key))?;
                members.push((key, member));
            }
            Ok(Node::Object(members))
        }
        Token::Array => {
            let mut items = Vec::new();
            while reader.next_item(&mut first, path)? {
                items.push(value(reader, text, &path.index(items.len()))?);
            }
            Ok(Node::Array(items))
        }
        _ => Ok(Node::Scalar(String::from(text[start..reader.position().0].trim()))),
    }
}

/// A JSON pointer's token as the key it names (`~1` is `/`, `~0` is `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl Node {
    /// The member or item a JSON pointer (`/a/b~1c/0`) names, if present.
    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Node> {
        let mut node = self;
        for token in pointer.split('/').skip(1) {
            let token = unescape(token);
            node = match node {
                Node::Object(members) => members.iter_mut().find(|(key, _)| *key == token).map(|(_, v)| v)?,
                Node::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
                Node::Scalar(_) => return None,
            };
        }
        Some(node)
    }

    /// The document's text: two-space indentation, a container on one line
    /// when that line fits in [`WIDTH`] characters, and a final newline.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0, "", "");
        out
    }

    /// The value on one line, with `", "` and `": "` between items.
    fn inline(&self) -> String {
        match self {
            Node::Scalar(text) => text.clone(),
            Node::Array(items) => {
                format!("[{}]", items.iter().map(Node::inline).collect::<Vec<_>>().join(", "))
            }
            Node::Object(members) => {
                let members: Vec<String> =
                    members.iter().map(|(key, v)| format!("\"{key}\": {}", v.inline())).collect();
                format!("{{{}}}", members.join(", "))
            }
        }
    }

    /// Writes the lines of this value, `lead` (its key) before it and `after` (a comma or nothing) after it.
    fn write(&self, out: &mut String, indent: usize, lead: &str, after: &str) {
        let pad = " ".repeat(indent);
        let line = format!("{pad}{lead}{}{after}\n", self.inline());
        let children: Vec<(String, &Node)> = match self {
            Node::Object(members) => members.iter().map(|(key, v)| (format!("\"{key}\": "), v)).collect(),
            Node::Array(items) => items.iter().map(|v| (String::new(), v)).collect(),
            Node::Scalar(_) => Vec::new(),
        };
        if children.is_empty() || line.chars().count() <= WIDTH + 1 {
            out.push_str(&line);
            return;
        }
        let (open, close) = if matches!(self, Node::Object(_)) { ('{', '}') } else { ('[', ']') };
        out.push_str(&format!("{pad}{lead}{open}\n"));
        for (i, (key, child)) in children.iter().enumerate() {
            child.write(out, indent + 2, key, if i + 1 < children.len() { "," } else { "" });
        }
        out.push_str(&format!("{pad}{close}{after}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_prints_back_as_it_was_written() {
        let text = "{\"a\": [1, -2.5e3, \"x\\\"y\"], \"b~/\": {\"c\": null, \"d\": {}}}\n";
        let mut node = parse(text).unwrap();
        assert_eq!(node.pretty(), text);
        *node.pointer_mut("/b~0~1/c").unwrap() = Node::Scalar(String::from("true"));
        assert_eq!(node.pointer_mut("/a/2"), Some(&mut Node::Scalar(String::from("\"x\\\"y\""))));
        assert_eq!(node.pointer_mut("/a/3"), None);
        assert!(node.pretty().contains("{\"c\": true, \"d\": {}}"));
    }

    #[test]
    fn a_long_container_gets_a_line_per_item() {
        let long = format!("\"{}\"", "x".repeat(WIDTH));
        let text = format!("{{\"a\": [{long}, 1]}}");
        assert_eq!(parse(&text).unwrap().pretty(), format!("{{\n  \"a\": [\n    {long},\n    1\n  ]\n}}\n"));
    }

    #[test]
    fn bad_json_is_refused_with_its_place() {
        let error = parse("{\"a\": [1,]}").unwrap_err();
        assert!(error.contains("at byte"), "{error}");
    }
}

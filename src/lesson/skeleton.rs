//! `asyncwork lesson new ID`: a lesson skeleton that validates as written.
//!
//! The skeleton doubles as a cheat sheet: every key is present or shown in a comment, so an
//! instructor can fill it in without opening the authoring guide.

/// The text of a new lesson file, to be written at `path` (named in its first comment, so the
/// command to check it can be copied as it stands).
pub fn skeleton(id: &str, position: u32, path: &str) -> String {
    let title = id.replace(['_', '-'], " ");
    let mut title_chars = title.chars();
    let title = match title_chars.next() {
        Some(first) => first.to_uppercase().chain(title_chars).collect(),
        None => title,
    };
    TEMPLATE
        .replace("{id}", id)
        .replace("{title}", &title)
        .replace("{position}", &position.to_string())
        .replace("{path}", path)
}

const TEMPLATE: &str = r#"# A lesson for asyncwork. The authoring guide: asyncwork lesson guide
# Check this file with: asyncwork lesson validate {path}
format_version = 1
id = "{id}"                    # must equal the file name
title = "{title}"
position = {position}                   # place in the course, unique, from 1
summary = "One line that says what the learner will be able to do."

hints = [
  "A gentle first hint.",
  "A more specific hint that names the API.",
]

[[section]]
heading = "The idea"
body = """
Write the lesson as prose. Blank lines separate paragraphs; single line
breaks are re-flowed to the reader's terminal width.
"""

[section.code]
caption = "The same idea in both languages"
python = '''
async def main():
    await asyncio.sleep(1)
'''
rust = '''
async fn main() {
    tokio::time::sleep(Duration::from_secs(1)).await;
}
'''

# Name the exercise crate that practises this lesson. An exercise that is not
# written yet must say so with planned = true.
# [[exercise]]
# name = "16_{id}"
# planned = true

# Live demos (run with `asyncwork lesson run {id}`) are [[demo]] tables;
# see the authoring guide for every field.
"#;

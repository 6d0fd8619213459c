//! Settings: built-in defaults, then `.milestone.yml` at the repository root, then
//! `git config milestone.*` for one person.
//!
//! One table, [`KEYS`], names every setting with its YAML path, its git config name, its kind
//! and its default; loading, validation, error messages, the commented file that `init` writes
//! and docs/config.md all follow it. This module reads files and git config values it is
//! given; it never opens a repository itself.

use std::fmt::Write as _;

use serde_json::Value;

use crate::document::yaml;

/// The configuration file's name, at the root of the work tree.
pub const FILE: &str = ".milestone.yml";

/// What kind of value a key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A folder inside the work tree, relative to its root.
    Folder,
    /// A string with rules of its own (see `check_text`).
    Text,
    /// A list of words.
    List,
    /// A whole number within bounds.
    Number { min: u64, max: u64 },
    /// One of the given words.
    Choice(&'static [&'static str]),
}

/// One setting.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// Its path in `.milestone.yml`, `section.key`.
    pub yaml: &'static str,
    /// Its name for `git config`.
    pub git: &'static str,
    pub kind: Kind,
    /// The default, as it would be written in the file; empty for none.
    pub default: &'static str,
    /// One line on what it does.
    pub help: &'static str,
}

/// Every setting, in the order the file and the documentation list them.
pub const KEYS: &[Key] = &[
    Key {
        yaml: "plans.folder",
        git: "milestone.plans.folder",
        kind: Kind::Folder,
        default: "docs/milestones",
        help: "where plan documents live, one per milestone: ID.md",
    },
    Key {
        yaml: "plans.implementation",
        git: "milestone.plans.implementation",
        kind: Kind::Text,
        default: "IMPLEMENTATION_PLAN.md",
        help: "the implementation plan (form 002) that `plan` works on, relative to the root",
    },
    Key {
        yaml: "plans.tasks_folder",
        git: "milestone.plans.tasksFolder",
        kind: Kind::Folder,
        default: "",
        help: "where the plan's task files (TASKS-NN.md) live; empty: the plan's own folder",
    },
    Key {
        yaml: "tracking.folder",
        git: "milestone.tracking.folder",
        kind: Kind::Folder,
        default: "docs/milestones/tracking",
        help: "where tracking documents live",
    },
    Key {
        yaml: "tracking.file",
        git: "milestone.tracking.file",
        kind: Kind::Text,
        default: "{id}-tracking.md",
        help: "the tracking document's file name; {id} is the milestone id",
    },
    Key {
        yaml: "tracking.update",
        git: "milestone.tracking.update",
        kind: Kind::Choice(&["stage", "commit", "manual"]),
        default: "stage",
        help: "how the hooks' changes to a tracking document reach history",
    },
    Key {
        yaml: "branch.pattern",
        git: "milestone.branch.pattern",
        kind: Kind::Text,
        default: "feature/{surface}-{id}/{slug}",
        help: "the feature branch's name; {surface}, {id} and {slug} are filled in",
    },
    Key {
        yaml: "branch.pattern_without_surface",
        git: "milestone.branch.patternWithoutSurface",
        kind: Kind::Text,
        default: "feature/{id}/{slug}",
        help: "the branch name when the milestone has no surface",
    },
    Key {
        yaml: "branch.base",
        git: "milestone.branch.base",
        kind: Kind::Text,
        default: "",
        help: "the branch milestones start from; default: the remote's HEAD branch, else main, else master, else the current branch",
    },
    Key {
        yaml: "templates.folder",
        git: "milestone.templates.folder",
        kind: Kind::Folder,
        default: "",
        help: "a folder of the repository's own templates (NAME.md), which add to or replace the built-in ones",
    },
    Key {
        yaml: "templates.tracking",
        git: "milestone.templates.tracking",
        kind: Kind::Text,
        default: "tracking",
        help: "the template `start` writes the tracking document from",
    },
    Key {
        yaml: "templates.plan",
        git: "milestone.templates.plan",
        kind: Kind::Text,
        default: "milestone",
        help: "the template `new` writes the plan document from",
    },
    Key {
        yaml: "commits.types",
        git: "milestone.commits.types",
        kind: Kind::List,
        default: "[feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert]",
        help: "the Conventional Commits types allowed",
    },
    Key {
        yaml: "commits.scopes",
        git: "milestone.commits.scopes",
        kind: Kind::List,
        default: "[]",
        help: "the scopes allowed; empty allows any",
    },
    Key {
        yaml: "commits.header_length",
        git: "milestone.commits.headerLength",
        kind: Kind::Number { min: 20, max: 500 },
        default: "100",
        help: "the longest commit header (first line) allowed",
    },
    Key {
        yaml: "commits.hash_length",
        git: "milestone.commits.hashLength",
        kind: Kind::Number { min: 4, max: 40 },
        default: "7",
        help: "how many hex digits of a hash the documents show",
    },
    Key {
        yaml: "check.sections",
        git: "milestone.check.sections",
        kind: Kind::List,
        default: "[Final Checklist, Phase Validation, Success Criteria]",
        help: "the sections whose checkboxes must all be ticked before a merge (and their subsections)",
    },
    Key {
        yaml: "check.test_command",
        git: "milestone.check.testCommand",
        kind: Kind::Text,
        default: "",
        help: "the test command `check` runs (through `sh -c`) to compare its summary with the document's test status",
    },
    Key {
        yaml: "hooks.mode",
        git: "milestone.hooks.mode",
        kind: Kind::Choice(&["shim", "link"]),
        default: "shim",
        help: "how `hooks install` installs a hook: a shell shim, or a link to the binary (no shell, faster)",
    },
];

/// How the hooks' changes to a tracking document reach history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackingUpdate {
    Stage,
    Commit,
    Manual,
}

/// How `hooks install` puts a hook where no other hook is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HooksMode {
    /// A `#!/bin/sh` shim that runs `git-milestone hook NAME`.
    Shim,
    /// A symbolic link to the git-milestone binary, which runs the hook its name says.
    Link,
}

/// The settings in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub plans_folder: String,
    /// `plans.implementation`: the form-002 plan, relative to the root.
    pub implementation_plan: String,
    /// `plans.tasks_folder`, when set.
    pub tasks_folder: Option<String>,
    pub tracking_folder: String,
    pub tracking_file: String,
    pub tracking_update: TrackingUpdate,
    pub branch_pattern: String,
    pub branch_pattern_without_surface: String,
    pub base: Option<String>,
    pub templates_folder: Option<String>,
    pub tracking_template: String,
    pub plan_template: String,
    pub types: Vec<String>,
    pub scopes: Vec<String>,
    pub header_length: usize,
    pub hash_length: usize,
    pub check_sections: Vec<String>,
    pub hooks_mode: HooksMode,
    /// `check.test_command`, when set.
    pub test_command: Option<String>,
}

/// A setting that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("`{FILE}` is not valid YAML: {message}\n  at {FILE}:{line}")]
    Yaml { line: usize, message: String },
    #[error("`{FILE}` must be a mapping of settings\n  at {FILE}:1")]
    NotAMapping,
    #[error("unknown setting `{key}`\n  at {FILE}:{line}")]
    UnknownKey { key: String, line: usize },
    #[error("bad value for `{key}`: {problem}\n  at {FILE}:{line}")]
    BadValue { key: String, line: usize, problem: String },
    #[error("unknown setting `{key}` in git config")]
    UnknownGitKey { key: String },
    #[error("bad value for `{key}` in git config: {problem}")]
    BadGitValue { key: String, problem: String },
}

impl Error {
    /// Returns how to fix it.
    pub fn hint(&self) -> String {
        match self {
            Error::Yaml { .. } | Error::NotAMapping => {
                format!("`{FILE}` holds sections such as `branch:` with keys under them; see docs/config.md")
            }
            Error::UnknownKey { .. } => format!("the settings are: {}", yaml_names().join(", ")),
            Error::UnknownGitKey { key } => format!(
                "the settings are: {}; remove it with `git config --unset {key}`",
                KEYS.iter().map(|k| k.git).collect::<Vec<_>>().join(", ")
            ),
            Error::BadValue { key, .. } => allowed(find_yaml(key)),
            Error::BadGitValue { key, .. } => {
                format!(
                    "{}; see where it is set with `git config --show-origin {key}`",
                    allowed(find_git(key))
                )
            }
        }
    }
}

fn yaml_names() -> Vec<&'static str> {
    KEYS.iter().map(|k| k.yaml).collect()
}

fn find_yaml(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.yaml == name)
}

fn find_git(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.git.eq_ignore_ascii_case(name))
}

/// Returns what values `key` allows, as a hint.
fn allowed(key: Option<&Key>) -> String {
    let Some(key) = key else { return "see docs/config.md".into() };
    match key.kind {
        Kind::Folder => "give a folder inside the repository, relative to its root, without `..`".into(),
        Kind::List => "give a list of words, e.g. `[feat, fix]` (in git config: `feat,fix`)".into(),
        Kind::Number { min, max } => format!("give a whole number from {min} to {max}"),
        Kind::Choice(words) => format!("allowed values: {}", words.join(", ")),
        Kind::Text => match key.yaml {
            "tracking.file" => "give a file name ending in `.md` that contains `{id}`".into(),
            "plans.implementation" => {
                "give a Markdown file inside the repository, relative to its root, e.g. `IMPLEMENTATION_PLAN.md`".into()
            }
            "branch.pattern" | "branch.pattern_without_surface" => {
                "give a branch name with `{id}`, using only the placeholders {surface}, {id} and {slug}"
                    .into()
            }
            _ => "give a non-empty name".into(),
        },
    }
}

impl Default for Config {
    fn default() -> Self {
        let mut config = Config {
            plans_folder: String::new(),
            implementation_plan: String::new(),
            tasks_folder: None,
            tracking_folder: String::new(),
            tracking_file: String::new(),
            tracking_update: TrackingUpdate::Stage,
            branch_pattern: String::new(),
            branch_pattern_without_surface: String::new(),
            base: None,
            templates_folder: None,
            tracking_template: String::new(),
            plan_template: String::new(),
            types: Vec::new(),
            scopes: Vec::new(),
            header_length: 0,
            hash_length: 0,
            check_sections: Vec::new(),
            hooks_mode: HooksMode::Shim,
            test_command: None,
        };
        for key in KEYS {
            let value = default_value(key);
            // The built-in defaults satisfy their own rules.
            let _ = config.assign(key, &value);
        }
        config
    }
}

fn default_value(key: &Key) -> Value {
    match key.kind {
        Kind::List => {
            let inner = key.default.trim_start_matches('[').trim_end_matches(']');
            Value::Array(
                inner
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.into()))
                    .collect(),
            )
        }
        Kind::Number { .. } => key.default.parse::<u64>().map_or(Value::Null, Value::from),
        _ if key.default.is_empty() => Value::Null,
        _ => Value::String(key.default.into()),
    }
}

impl Config {
    /// Returns the settings from the text of `.milestone.yml` (None when there is no file)
    /// and the `milestone.*` entries of git config, over the defaults.
    ///
    /// # Errors
    ///
    /// Fails on invalid YAML, an unknown key or a bad value, naming the line.
    pub fn load(file: Option<&str>, git: &[(String, String)]) -> Result<Config, Error> {
        let mut config = Config::default();
        if let Some(src) = file {
            config.read_file(src)?;
        }
        for (name, value) in git {
            let key = find_git(name).ok_or_else(|| Error::UnknownGitKey { key: name.clone() })?;
            let value = match key.kind {
                Kind::List => Value::Array(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.into()))
                        .collect(),
                ),
                Kind::Number { .. } => {
                    value.trim().parse::<u64>().map_or(Value::String(value.clone()), Value::from)
                }
                _ => Value::String(value.clone()),
            };
            config
                .assign(key, &value)
                .map_err(|problem| Error::BadGitValue { key: key.git.into(), problem })?;
        }
        Ok(config)
    }

    fn read_file(&mut self, src: &str) -> Result<(), Error> {
        let yaml_error = |e: yaml::YamlError| Error::Yaml { line: e.line, message: e.message };
        let value = yaml::to_json(src).map_err(yaml_error)?;
        let lines = yaml::key_lines(src).map_err(yaml_error)?;
        let line_of = |path: &str| {
            lines.iter().find(|(p, _)| yaml::format_path(p) == path).map_or(1, |(_, line)| *line)
        };
        let sections = match value {
            Value::Null => return Ok(()),
            Value::Object(map) => map,
            _ => return Err(Error::NotAMapping),
        };
        for (section, inner) in &sections {
            let known_section = KEYS.iter().any(|k| k.yaml.split('.').next() == Some(section.as_str()));
            let key = section.clone();
            let inner = match inner {
                Value::Object(inner) if known_section => inner,
                // A section whose keys are all commented out.
                Value::Null if known_section => continue,
                _ if known_section => {
                    let problem = "this is a section: write its keys under it".into();
                    return Err(Error::BadValue { line: line_of(section), problem, key });
                }
                _ => return Err(Error::UnknownKey { line: line_of(section), key }),
            };
            for (name, value) in inner {
                let path = format!("{section}.{name}");
                let key = find_yaml(&path)
                    .ok_or_else(|| Error::UnknownKey { key: path.clone(), line: line_of(&path) })?;
                if value.is_null() {
                    continue;
                }
                self.assign(key, value).map_err(|problem| Error::BadValue {
                    key: path.clone(),
                    line: line_of(&path),
                    problem,
                })?;
            }
        }
        Ok(())
    }

    /// Sets `key` to `value`, or says what is wrong with it.
    fn assign(&mut self, key: &Key, value: &Value) -> Result<(), String> {
        let text = || match value {
            Value::String(s) => Ok(s.trim().to_string()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Null => Ok(String::new()),
            other => Err(format!("expected a single value, found `{other}`")),
        };
        match key.kind {
            Kind::Folder => {
                let folder = text()?;
                check_folder(&folder)?;
                let folder = folder.trim_end_matches('/').to_string();
                match key.yaml {
                    "plans.folder" => self.plans_folder = folder,
                    "plans.tasks_folder" => self.tasks_folder = Some(folder).filter(|f| !f.is_empty()),
                    "tracking.folder" => self.tracking_folder = folder,
                    _ => self.templates_folder = Some(folder).filter(|f| !f.is_empty()),
                }
            }
            Kind::Text => {
                let value = text()?;
                check_text(key.yaml, &value)?;
                match key.yaml {
                    "tracking.file" => self.tracking_file = value,
                    "plans.implementation" => self.implementation_plan = value,
                    "branch.pattern" => self.branch_pattern = value,
                    "branch.pattern_without_surface" => self.branch_pattern_without_surface = value,
                    "branch.base" => self.base = Some(value).filter(|v| !v.is_empty()),
                    "templates.tracking" => self.tracking_template = value,
                    "check.test_command" => self.test_command = Some(value).filter(|v| !v.is_empty()),
                    _ => self.plan_template = value,
                }
            }
            Kind::List => {
                let Value::Array(items) = value else {
                    return Err(format!("expected a list such as `[a, b]`, found `{value}`"));
                };
                let mut words = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) if !s.trim().is_empty() => words.push(s.trim().to_string()),
                        other => return Err(format!("expected words in the list, found `{other}`")),
                    }
                }
                if key.yaml == "commits.types" {
                    if let Some(bad) = words.iter().find(|w| !w.bytes().all(|b| b.is_ascii_lowercase())) {
                        return Err(format!("a commit type is lowercase letters only, not `{bad}`"));
                    }
                    if words.is_empty() {
                        return Err("at least one commit type is needed".into());
                    }
                }
                match key.yaml {
                    "commits.types" => self.types = words,
                    "commits.scopes" => self.scopes = words,
                    _ => self.check_sections = words,
                }
            }
            Kind::Number { min, max } => {
                let n = match value {
                    Value::Number(n) => n.as_u64(),
                    _ => None,
                }
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    format!("expected a whole number from {min} to {max}, found `{}`", json_text(value))
                })?;
                let n = usize::try_from(n).map_err(|_| format!("{n} is too large"))?;
                match key.yaml {
                    "commits.header_length" => self.header_length = n,
                    _ => self.hash_length = n,
                }
            }
            Kind::Choice(words) => {
                let word = text()?;
                let bad = || format!("expected one of {}, found `{word}`", words.join(", "));
                match key.yaml {
                    "hooks.mode" => {
                        self.hooks_mode = match word.as_str() {
                            "shim" => HooksMode::Shim,
                            "link" => HooksMode::Link,
                            _ => return Err(bad()),
                        };
                    }
                    _ => {
                        self.tracking_update = match word.as_str() {
                            "stage" => TrackingUpdate::Stage,
                            "commit" => TrackingUpdate::Commit,
                            "manual" => TrackingUpdate::Manual,
                            _ => return Err(bad()),
                        };
                    }
                }
            }
        }
        Ok(())
    }
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Checks a folder setting: relative, inside the work tree, no `..`.
fn check_folder(folder: &str) -> Result<(), String> {
    if folder.starts_with('/') || folder.starts_with('\\') || folder.contains(':') {
        return Err(format!("`{folder}` is not relative to the repository's root"));
    }
    if folder.split(['/', '\\']).any(|part| part == "..") {
        return Err(format!("`{folder}` leaves the repository"));
    }
    if folder.split('/').any(|part| part == ".git") {
        return Err(format!("`{folder}` is inside `.git`"));
    }
    Ok(())
}

fn check_text(key: &str, value: &str) -> Result<(), String> {
    match key {
        "tracking.file" => {
            if !value.contains("{id}") || !value.ends_with(".md") || value.contains(['/', '\\']) {
                return Err(format!("`{value}` must be a file name ending in `.md` that contains `{{id}}`"));
            }
        }
        "branch.pattern" | "branch.pattern_without_surface" => {
            if !value.contains("{id}") {
                return Err(format!("`{value}` has no `{{id}}`"));
            }
            let mut rest = value;
            while let Some(open) = rest.find('{') {
                let close = rest[open..]
                    .find('}')
                    .map(|c| open + c)
                    .ok_or_else(|| format!("`{value}` has an unclosed `{{`"))?;
                let name = &rest[open + 1..close];
                if !matches!(name, "surface" | "id" | "slug") {
                    return Err(format!(
                        "`{{{name}}}` is not a placeholder (use {{surface}}, {{id}} or {{slug}})"
                    ));
                }
                if key == "branch.pattern_without_surface" && name == "surface" {
                    return Err("the pattern without surface cannot use `{surface}`".into());
                }
                rest = &rest[close + 1..];
            }
        }
        "plans.implementation" => {
            if !value.ends_with(".md") {
                return Err(format!("`{value}` must be a Markdown file ending in `.md`"));
            }
            check_folder(value)?;
        }
        "branch.base" => {}
        _ => {
            if value.is_empty() {
                return Err("a template name cannot be empty".into());
            }
        }
    }
    Ok(())
}

/// Returns the commented `.milestone.yml` that `init` writes: every key, commented out, with
/// its default and what it does.
pub fn commented_file() -> String {
    let mut out = String::from(
        "# git-milestone settings. Every key is optional; the values shown are the defaults.\n\
         # `git config milestone.<section>.<key> VALUE` overrides a key for one person\n\
         # (see docs/config.md for the git config names).\n",
    );
    let mut section = "";
    for key in KEYS {
        let (sec, name) = key.yaml.split_once('.').unwrap_or((key.yaml, ""));
        if sec != section {
            let _ = write!(out, "\n{sec}:\n");
            section = sec;
        }
        let default = if key.default.is_empty() { "" } else { key.default };
        let default = if default.contains('{') && !default.starts_with('[') {
            format!("\"{default}\"")
        } else {
            default.to_string()
        };
        let _ = write!(out, "  # {}\n  # {name}: {default}\n", key.help);
    }
    out
}

/// Returns the milestone.* entries of a git config, as (name, value).
pub fn git_entries(config: &git2::Config) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // Anchored: libgit2 searches the pattern anywhere in the name (`merge.git-milestone.driver`).
    if let Ok(mut entries) = config.entries(Some("^milestone\\..*")) {
        while let Some(Ok(entry)) = entries.next() {
            if let (Ok(name), Ok(value)) = (entry.name(), entry.value()) {
                out.push((name.to_string(), value.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_table() {
        let c = Config::default();
        assert_eq!(c.plans_folder, "docs/milestones");
        assert_eq!(c.tracking_folder, "docs/milestones/tracking");
        assert_eq!(c.tracking_file, "{id}-tracking.md");
        assert_eq!(c.branch_pattern, "feature/{surface}-{id}/{slug}");
        assert_eq!(c.branch_pattern_without_surface, "feature/{id}/{slug}");
        assert_eq!(c.base, None);
        assert_eq!(c.types.len(), 11);
        assert!(c.scopes.is_empty());
        assert_eq!((c.header_length, c.hash_length), (100, 7));
        assert_eq!(c.tracking_update, TrackingUpdate::Stage);
        assert_eq!(c.check_sections, ["Final Checklist", "Phase Validation", "Success Criteria"]);
        assert_eq!(c.hooks_mode, HooksMode::Shim);
    }

    #[test]
    fn hooks_mode_is_read_from_the_file_and_from_git_config() {
        assert_eq!(
            Config::load(Some("hooks:\n  mode: link\n"), &[]).expect("valid").hooks_mode,
            HooksMode::Link
        );
        let git = [("milestone.hooks.mode".to_string(), "shim".to_string())];
        assert_eq!(
            Config::load(Some("hooks:\n  mode: link\n"), &git).expect("valid").hooks_mode,
            HooksMode::Shim
        );
        assert_eq!(
            Config::load(Some("hooks:\n  mode: copy\n"), &[]),
            Err(Error::BadValue {
                key: "hooks.mode".into(),
                line: 2,
                problem: "expected one of shim, link, found `copy`".into(),
            })
        );
    }

    #[test]
    fn the_commented_file_reads_as_the_defaults() {
        let file = commented_file();
        assert_eq!(Config::load(Some(&file), &[]), Ok(Config::default()));
        // Uncommented, every key line still reads back as the default.
        let key_lines: Vec<String> = KEYS
            .iter()
            .filter(|k| !k.default.is_empty())
            .map(|k| {
                let name = k.yaml.split_once('.').map_or(k.yaml, |(_, n)| n);
                let prefix = format!("  # {name}: ");
                file.lines()
                    .find(|l| l.starts_with(&prefix))
                    .unwrap_or_else(|| panic!("{name} is in the file"))
                    .to_string()
            })
            .collect();
        let uncommented: String = file
            .lines()
            .map(|l| if key_lines.iter().any(|k| k == l) { l.replacen("# ", "", 1) } else { l.to_string() })
            .collect::<Vec<_>>()
            .join("\n");
        for line in &key_lines {
            assert!(uncommented.lines().any(|l| l == line.replacen("# ", "", 1)), "{line} is uncommented");
        }
        assert_eq!(Config::load(Some(&uncommented), &[]), Ok(Config::default()), "{uncommented}");
    }

    #[test]
    fn file_values_and_git_config_override_in_that_order() {
        let file = "branch:\n  base: develop  # ours\ncommits:\n  types: [feat, fix]\n  header_length: 72\n";
        let git = [("milestone.commits.headerLength".to_string(), "80".to_string())];
        let c = Config::load(Some(file), &git).expect("valid");
        assert_eq!(c.base.as_deref(), Some("develop"));
        assert_eq!(c.types, ["feat", "fix"]);
        assert_eq!(c.header_length, 80);
        let git = [("milestone.commits.types".to_string(), "feat, chore".to_string())];
        assert_eq!(Config::load(None, &git).expect("valid").types, ["feat", "chore"]);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_their_line() {
        let cases: [(&str, Error); 6] = [
            ("branch:\n  bsae: main\n", Error::UnknownKey { key: "branch.bsae".into(), line: 2 }),
            ("plans:\n  folder: docs\nhookz: x\n", Error::UnknownKey { key: "hookz".into(), line: 3 }),
            (
                "commits:\n  types: [feat]\n  header_length: ten\n",
                Error::BadValue {
                    key: "commits.header_length".into(),
                    line: 3,
                    problem: "expected a whole number from 20 to 500, found `ten`".into(),
                },
            ),
            (
                "tracking:\n  update: always\n",
                Error::BadValue {
                    key: "tracking.update".into(),
                    line: 2,
                    problem: "expected one of stage, commit, manual, found `always`".into(),
                },
            ),
            (
                "plans:\n  folder: ../elsewhere\n",
                Error::BadValue {
                    key: "plans.folder".into(),
                    line: 2,
                    problem: "`../elsewhere` leaves the repository".into(),
                },
            ),
            ("branch: [a\n", Error::Yaml { line: 1, message: String::new() }),
        ];
        for (src, want) in cases {
            let got = Config::load(Some(src), &[]).expect_err(src);
            match (&got, &want) {
                (Error::Yaml { line, .. }, Error::Yaml { line: want_line, .. }) => {
                    assert_eq!(line, want_line, "{src}")
                }
                _ => assert_eq!(got, want, "{src}"),
            }
        }
        let git = [("milestone.branch.bsae".to_string(), "x".to_string())];
        assert_eq!(
            Config::load(None, &git),
            Err(Error::UnknownGitKey { key: "milestone.branch.bsae".into() })
        );
    }

    #[test]
    fn docs_config_md_documents_every_key() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/config.md"))
            .expect("docs/config.md");
        for key in KEYS {
            assert!(
                doc.contains(&format!("| `{}` | `{}` |", key.yaml, key.git)),
                "docs/config.md lacks a row for {}",
                key.yaml
            );
        }
    }

    #[test]
    fn branch_patterns_and_file_names_are_checked() {
        for bad in [
            "branch:\n  pattern: feature/{name}\n",
            "branch:\n  pattern: feature/x\n",
            "tracking:\n  file: notes.txt\n",
        ] {
            assert!(matches!(Config::load(Some(bad), &[]), Err(Error::BadValue { .. })), "{bad}");
        }
    }
}

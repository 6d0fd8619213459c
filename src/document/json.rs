//! The `inspect --json` shape of a document (documented in docs/json.md).

use serde_json::{Map, Value, json};

use super::Document;

impl Document<'_> {
    /// Returns everything the tool reads in the document as one JSON object.
    pub fn summary(&self) -> Value {
        let fields: Map<String, Value> =
            self.fields.iter().map(|f| (f.label.clone(), Value::String(f.value.clone()))).collect();
        let sections: Vec<Value> = self
            .sections
            .iter()
            .map(|s| json!({"heading": self.section_text(s), "level": s.level, "line": s.line, "checkboxes": s.checkboxes}))
            .collect();
        let text = self.text;
        let crlf = text.matches("\r\n").count();
        let lf = text.matches('\n').count() - crlf;
        let line_ending = match (lf, crlf) {
            (0, 0) | (_, 0) => "lf",
            (0, _) => "crlf",
            _ => "mixed",
        };
        json!({
            "kind": self.kind,
            "title": self.title,
            "frontmatter": self.frontmatter.as_ref().map(|f| f.value.clone()),
            "fields": fields,
            "field_lines": self.fields,
            "checkboxes": self.checkboxes(),
            "progress_percent": self.progress_percent(),
            "sections": sections,
            "phases": self.phases,
            "plan_tasks": self.plan_tasks,
            "progress_log": self.progress_log,
            "test_status": self.test_status,
            "percentages": self.percentages,
            "task_counts": self.task_counts,
            "tables": self.tables,
            "yaml_blocks": self.yaml_blocks,
            "warnings": self.warnings,
            "lines": self.lines.count(),
            "line_ending": line_ending,
            "bom": text.starts_with('\u{feff}'),
        })
    }
}

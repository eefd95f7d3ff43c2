//! `--to json`: the same configuration as a JSON object (keys sorted), which Atlantis also
//! reads as a config file (`--config atlantis.json`).

use super::{Model, REDACTED, SecretsMode, Shown};
use crate::value::Value;
use serde_json::{Map, Value as Json};

pub fn render(model: &Model, secrets: SecretsMode) -> String {
    let mut root = Map::new();
    for (entry, shown) in model.shown(secrets) {
        let v = match shown {
            Shown::Value(Value::Str(t)) => Json::from(t.as_str()),
            Shown::Value(Value::Int(i)) => Json::from(*i),
            Shown::Value(Value::Bool(b)) => Json::from(*b),
            Shown::Value(Value::Unknown(_)) => continue,
            Shown::Redacted => Json::from(REDACTED),
        };
        root.insert(entry.flag.name.to_string(), v);
    }
    if !model.webhooks.is_empty() {
        let hooks = model
            .webhooks
            .iter()
            .map(|hook| {
                let mut m = Map::new();
                for (field, text) in &hook.fields {
                    match (text.is_secret(), secrets) {
                        (true, SecretsMode::Omit) => {}
                        (true, SecretsMode::Redact) => {
                            m.insert(field.to_string(), Json::from(REDACTED));
                        }
                        _ => {
                            m.insert(field.to_string(), Json::from(text.as_str()));
                        }
                    }
                }
                Json::Object(m)
            })
            .collect();
        root.insert("webhooks".into(), Json::Array(hooks));
    }
    let mut out = serde_json::to_string_pretty(&Json::Object(root)).expect("serialises");
    out.push('\n');
    out
}

//! Amazon ECS task definitions: `containerDefinitions[]` of a `register-task-definition` input,
//! of `describe-task-definition` output (under `taskDefinition`), or of a CloudFormation
//! `ContainerDefinitions` (capitalised keys). The container that runs Atlantis (its image, or an
//! `ATLANTIS_*` variable) is one configuration: `environment` (plain values), `secrets` (SSM or
//! Secrets Manager: set at runtime, value unknown), `environmentFiles` (S3: may set anything),
//! `entryPoint` + `command` (the command line).
//!
//! The same reading serves Terraform's `container_definitions` and terraform-aws-atlantis's
//! `atlantis = {...}` ([`crate::input::terraform`]): both are a values tree ([`Val`]).

use super::argv::{self, Word};
use super::helm_values::{VNode, Val, from_yaml};
use super::kind::{Kind, Probe, ReadInput, Unit};
use crate::config::{
    Channel, DeployedImage, FormIssue, ImageRef, Location, OpaqueSource, Origin, RawValue, Setting,
    Spelling, Unknown, match_flag,
};
use crate::flags;
use crate::secret::Text;
use crate::source::{SourceId, Span};

pub static KIND: Kind = Kind {
    name: "ecs",
    what: "an Amazon ECS task definition",
    detect,
    holds_atlantis,
    read: Some(read),
    unread: "",
};

fn detect(probe: &Probe) -> bool {
    probe
        .first_keys()
        .iter()
        .any(|k| k == "containerDefinitions" || k == "ContainerDefinitions")
        || (probe.first_keys().iter().any(|k| k == "taskDefinition")
            && probe.text.contains("containerDefinitions"))
}

fn holds_atlantis(probe: &Probe) -> bool {
    probe.text.contains("atlantis") || probe.text.contains("ATLANTIS_")
}

/// A key of an ECS object, in the API's spelling or CloudFormation's (`Environment`).
pub fn field<'a>(v: &'a Val, key: &str) -> Option<&'a Val> {
    v.get(key).or_else(|| {
        let mut cap = key.to_string();
        if let Some(first) = cap.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        v.get(&cap)
    })
}

fn text(v: Option<&Val>) -> Option<&str> {
    match v.map(|v| &v.node) {
        Some(VNode::Scalar { text, .. }) => Some(text),
        _ => None,
    }
}

fn items(v: Option<&Val>) -> &[Val] {
    match v.map(|v| &v.node) {
        Some(VNode::Seq(items)) => items,
        _ => &[],
    }
}

/// The span of a scalar's text as written (without quotes when it stands there verbatim).
fn content(v: &Val) -> Span {
    match &v.node {
        VNode::Scalar {
            text,
            exact_at: Some(at),
            ..
        } => Span::new(*at, at + text.len()),
        _ => v.span,
    }
}

/// True when a container definition runs Atlantis.
pub fn runs_atlantis(c: &Val) -> bool {
    text(field(c, "image")).is_some_and(|i| {
        let repo = i.split('@').next().unwrap_or(i);
        repo.rsplit('/').next().unwrap_or(repo).contains("atlantis")
    }) || items(field(c, "environment"))
        .iter()
        .any(|e| text(field(e, "name")).is_some_and(|n| n.starts_with("ATLANTIS_")))
        || items(field(c, "command"))
            .iter()
            .any(|w| text(Some(w)) == Some("server"))
}

/// Env entries a deployment tool adds before the user's (terraform-aws-atlantis's `ATLANTIS_PORT`).
pub struct Injected {
    pub name: &'static str,
    pub value: RawValue,
    /// Where the module is called (the key the user would change), and what to say.
    pub at: Location,
    pub note: String,
}

/// Reads one container definition (a values tree) into `unit`: `environment` then `secrets`
/// (a name in both is `ecs-env-and-secret`), `environmentFiles`, the command line.
pub fn read_container(input: &mut ReadInput, c: &Val, unit: &mut Unit, injected: &[Injected]) {
    let mut env_names: Vec<(String, Location)> = Vec::new();
    // A list Terraform computes (`environment = local.env`, `[for ...]`), or an element of one
    // (`concat(local.common, [...])`): it may set any variable.
    for key in [
        "environment",
        "secrets",
        "environmentFiles",
        "entryPoint",
        "command",
    ] {
        let Some(list) = field(c, key) else { continue };
        let computed: Vec<(&Val, &str)> = match &list.node {
            VNode::Computed(what) => vec![(list, what.as_str())],
            VNode::Seq(items) => items
                .iter()
                .filter_map(|i| match &i.node {
                    VNode::Computed(what) => Some((i, what.as_str())),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for (v, what) in computed {
            unit.opaque.push(OpaqueSource {
                location: Location::Source {
                    source: v.src,
                    spelling: Spelling::FormKey { path: key.into() },
                    span: v.span,
                },
                what: format!("`{key}` entries from {what}"),
                prefix: String::new(),
            });
        }
    }
    for inj in injected {
        let Location::Source { source, span, .. } = &inj.at else {
            continue;
        };
        unit.settings.push(Setting {
            matched: match_flag(flags::lookup_env(inj.name)),
            key: inj.name.to_string(),
            value: inj.value.clone(),
            origin: Origin {
                source: *source,
                channel: Channel::Env,
                spelling: Spelling::FormKey {
                    path: inj.name.to_string(),
                },
                key_span: *span,
                value_span: *span,
            },
            merged: false,
        });
        unit.provided.push((
            inj.at.clone(),
            flags::lookup_env(inj.name).map_or(String::new(), |f| f.name.to_string()),
            inj.note.clone(),
        ));
    }
    for e in items(field(c, "environment")) {
        let Some(name_v) = field(e, "name") else {
            continue;
        };
        let Some((raw_name, name)) = shown_name(input, name_v) else {
            continue;
        };
        let value_v = field(e, "value");
        let value = match value_v.map(|v| &v.node) {
            Some(VNode::Computed(what)) => {
                RawValue::Unknown(Unknown::Computed { what: what.clone() })
            }
            Some(VNode::Scalar { text, .. }) => {
                let secret = super::mask::name_is_secret(&name);
                if secret {
                    if let Some(v) = value_v {
                        input.sources.get_mut(v.src).add_secret(content(v));
                    }
                }
                RawValue::Text(Text::new(text.clone(), secret))
            }
            _ => RawValue::Null,
        };
        let location = env_setting(unit, name_v, &name, value, value_v);
        if let Some((_, first)) = injected
            .iter()
            .find(|i| i.name == name)
            .map(|i| (i.name, i.at.clone()))
        {
            unit.form_issues.push(
                FormIssue::new(
                    "terraform-duplicate-env",
                    location.clone(),
                    format!(
                        "the module already sets `{name}` itself: this entry makes a second one (ECS keeps the last; Terraform shows a change on every plan)"
                    ),
                )
                .label("second definition")
                .related(first, "the module's own entry")
                .help(match name.as_str() {
                    "ATLANTIS_PORT" => "set `atlantis.port` instead",
                    "ATLANTIS_ATLANTIS_URL" => "set `atlantis.fqdn` (or the module's route53 settings) instead",
                    _ => "remove this entry",
                }),
            );
        }
        env_names.push((raw_name, location));
    }
    for s in items(field(c, "secrets")) {
        let Some(name_v) = field(s, "name") else {
            continue;
        };
        let Some((raw_name, name)) = shown_name(input, name_v) else {
            continue;
        };
        let from = field(s, "valueFrom");
        let what = match from.map(|v| &v.node) {
            Some(VNode::Scalar { text, .. }) => format!("the ECS secret `{text}`"),
            Some(VNode::Computed(what)) => format!("the ECS secret from {what}"),
            _ => "an ECS secret".to_string(),
        };
        let location = env_setting(
            unit,
            name_v,
            &name,
            RawValue::Unknown(Unknown::Computed { what }),
            None,
        );
        if let Some((_, first)) = env_names.iter().find(|(n, _)| *n == raw_name) {
            unit.form_issues.push(
                FormIssue::new(
                    "ecs-env-and-secret",
                    location,
                    format!(
                        "`{name}` is in both `environment` and `secrets`: ECS refuses the task definition (\"The secret name must be unique and not shared with any new or existing environment variables\")"
                    ),
                )
                .label("also in environment")
                .related(first.clone(), "the environment entry")
                .help("keep one: the secret for credentials, the environment entry for the rest"),
            );
        }
    }
    for f in items(field(c, "environmentFiles")) {
        let what = text(field(f, "value"))
            .unwrap_or("an S3 object")
            .to_string();
        unit.opaque.push(OpaqueSource {
            location: Location::Source {
                source: f.src,
                spelling: Spelling::FormKey {
                    path: "environmentFiles".into(),
                },
                span: f.span,
            },
            what: format!("the environment file `{what}`"),
            prefix: String::new(),
        });
    }
    if let Some(image) = container_image(c) {
        unit.image = Some(image);
    }
    // The command line: entryPoint + command; the image's entrypoint adds `atlantis`.
    let mut words = Vec::new();
    for w in items(field(c, "entryPoint"))
        .iter()
        .chain(items(field(c, "command")))
    {
        match &w.node {
            VNode::Scalar { text, exact_at, .. } => words.push(Word {
                text: text.clone(),
                span: w.span,
                exact_at: *exact_at,
            }),
            _ => words.push(Word {
                text: String::new(),
                span: w.span,
                exact_at: None,
            }),
        }
    }
    if !words.is_empty() {
        let src = field(c, "command").map_or(c.src, |v| v.src);
        let start = words
            .iter()
            .position(|w| w.text == "server")
            .map_or(0, |i| i + 1);
        let (settings, issues, secrets) = argv::read_words(src, &words[start..]);
        for s in secrets {
            input.sources.get_mut(src).add_secret(s);
        }
        unit.settings.extend(settings);
        unit.argv_issues.extend(issues);
    }
}

/// The container's `image` (`Image` in CloudFormation): written, or computed by Terraform.
pub fn container_image(c: &Val) -> Option<DeployedImage> {
    let v = field(c, "image")?;
    let location = Location::Source {
        source: v.src,
        spelling: Spelling::FormKey {
            path: "image".into(),
        },
        span: content(v),
    };
    match &v.node {
        VNode::Scalar { text, .. } if !text.is_empty() => {
            Some(DeployedImage::written(text.clone(), location))
        }
        VNode::Computed(what) => Some(DeployedImage {
            image: ImageRef::Computed { what: what.clone() },
            location,
        }),
        _ => None,
    }
}

/// The variable name a `name` field holds, as written (to compare) and as it may be shown: a
/// value glued to it (`ATLANTIS_GH_TOKEN=…`) is masked in the source and never quoted.
fn shown_name(input: &mut ReadInput, name_v: &Val) -> Option<(String, String)> {
    let name = text(Some(name_v))?;
    let source = input.sources.get_mut(name_v.src);
    let (shown, glued) = super::mask::hide_glued(&source.text, content(name_v), name);
    if let Some(g) = glued {
        source.add_secret(g);
    }
    Some((name.to_string(), shown))
}

fn env_setting(
    unit: &mut Unit,
    name_v: &Val,
    name: &str,
    value: RawValue,
    value_v: Option<&Val>,
) -> Location {
    let key_span = content(name_v);
    let value_span = value_v.map_or(key_span, content);
    let location = Location::Source {
        source: name_v.src,
        spelling: Spelling::EnvVar {
            name: name.to_string(),
        },
        span: key_span,
    };
    if !super::env_name_concerns_atlantis(name) {
        // `TF_IN_AUTOMATION`, `AWS_REGION`: for Terraform and the providers, not for Atlantis.
        return location;
    }
    unit.settings.push(Setting {
        matched: match_flag(flags::lookup_env(name)),
        key: name.to_string(),
        value,
        origin: Origin {
            source: name_v.src,
            channel: Channel::Env,
            spelling: Spelling::EnvVar {
                name: name.to_string(),
            },
            key_span,
            value_span,
        },
        merged: false,
    });
    location
}

/// The container definitions of a task definition tree (any of its shapes).
pub fn containers(root: &Val) -> &[Val] {
    if let VNode::Seq(items) = &root.node {
        return items;
    }
    let root = root.get("taskDefinition").unwrap_or(root);
    items(field(root, "containerDefinitions"))
}

/// Masks every value under a secret-looking key of the task definition.
fn mask(v: &Val, input: &mut ReadInput) {
    match &v.node {
        VNode::Map(kids) => kids.iter().for_each(|(_, k)| mask(k, input)),
        VNode::Seq(items) => {
            for it in items {
                let secret = text(field(it, "name")).is_some_and(super::mask::name_is_secret);
                if secret {
                    if let Some(val) = field(it, "value") {
                        input.sources.get_mut(val.src).add_secret(content(val));
                    }
                }
                mask(it, input);
            }
        }
        _ => {}
    }
}

/// Reads the Atlantis containers of a task definition tree.
pub fn read_tree(
    input: &mut ReadInput,
    root: &Val,
    part: &str,
    injected: &[Injected],
) -> Vec<Unit> {
    mask(root, input);
    let mut units = Vec::new();
    for c in containers(root) {
        if !runs_atlantis(c) {
            continue;
        }
        let name = text(field(c, "name")).unwrap_or("").to_string();
        let mut unit = Unit {
            part: Some(format!("{part}/{name}")),
            anchor: field(c, "name").map(|n| Location::Source {
                source: n.src,
                spelling: Spelling::FormKey {
                    path: "containerDefinitions[].name".into(),
                },
                span: content(n),
            }),
            ..Unit::default()
        };
        read_container(input, c, &mut unit, injected);
        units.push(unit);
    }
    units
}

fn read(input: &mut ReadInput) -> Result<Vec<Unit>, String> {
    if let Some(err) = input.invalid_utf8.take() {
        return Err(super::not_utf8(&err));
    }
    let id: SourceId = input.id;
    let source = input.sources.get_mut(id);
    for span in super::mask::line_spans(&source.text, false) {
        source.add_secret(span);
    }
    let docs = super::yaml::parse_stream(&source.text)
        .map_err(|e| format!("it is not valid JSON or YAML ({})", e.message))?;
    let text = source.text.clone();
    let Some(root) = docs.first().and_then(|d| from_yaml(id, &text, d)) else {
        return Err("it is empty".into());
    };
    let units = read_tree(input, &root, "ecs", &[]);
    if units.is_empty() {
        return Err(
            "none of its container definitions runs Atlantis (an atlantis image, or ATLANTIS_* variables)"
                .into(),
        );
    }
    Ok(units)
}

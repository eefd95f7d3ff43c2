//! Terraform (`*.tf`), parsed with `hcl-edit` (byte spans kept): the places where Atlantis
//! deployments keep their settings.
//!
//! - `module` calls of terraform-aws-atlantis: v4/v5's `atlantis = { environment, secrets,
//!   command, port, fqdn }` (read as an ECS container definition, after the two variables the
//!   module adds itself: `ATLANTIS_PORT`, `ATLANTIS_ATLANTIS_URL`), and v2/v3's `atlantis_*`
//!   variables with `custom_environment_variables` / `custom_environment_secrets`.
//! - `helm_release` of the `atlantis` chart: `values = [file(...), yamlencode({...})]` then
//!   `set` / `set_sensitive`, merged as Helm merges them and handed to the Helm reader.
//! - `aws_ecs_task_definition`: `container_definitions = jsonencode([...])` or `file("x.json")`.
//!
//! What Terraform computes (variables, references, function calls, templates) is "set at
//! runtime, value unknown" (`Unknown::Computed`), never guessed; `join(",", [literals])` is
//! evaluated.

use super::ecs::{self, Injected};
use super::helm_values::{self, Ty, VNode, Val};
use super::kind::{Kind, Probe, ReadInput, Unit};
use crate::config::{
    Channel, DeployedImage, FormIssue, ImageRef, Location, OpaqueSource, Origin, RawValue, Setting,
    Spelling, Unknown, match_flag,
};
use crate::flags;
use crate::secret::Text;
use crate::source::{SourceId, SourceKind, SourceText, Span};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body};

pub static KIND: Kind = Kind {
    name: "terraform",
    what: "a Terraform file",
    detect,
    holds_atlantis,
    read: Some(read),
    unread: "",
};

fn detect(probe: &Probe) -> bool {
    probe.base_name().ends_with(".tf")
}

/// Terraform's JSON syntax (`*.tf.json`, as CDKTF and generators write it): recognised, so that
/// it is never linted as a server config (a flood of unknown keys), but not read: its strings
/// are templates (`"${var.x}"`) and its blocks nest differently, a second reader's work.
pub static JSON_KIND: Kind = Kind {
    name: "terraform-json",
    what: "a Terraform file in JSON syntax",
    detect: detect_json,
    holds_atlantis,
    read: None,
    unread: "atlantis-lint does not read Terraform's JSON syntax (`*.tf.json`) yet; lint the same module call, helm_release or task definition written in `.tf` syntax, or the values file / task definition JSON it hands over",
};

/// Values for Terraform variables (`*.tfvars`, `*.tfvars.json`): recognised, not read. A
/// variable's value at apply time depends on every `-var`, `-var-file`, `*.auto.tfvars` and
/// `TF_VAR_*` of that run, which the linter does not see: `var.*` stays "set at runtime".
pub static VARS_KIND: Kind = Kind {
    name: "terraform-vars",
    what: "a Terraform variable definitions file",
    detect: detect_vars,
    holds_atlantis: super::kind::never,
    read: None,
    unread: "it holds values for Terraform variables, not an Atlantis configuration; lint the `.tf` file that uses them (each `var.*` there is set at runtime, value unknown: the value at apply time also depends on -var, -var-file, *.auto.tfvars and TF_VAR_*)",
};

fn detect_vars(probe: &Probe) -> bool {
    let name = probe.base_name();
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

fn detect_json(probe: &Probe) -> bool {
    probe.base_name().ends_with(".tf.json")
}

/// A module call of terraform-aws-atlantis, a `helm_release` of the chart, or an ECS task
/// definition with Atlantis variables.
fn holds_atlantis(probe: &Probe) -> bool {
    probe.text.contains("terraform-aws-modules/atlantis")
        || probe.text.contains("terraform-aws-atlantis")
        || (probe.text.contains("helm_release") && probe.text.contains("atlantis"))
        || (probe.text.contains("aws_ecs_task_definition") && probe.text.contains("ATLANTIS_"))
}

fn span_of(e: &impl hcl_edit::Span) -> Span {
    e.span()
        .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end))
}

/// What a computed expression is, for messages: never the literal text inside it (it may
/// hold a piece of a secret), only references and function names.
fn describe(e: &Expression, text: &str) -> String {
    let slice = |e: &Expression| {
        let s = span_of(e);
        text.get(s.start..s.end).unwrap_or("").to_string()
    };
    match e {
        Expression::Variable(_) | Expression::Traversal(_) => {
            let s = slice(e);
            if s.contains(['"', '\n']) || s.len() > 80 {
                "a Terraform reference".into()
            } else {
                format!("the Terraform value `{s}`")
            }
        }
        Expression::FuncCall(f) => format!("the result of `{}(...)`", f.name.name.as_str()),
        Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            "a Terraform string template".into()
        }
        Expression::Conditional(_) => "a Terraform conditional".into(),
        Expression::ForExpr(_) => "a Terraform `for` expression".into(),
        _ => "a Terraform expression".into(),
    }
}

/// The text with every byte outside `keep` blanked (newlines kept): a YAML document embedded
/// in a `.tf` file parses with spans that are offsets in the `.tf` file itself.
fn only(text: &str, keep: Span) -> String {
    let blank = |s: &str| -> String {
        s.bytes()
            .map(|b| if b == b'\n' { '\n' } else { ' ' })
            .collect()
    };
    let end = keep.end.min(text.len());
    let start = keep.start.min(end);
    let mut out = blank(&text[..start]);
    out.push_str(&text[start..end]);
    out.push_str(&blank(&text[end..]));
    out
}

/// An HCL expression as a values tree.
fn to_val(e: &Expression, key_span: Span, src: SourceId, text: &str, depth: usize) -> Val {
    let span = span_of(e);
    let scalar = |t: String, ty: Ty, exact_at: Option<usize>| VNode::Scalar {
        text: t,
        ty,
        exact_at,
        block: None,
        quoted: ty == Ty::Str,
    };
    let node = match e {
        Expression::Null(_) => scalar(String::new(), Ty::Null, None),
        Expression::Bool(b) => scalar(b.value().to_string(), Ty::Bool, Some(span.start)),
        Expression::Number(_) => {
            let t = text
                .get(span.start..span.end)
                .unwrap_or("")
                .trim()
                .to_string();
            scalar(t, Ty::Number, Some(span.start))
        }
        Expression::String(s) => {
            let v = s.value().to_string();
            let exact = (span.len() == v.len() + 2
                && text.get(span.start + 1..span.end - 1) == Some(v.as_str()))
            .then_some(span.start + 1);
            scalar(v, Ty::Str, exact)
        }
        Expression::Array(a) if depth < 64 => VNode::Seq(
            a.iter()
                .map(|i| to_val(i, span_of(i), src, text, depth + 1))
                .collect(),
        ),
        Expression::Object(o) if depth < 64 => VNode::Map(
            o.iter()
                .filter_map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                        _ => return None,
                    };
                    Some((key, to_val(v.expr(), span_of(k), src, text, depth + 1)))
                })
                .collect(),
        ),
        Expression::Parenthesis(p) => return to_val(p.inner(), key_span, src, text, depth + 1),
        Expression::FuncCall(f)
            if matches!(
                f.name.name.as_str(),
                "yamlencode" | "jsonencode" | "tolist" | "toset"
            ) && f.args.len() == 1 =>
        {
            let arg = f.args.iter().next().expect("one argument");
            return to_val(arg, key_span, src, text, depth + 1);
        }
        // `concat(local.common, [{...}])`: the literal lists are read; each other argument is
        // an element Terraform computes (any number of entries, values unknown).
        Expression::FuncCall(f) if f.name.name.as_str() == "concat" && depth < 64 => {
            let mut items = Vec::new();
            for arg in f.args.iter() {
                match arg {
                    Expression::Array(a) => items.extend(
                        a.iter()
                            .map(|i| to_val(i, span_of(i), src, text, depth + 1)),
                    ),
                    _ => items.push(Val {
                        src,
                        key_span: span_of(arg),
                        span: span_of(arg),
                        node: VNode::Computed(describe(arg, text)),
                    }),
                }
            }
            VNode::Seq(items)
        }
        Expression::FuncCall(f) if f.name.name.as_str() == "join" && f.args.len() == 2 => {
            let mut args = f.args.iter();
            let sep = args.next().and_then(|s| match s {
                Expression::String(s) => Some(s.value().to_string()),
                _ => None,
            });
            let list = args.next().and_then(|l| match l {
                Expression::Array(a) => a
                    .iter()
                    .map(|i| match i {
                        Expression::String(s) => Some(s.value().to_string()),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>(),
                _ => None,
            });
            match (sep, list) {
                (Some(sep), Some(list)) => scalar(list.join(&sep), Ty::Str, None),
                _ => VNode::Computed(describe(e, text)),
            }
        }
        Expression::HeredocTemplate(h) => match heredoc_literal(h, text) {
            Some((value, region)) => VNode::Scalar {
                text: value,
                ty: Ty::Str,
                exact_at: None,
                block: region,
                quoted: true,
            },
            None => VNode::Computed(describe(e, text)),
        },
        _ => VNode::Computed(describe(e, text)),
    };
    Val {
        src,
        key_span,
        span,
        node,
    }
}

/// A heredoc without interpolation or directive is a literal string (`<<-` strips the common
/// indentation). Its body lines are then a block, as a YAML `|` block is: a file embedded in it
/// (a `repoConfig`) is positioned line by line.
fn heredoc_literal(
    h: &hcl_edit::template::HeredocTemplate,
    text: &str,
) -> Option<(String, Option<Span>)> {
    use hcl_edit::Span as _;
    let mut raw = String::new();
    for element in h.template.iter() {
        match element {
            hcl_edit::template::Element::Literal(l) => raw.push_str(l.value()),
            _ => return None,
        }
    }
    // hcl-edit strips a `<<-` heredoc's indentation from the literal already: the body lines
    // are a block when stripping them gives the same text.
    let region = h
        .template
        .span()
        .map(|r| Span::new(r.start, r.end))
        .filter(|r| {
            text.get(r.start..r.end).is_some_and(|body| {
                let n = h.indent().unwrap_or(0);
                body.split_inclusive('\n')
                    .map(|line| {
                        let spaces = line.len() - line.trim_start_matches(' ').len();
                        &line[spaces.min(n)..]
                    })
                    .eq(raw.split_inclusive('\n'))
            })
        });
    Some((raw, region))
}

fn attr<'a>(body: &'a Body, key: &str) -> Option<&'a hcl_edit::structure::Attribute> {
    body.attributes().find(|a| a.key.as_str() == key)
}

fn attr_str(body: &Body, key: &str) -> Option<String> {
    match attr(body, key).map(|a| &a.value) {
        Some(Expression::String(s)) => Some(s.value().to_string()),
        _ => None,
    }
}

fn loc(src: SourceId, path: &str, span: Span) -> Location {
    Location::Source {
        source: src,
        spelling: Spelling::FormKey { path: path.into() },
        span,
    }
}

/// A path named by `file("...")` (or `"${path.module}/..."`), relative to the `.tf` file.
fn file_arg(e: &Expression, text: &str) -> Option<(String, Span)> {
    let Expression::FuncCall(f) = e else {
        return None;
    };
    if f.name.name.as_str() != "file" {
        return None;
    }
    let arg = f.args.iter().next()?;
    let span = span_of(arg);
    let raw = match arg {
        Expression::String(s) => s.value().to_string(),
        Expression::StringTemplate(_) => {
            let t = text.get(span.start + 1..span.end.saturating_sub(1))?;
            let t = t
                .strip_prefix("${path.module}/")
                .or_else(|| t.strip_prefix("${path.root}/"))
                .or_else(|| t.strip_prefix("${path.cwd}/"))?;
            if t.contains("${") {
                return None;
            }
            t.to_string()
        }
        _ => return None,
    };
    Some((raw, span))
}

/// Reads a file a `.tf` file names, as another source of the run; or why Terraform cannot
/// (`file()` refuses a missing file, a directory and text that is not UTF-8).
fn load_file(input: &mut ReadInput, tf_name: &str, rel: &str) -> Result<SourceId, Unreadable> {
    let base = std::path::Path::new(tf_name)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    let path = base.join(rel);
    let meta = std::fs::metadata(&path).map_err(|_| Unreadable::Missing)?;
    if !meta.is_file() {
        return Err(Unreadable::Other("which is not a regular file"));
    }
    let bytes =
        super::regular::read_regular_file(&path, super::MAX_FILE_BYTES).map_err(|e| {
            match e.kind() {
                std::io::ErrorKind::FileTooLarge => Unreadable::Other("which is too large to lint"),
                std::io::ErrorKind::InvalidInput => {
                    Unreadable::Other("which is not a regular file")
                }
                _ => Unreadable::Other("which cannot be read"),
            }
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Unreadable::Other("which is not valid UTF-8 text (`file()` refuses it)"))?;
    Ok(input.sources.add(SourceText::new(
        SourceKind::File,
        path.display().to_string(),
        text,
    )))
}

/// Why a file a `.tf` file names was not read.
enum Unreadable {
    Missing,
    Other(&'static str),
}

impl Unreadable {
    fn why(&self) -> &'static str {
        match self {
            Unreadable::Missing => "which is not there (relative to this file)",
            Unreadable::Other(why) => why,
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Unreadable::Missing => "no such file",
            Unreadable::Other(_) => "cannot be read",
        }
    }
}

fn read(input: &mut ReadInput) -> Result<Vec<Unit>, String> {
    if let Some(err) = input.invalid_utf8.take() {
        return Err(super::not_utf8(&err));
    }
    let id = input.id;
    let source = input.sources.get_mut(id);
    for span in super::mask::line_spans(&source.text, false) {
        source.add_secret(span);
    }
    let text = source.text.clone();
    let name = source.name.clone();
    let body = hcl_edit::parser::parse_body(&text).map_err(|e| {
        let l = e.location();
        format!(
            "it is not valid HCL: line {}, column {}: {}",
            l.line(),
            l.column(),
            e.message()
        )
    })?;
    let mut units = Vec::new();
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("module", [label]) => {
                let source = attr_str(&block.body, "source").unwrap_or_default();
                if source.contains("terraform-aws-modules/atlantis")
                    || source.contains("terraform-aws-atlantis")
                {
                    units.push(module(input, block, label, &text));
                }
            }
            ("resource", ["helm_release", label]) => {
                let chart = attr_str(&block.body, "chart").unwrap_or_default();
                if chart == "atlantis" || chart.ends_with("/atlantis") {
                    units.push(helm_release(input, block, label, &text, &name)?);
                }
            }
            ("resource", ["aws_ecs_task_definition", label]) => {
                units.extend(task_definition(input, block, label, &text, &name));
            }
            _ => {}
        }
    }
    if units.is_empty() {
        return Err("no terraform-aws-atlantis module call, helm_release of the atlantis chart or ECS task definition running Atlantis in it".into());
    }
    Ok(units)
}

/// terraform-aws-atlantis v2/v3 variables: (variable, env var).
const V3_VARIABLES: &[(&str, &str)] = &[
    ("atlantis_github_user", "ATLANTIS_GH_USER"),
    ("atlantis_github_user_token", "ATLANTIS_GH_TOKEN"),
    ("atlantis_github_app_id", "ATLANTIS_GH_APP_ID"),
    ("atlantis_github_app_key", "ATLANTIS_GH_APP_KEY"),
    (
        "atlantis_github_webhook_secret",
        "ATLANTIS_GH_WEBHOOK_SECRET",
    ),
    ("atlantis_gitlab_user", "ATLANTIS_GITLAB_USER"),
    ("atlantis_gitlab_user_token", "ATLANTIS_GITLAB_TOKEN"),
    ("atlantis_gitlab_hostname", "ATLANTIS_GITLAB_HOSTNAME"),
    (
        "atlantis_gitlab_webhook_secret",
        "ATLANTIS_GITLAB_WEBHOOK_SECRET",
    ),
    ("atlantis_bitbucket_user", "ATLANTIS_BITBUCKET_USER"),
    ("atlantis_bitbucket_user_token", "ATLANTIS_BITBUCKET_TOKEN"),
    ("atlantis_bitbucket_base_url", "ATLANTIS_BITBUCKET_BASE_URL"),
    ("atlantis_repo_allowlist", "ATLANTIS_REPO_ALLOWLIST"),
    ("atlantis_log_level", "ATLANTIS_LOG_LEVEL"),
    (
        "atlantis_hide_prev_plan_comments",
        "ATLANTIS_HIDE_PREV_PLAN_COMMENTS",
    ),
    ("atlantis_write_git_creds", "ATLANTIS_WRITE_GIT_CREDS"),
    // Removed from Atlantis after v0.26.0 (`removed-key` says so, at the user's line).
    ("allow_repo_config", "ATLANTIS_ALLOW_REPO_CONFIG"),
];

fn module(input: &mut ReadInput, block: &Block, label: &str, text: &str) -> Unit {
    let id = input.id;
    let source_attr = attr(&block.body, "source").expect("checked by the caller");
    let module_at = loc(id, "source", span_of(&source_attr.value));
    let mut unit = Unit {
        part: Some(format!("module.{label}")),
        anchor: Some(loc(id, "module", span_of(&block.ident))),
        ..Unit::default()
    };
    if let Some(a) = attr(&block.body, "atlantis") {
        // v4 / v5: `atlantis = { environment, secrets, command, port, fqdn }`.
        let val = to_val(&a.value, span_of(&a.key), id, text, 0);
        helm_values::mask_tree(&val, input.sources, false);
        let at = loc(id, "atlantis", span_of(&a.key));
        let port = match val.get("port").map(|v| &v.node) {
            Some(VNode::Scalar { text, .. }) => RawValue::Text(Text::new(text.clone(), false)),
            Some(VNode::Computed(w)) => RawValue::Unknown(Unknown::Computed { what: w.clone() }),
            _ => RawValue::Text(Text::new("4141".into(), false)),
        };
        let url = match val.get("fqdn").map(|v| &v.node) {
            Some(VNode::Scalar { text, .. }) => {
                RawValue::Text(Text::new(format!("https://{text}"), false))
            }
            _ => RawValue::Unknown(Unknown::Computed {
                what: "the module's URL (`https://` and `atlantis.fqdn`, the Route 53 record or the load balancer's name)".into(),
            }),
        };
        let injected = [
            Injected {
                name: "ATLANTIS_PORT",
                value: port,
                at: at.clone(),
                note: "terraform-aws-atlantis sets `ATLANTIS_PORT` from `atlantis.port` (default 4141)"
                    .into(),
            },
            Injected {
                name: "ATLANTIS_ATLANTIS_URL",
                value: url,
                at,
                note: "terraform-aws-atlantis sets `ATLANTIS_ATLANTIS_URL` (`https://` and the fqdn)".into(),
            },
        ];
        ecs::read_container(input, &val, &mut unit, &injected);
        if let VNode::Computed(what) = &val.node {
            // The whole object is Terraform's (`atlantis = var.atlantis`): so are its image and
            // its environment, which may set anything.
            unit.image = Some(DeployedImage {
                image: ImageRef::Computed { what: what.clone() },
                location: loc(id, "atlantis", span_of(&a.value)),
            });
            unit.opaque.push(OpaqueSource {
                location: loc(id, "atlantis", span_of(&a.value)),
                what: format!("`atlantis` ({what})"),
                prefix: String::new(),
            });
        } else if unit.image.is_none() {
            // The module's default (v4 `try(var.atlantis.image, ...)`, v5 `optional(string, ...)`).
            unit.image = Some(DeployedImage {
                image: ImageRef::Default {
                    reference: MODULE_DEFAULT_IMAGE.into(),
                    by: "terraform-aws-atlantis runs its default image when `atlantis.image` is not set".into(),
                },
                location: loc(id, "atlantis", span_of(&a.key)),
            });
        }
        return unit;
    }
    // v2 / v3: one variable per setting; the module adds more of its own.
    for &(var, env) in V3_VARIABLES {
        let Some(a) = attr(&block.body, var) else {
            continue;
        };
        let val = to_val(&a.value, span_of(&a.key), id, text, 0);
        let secret = super::mask::name_is_secret(env);
        let value = match &val.node {
            VNode::Scalar { text, .. } => RawValue::Text(Text::new(text.clone(), secret)),
            VNode::Seq(items) => {
                let words: Option<Vec<&str>> = items
                    .iter()
                    .map(|i| match &i.node {
                        VNode::Scalar { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                match words {
                    Some(w) => RawValue::Text(Text::new(w.join(","), secret)),
                    None => RawValue::Unknown(Unknown::Computed {
                        what: "a list Terraform computes".into(),
                    }),
                }
            }
            VNode::Computed(w) => RawValue::Unknown(Unknown::Computed { what: w.clone() }),
            VNode::Map(_) => continue,
        };
        let value_span = match &val.node {
            VNode::Scalar {
                text,
                exact_at: Some(at),
                ..
            } => Span::new(*at, at + text.len()),
            _ => val.span,
        };
        if secret {
            input.sources.get_mut(id).add_secret(value_span);
        }
        if let Some(flag) = flags::lookup_env(env) {
            unit.provided.push((
                loc(id, var, span_of(&a.key)),
                flag.name.to_string(),
                format!("terraform-aws-atlantis v3 renders `{var}` as `{env}`"),
            ));
        }
        unit.settings.push(Setting {
            matched: match_flag(flags::lookup_env(env)),
            key: var.to_string(),
            value,
            origin: Origin {
                source: id,
                channel: Channel::Env,
                spelling: Spelling::FormKey { path: var.into() },
                key_span: span_of(&a.key),
                value_span,
            },
            merged: false,
        });
    }
    // The module's own variables: ATLANTIS_ALLOW_REPO_CONFIG (removed from Atlantis after
    // v0.26.0) is not the user's to remove (unless they wrote `allow_repo_config`, read above).
    if attr(&block.body, "allow_repo_config").is_none() {
        unit.form_issues.push(
        FormIssue::new(
            "terraform-module-injected",
            module_at.clone(),
            "terraform-aws-atlantis v3 sets `ATLANTIS_ALLOW_REPO_CONFIG` on its own (from `allow_repo_config`, default \"false\"): Atlantis removed that flag after v0.26.0 and ignores it",
        )
        .label("v2/v3 module interface")
        .help("nothing to change in this call; to get rid of it, move to terraform-aws-atlantis v4 or later (`atlantis = { environment = [...] }`)"),
        );
    }
    let mut container = Vec::new();
    for (from, to) in [
        ("custom_environment_variables", "environment"),
        ("custom_environment_secrets", "secrets"),
    ] {
        if let Some(a) = attr(&block.body, from) {
            container.push((
                to.to_string(),
                to_val(&a.value, span_of(&a.key), id, text, 0),
            ));
        }
    }
    let val = Val {
        src: id,
        key_span: span_of(&block.ident),
        span: span_of(&block.ident),
        node: VNode::Map(container),
    };
    helm_values::mask_tree(&val, input.sources, false);
    let image_at = module_at.clone();
    let at = module_at;
    let injected = [
        Injected {
            name: "ATLANTIS_PORT",
            value: RawValue::Text(Text::new("4141".into(), false)),
            at: at.clone(),
            note: "terraform-aws-atlantis v3 sets `ATLANTIS_PORT=4141`".into(),
        },
        Injected {
            name: "ATLANTIS_ATLANTIS_URL",
            value: RawValue::Unknown(Unknown::Computed {
                what: "the module's URL (its Route 53 record or the load balancer's name)".into(),
            }),
            at,
            note: "terraform-aws-atlantis v3 sets `ATLANTIS_ATLANTIS_URL`".into(),
        },
    ];
    ecs::read_container(input, &val, &mut unit, &injected);
    unit.image = Some(v3_image(&block.body, id, text, image_at));
    unit
}

/// terraform-aws-atlantis v4/v5's image when `atlantis.image` is not set.
const MODULE_DEFAULT_IMAGE: &str = "ghcr.io/runatlantis/atlantis:latest";

/// terraform-aws-atlantis v2/v3's image: `atlantis_image` when not empty, else
/// `ghcr.io/runatlantis/atlantis:${atlantis_version}` (`runatlantis/atlantis` before v3.x's
/// move to ghcr.io), `atlantis_version` defaulting to `latest`.
fn v3_image(body: &Body, id: SourceId, text: &str, module_at: Location) -> DeployedImage {
    let value = |name: &str| {
        attr(body, name).map(|a| {
            let v = to_val(&a.value, span_of(&a.key), id, text, 0);
            let at = match &v.node {
                VNode::Scalar {
                    text: t,
                    exact_at: Some(start),
                    ..
                } => Span::new(*start, start + t.len()),
                _ => v.span,
            };
            (v.node, loc(id, name, at))
        })
    };
    match value("atlantis_image") {
        Some((VNode::Scalar { text: t, .. }, at)) if !t.is_empty() => {
            return DeployedImage::written(t, at);
        }
        Some((VNode::Computed(what), at)) => {
            return DeployedImage {
                image: ImageRef::Computed { what },
                location: at,
            };
        }
        _ => {}
    }
    match value("atlantis_version") {
        // The tag is the user's, the repository the module's.
        Some((VNode::Scalar { text: t, .. }, at)) if !t.is_empty() => {
            DeployedImage::written(format!("ghcr.io/runatlantis/atlantis:{t}"), at)
        }
        Some((VNode::Computed(what), at)) => DeployedImage {
            image: ImageRef::Computed { what },
            location: at,
        },
        _ => DeployedImage {
            image: ImageRef::Default {
                reference: "ghcr.io/runatlantis/atlantis:latest".into(),
                by: "terraform-aws-atlantis runs its default image when neither `atlantis_image` nor `atlantis_version` is set".into(),
            },
            location: module_at,
        },
    }
}

fn helm_release(
    input: &mut ReadInput,
    block: &Block,
    label: &str,
    text: &str,
    tf_name: &str,
) -> Result<Unit, String> {
    let id = input.id;
    let mut tree = Val {
        src: id,
        key_span: span_of(&block.ident),
        span: span_of(&block.ident),
        node: VNode::Map(Vec::new()),
    };
    let mut issues = Vec::new();
    let mut opaque = Vec::new();
    if let Some(Expression::Array(values)) = attr(&block.body, "values").map(|a| &a.value) {
        for v in values.iter() {
            if let Some((rel, span)) = file_arg(v, text) {
                let sid = match load_file(input, tf_name, &rel) {
                    Ok(sid) => sid,
                    Err(why) => {
                        issues.push(
                        FormIssue::new(
                            "terraform-values-file",
                            loc(id, "values", span),
                            format!("`values` names `{rel}`, {}: `terraform plan` fails", why.why()),
                        )
                        .label(why.label())
                        .help("fix the path (`file(\"${path.module}/values.yaml\")` is relative to the module)"),
                    );
                        continue;
                    }
                };
                let source = input.sources.get_mut(sid);
                if let Some(at) = super::kubernetes::template_placeholder(&source.text) {
                    let (line, _) = source.line_col(at);
                    return Err(format!(
                        "the values file {} holds Go template syntax (`{{{{ ... }}}}` at line {line})",
                        source.name
                    ));
                }
                for span in super::mask::line_spans(&source.text, false) {
                    source.add_secret(span);
                }
                let ftext = source.text.clone();
                let fname = source.name.clone();
                let doc = super::yaml::parse_stream(&ftext).map_err(|e| {
                    format!("the values file {fname} is not valid YAML ({})", e.message)
                })?;
                if let Some(val) = doc
                    .first()
                    .and_then(|d| helm_values::from_yaml(sid, &ftext, d))
                {
                    helm_values::mask_tree(&val, input.sources, false);
                    helm_values::merge(&mut tree, val);
                }
                continue;
            }
            // `<<EOT` holding a values YAML: read in place, positioned in this file.
            if let Some(body) = match v {
                Expression::HeredocTemplate(h) => {
                    heredoc_literal(h, text).map(|_| span_of(&h.template))
                }
                _ => None,
            } {
                let padded = only(text, body);
                if let Some(at) = super::kubernetes::template_placeholder(&padded) {
                    let (line, _) = input.sources.get(id).line_col(at);
                    return Err(format!(
                        "the `values` heredoc of helm_release.{label} holds Go template syntax (`{{{{ ... }}}}` at line {line})"
                    ));
                }
                let docs = super::yaml::parse_stream(&padded).map_err(|e| {
                    // An error at the end of the input is at the end of the heredoc.
                    let at = e.span.start.min(body.end);
                    let (line, col) = input.sources.get(id).line_col(at);
                    format!(
                        "the `values` heredoc of helm_release.{label} is not valid YAML (line {line}, column {col}: {})",
                        e.message
                    )
                })?;
                if let Some(val) = docs
                    .first()
                    .and_then(|d| helm_values::from_yaml(id, &padded, d))
                {
                    helm_values::mask_tree(&val, input.sources, false);
                    helm_values::merge(&mut tree, val);
                }
                continue;
            }
            let val = to_val(v, span_of(v), id, text, 0);
            match &val.node {
                VNode::Map(_) => {
                    helm_values::mask_tree(&val, input.sources, false);
                    helm_values::merge(&mut tree, val);
                }
                VNode::Computed(what) => {
                    // Not read, yet shown in snippets: mask what looks like a secret in it
                    // (`token: ${var.x}...` in an interpolated heredoc), as in a broken file.
                    let source = input.sources.get_mut(id);
                    let slice = text.get(val.span.start..val.span.end).unwrap_or("");
                    for s in super::mask::line_spans(slice, true) {
                        source.add_secret(Span::new(
                            val.span.start + s.start,
                            val.span.start + s.end,
                        ));
                    }
                    opaque.push(OpaqueSource {
                        location: loc(id, "values", val.span),
                        what: format!("the `values` entry Terraform computes ({what})"),
                        prefix: String::new(),
                    });
                }
                _ => opaque.push(OpaqueSource {
                    location: loc(id, "values", val.span),
                    what: "a `values` entry Terraform computes".into(),
                    prefix: String::new(),
                }),
            }
        }
    }
    for b in block.body.blocks() {
        let sensitive = match b.ident.as_str() {
            "set" => false,
            "set_sensitive" => true,
            _ => continue,
        };
        let (Some(name), Some(value)) = (attr_str(&b.body, "name"), attr(&b.body, "value")) else {
            continue;
        };
        let name_at = attr(&b.body, "name").map_or(span_of(&b.ident), |a| span_of(&a.value));
        let mut val = to_val(&value.value, name_at, id, text, 0);
        if let VNode::Scalar { ty, text: t, .. } = &mut val.node {
            // `--set` parses int64 (no float notation) and bools; `type = "string"` keeps text.
            *ty = match t.as_str() {
                _ if attr_str(&b.body, "type").as_deref() == Some("string") => Ty::Str,
                "true" | "false" => Ty::Bool,
                "null" => Ty::Null,
                _ => Ty::Str,
            };
        }
        if sensitive {
            let span = match &val.node {
                VNode::Scalar {
                    text: t,
                    exact_at: Some(at),
                    ..
                } => Span::new(*at, at + t.len()),
                _ => val.span,
            };
            input.sources.get_mut(id).add_secret(span);
        }
        set_path(&mut tree, &name, val);
    }
    let version = attr(&block.body, "version").and_then(|a| match &a.value {
        // As written: a constraint (`~> 5.1`) picks the mapping, never an appVersion.
        Expression::String(s) => Some((
            s.value().trim().to_string(),
            loc(id, "version", span_of(&a.value)),
        )),
        _ => None,
    });
    // `set` values too (`environment.ATLANTIS_GITEA_TOKEN`), in whichever file each is.
    helm_values::mask_tree(&tree, input.sources, false);
    let mut unit = helm_values::emulate(input, tree, version)?;
    unit.part = Some(format!("helm_release.{label}"));
    unit.anchor = Some(loc(id, "resource", span_of(&block.ident)));
    unit.form_issues.extend(issues);
    unit.opaque.extend(opaque);
    Ok(unit)
}

/// `set { name = "github.user" }`: the value at a dotted path (`\.` escapes a dot).
fn set_path(tree: &mut Val, path: &str, val: Val) {
    let mut keys = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                cur.push('.');
                chars.next();
            }
            '.' => keys.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    keys.push(cur);
    let mut node = tree;
    let last = keys.len() - 1;
    for (i, k) in keys.into_iter().enumerate() {
        if !matches!(node.node, VNode::Map(_)) {
            node.node = VNode::Map(Vec::new());
        }
        let VNode::Map(kids) = &mut node.node else {
            return;
        };
        if i == last {
            kids.retain(|(key, _)| *key != k);
            kids.push((k, val));
            return;
        }
        let at = match kids.iter().position(|(key, _)| *key == k) {
            Some(p) => p,
            None => {
                kids.push((
                    k,
                    Val {
                        src: val.src,
                        key_span: val.key_span,
                        span: val.key_span,
                        node: VNode::Map(Vec::new()),
                    },
                ));
                kids.len() - 1
            }
        };
        node = &mut kids[at].1;
    }
}

fn task_definition(
    input: &mut ReadInput,
    block: &Block,
    label: &str,
    text: &str,
    tf_name: &str,
) -> Vec<Unit> {
    let id = input.id;
    let Some(a) = attr(&block.body, "container_definitions") else {
        return Vec::new();
    };
    let root = if let Some((rel, span)) = file_arg(&a.value, text) {
        let sid = match load_file(input, tf_name, &rel) {
            Ok(sid) => sid,
            Err(why) => {
                let mut unit = Unit {
                    part: Some(format!("aws_ecs_task_definition.{label}")),
                    ..Unit::default()
                };
                unit.form_issues.push(
                    FormIssue::new(
                        "terraform-values-file",
                        loc(id, "container_definitions", span),
                        format!(
                            "`container_definitions` names `{rel}`, {}: `terraform plan` fails",
                            why.why()
                        ),
                    )
                    .label(why.label()),
                );
                return vec![unit];
            }
        };
        let source = input.sources.get_mut(sid);
        for span in super::mask::line_spans(&source.text, false) {
            source.add_secret(span);
        }
        let ftext = source.text.clone();
        match super::yaml::parse_stream(&ftext) {
            Ok(docs) => match docs
                .first()
                .and_then(|d| helm_values::from_yaml(sid, &ftext, d))
            {
                Some(v) => v,
                None => return Vec::new(),
            },
            Err(_) => return Vec::new(),
        }
    } else {
        to_val(&a.value, span_of(&a.key), id, text, 0)
    };
    ecs::read_tree(
        input,
        &root,
        &format!("aws_ecs_task_definition.{label}"),
        &[],
    )
}

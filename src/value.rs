//! How a value becomes what Atlantis sees: yaml.v3's scalar resolution (YAML 1.2 core schema),
//! then mapstructure's weak decoding into the flag's Go type.
//!
//! Both are modelled exactly, because their surprises are what the linter reports: `yes` is a
//! string, `010` is 8, `1e3` given for a string flag becomes `"1000"`, `true` becomes `"1"`.

use crate::flags::FlagType;
use crate::input::yaml::{Scalar, Style};
use crate::secret::Text;
use regex::Regex;
use std::sync::OnceLock;

/// A YAML scalar after yaml.v3's resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// A timestamp (`2024-01-02`): decodes into no Atlantis flag.
    Timestamp,
    Str(Text),
}

impl Resolved {
    /// The YAML type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "bool",
            Resolved::Int(_) | Resolved::Uint(_) => "int",
            Resolved::Float(_) => "float",
            Resolved::Timestamp => "timestamp",
            Resolved::Str(_) => "string",
        }
    }
}

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// Resolves a scalar the way yaml.v3 does when decoding into `interface{}`.
pub fn resolve(scalar: &Scalar, secret: bool) -> Resolved {
    let text = || Resolved::Str(Text::new(scalar.value.clone(), secret));
    match scalar.tag.as_deref() {
        Some(t) if t == format!("{TAG_PREFIX}str") || t == format!("{TAG_PREFIX}binary") => {
            return text();
        }
        Some(t) if t == format!("{TAG_PREFIX}null") => return Resolved::Null,
        Some(t) if t.starts_with(TAG_PREFIX) => {}
        Some(_) => return text(),
        None if scalar.style != Style::Plain => return text(),
        None => {}
    }
    resolve_plain(&scalar.value).unwrap_or_else(text)
}

/// yaml.v3's `resolve()` for an untagged plain scalar; `None` means "a string".
pub fn resolve_plain(s: &str) -> Option<Resolved> {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Resolved::Null),
        "true" | "True" | "TRUE" => return Some(Resolved::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Resolved::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Some(Resolved::Float(f64::INFINITY));
        }
        "-.inf" | "-.Inf" | "-.INF" => return Some(Resolved::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Some(Resolved::Float(f64::NAN)),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if first == b'.' {
        return go_parse_float(s).map(Resolved::Float);
    }
    if !(first.is_ascii_digit() || first == b'+' || first == b'-') {
        return None;
    }
    if is_timestamp(s) {
        return Some(Resolved::Timestamp);
    }
    let plain = s.replace('_', "");
    if let Ok(i) = go_parse_int(&plain) {
        return Some(Resolved::Int(i));
    }
    if let Ok(u) = go_parse_uint(&plain) {
        return Some(Resolved::Uint(u));
    }
    if yaml_float_re().is_match(&plain) {
        return go_parse_float(&plain).map(Resolved::Float);
    }
    None
}

fn yaml_float_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$").unwrap())
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$",
        )
        .unwrap()
    })
    .is_match(s)
}

fn go_parse_float(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

/// Why Go's `strconv.ParseInt` / `ParseBool` refused a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    Syntax,
    Range,
}

impl NumError {
    pub fn go_text(self) -> &'static str {
        match self {
            NumError::Syntax => "invalid syntax",
            NumError::Range => "value out of range",
        }
    }
}

/// Splits a Go integer literal into (negative, base, digits), as `strconv.ParseInt(s, 0, 64)` reads it.
fn go_int_parts(s: &str) -> Result<(bool, u32, String), NumError> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (base, digits, prefixed) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r, true)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r, true)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    // Go accepts `_` only between digits (or right after a base prefix) when base is 0.
    let mut prev_ok = prefixed;
    let mut out = String::with_capacity(digits.len());
    for c in digits.chars() {
        if c == '_' {
            if !prev_ok {
                return Err(NumError::Syntax);
            }
            prev_ok = false;
        } else {
            out.push(c);
            prev_ok = true;
        }
    }
    if digits.ends_with('_') || out.is_empty() || !out.chars().all(|c| c.is_digit(base)) {
        return Err(NumError::Syntax);
    }
    Ok((neg, base, out))
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub fn go_parse_int(s: &str) -> Result<i64, NumError> {
    let (neg, base, digits) = go_int_parts(s)?;
    let mag = u64::from_str_radix(&digits, base).map_err(|_| NumError::Range)?;
    if neg {
        if mag > i64::MAX as u64 + 1 {
            return Err(NumError::Range);
        }
        Ok((mag as i64).wrapping_neg())
    } else {
        i64::try_from(mag).map_err(|_| NumError::Range)
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
pub fn go_parse_uint(s: &str) -> Result<u64, NumError> {
    if s.starts_with('-') || s.starts_with('+') {
        return Err(NumError::Syntax);
    }
    let (_, base, digits) = go_int_parts(s)?;
    u64::from_str_radix(&digits, base).map_err(|_| NumError::Range)
}

/// Go's `strconv.ParseBool`.
pub fn go_parse_bool(s: &str) -> Result<bool, NumError> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(NumError::Syntax),
    }
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`.
pub fn go_format_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        format!("{f}")
    }
}

/// A value decoded into a flag's Go type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(Text),
    Int(i64),
    Bool(bool),
    /// Set, but to a value the linter cannot see: counts as set, never checked.
    Unknown(crate::config::Unknown),
}

/// A decode failure, worded as mapstructure words it (without the value: it may be a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// `'<key>' cannot parse value as '<type>': strconv.Parse…: <reason>`
    Parse { ty: FlagType, reason: NumError },
    /// `'<key>' expected type '<type>', got unconvertible type '<go type>'`
    Unconvertible { ty: FlagType, got: &'static str },
}

impl DecodeError {
    /// Atlantis's own message for this failure on `key`.
    pub fn atlantis_message(&self, key: &str) -> String {
        match self {
            DecodeError::Parse { ty, reason } => {
                let func = if *ty == FlagType::Bool {
                    "ParseBool"
                } else {
                    "ParseInt"
                };
                format!(
                    "'{key}' cannot parse value as '{}': strconv.{func}: {}",
                    ty.go_name(),
                    reason.go_text()
                )
            }
            DecodeError::Unconvertible { ty, got } => {
                format!(
                    "'{key}' expected type '{}', got unconvertible type '{got}'",
                    ty.go_name()
                )
            }
        }
    }
}

/// Decodes a string (env var, env file, command line, or a YAML string) into `ty`.
pub fn decode_text(text: &Text, ty: FlagType) -> Result<Value, DecodeError> {
    let s = text.as_str();
    match ty {
        FlagType::String => Ok(Value::Str(text.clone())),
        FlagType::Int | FlagType::Int64 => {
            if s.is_empty() {
                return Ok(Value::Int(0));
            }
            go_parse_int(s)
                .map(Value::Int)
                .map_err(|reason| DecodeError::Parse { ty, reason })
        }
        FlagType::Bool => {
            if s.is_empty() {
                return Ok(Value::Bool(false));
            }
            go_parse_bool(s)
                .map(Value::Bool)
                .map_err(|reason| DecodeError::Parse { ty, reason })
        }
        FlagType::Webhooks => Err(DecodeError::Unconvertible { ty, got: "string" }),
    }
}

/// Decodes a resolved YAML scalar into `ty` with mapstructure's weak typing.
pub fn decode_resolved(value: &Resolved, ty: FlagType, secret: bool) -> Result<Value, DecodeError> {
    let text = |s: String| Value::Str(Text::new(s, secret));
    match (value, ty) {
        (Resolved::Str(t), _) => decode_text(t, ty),
        (_, FlagType::Webhooks) => Err(DecodeError::Unconvertible { ty, got: "string" }),
        (Resolved::Null, FlagType::String) => Ok(text(String::new())),
        (Resolved::Null, FlagType::Bool) => Ok(Value::Bool(false)),
        (Resolved::Null, _) => Ok(Value::Int(0)),
        (Resolved::Bool(b), FlagType::String) => Ok(text(if *b { "1" } else { "0" }.into())),
        (Resolved::Bool(b), FlagType::Bool) => Ok(Value::Bool(*b)),
        (Resolved::Bool(b), _) => Ok(Value::Int(i64::from(*b))),
        (Resolved::Int(i), FlagType::String) => Ok(text(i.to_string())),
        (Resolved::Int(i), FlagType::Bool) => Ok(Value::Bool(*i != 0)),
        (Resolved::Int(i), _) => Ok(Value::Int(*i)),
        (Resolved::Uint(u), FlagType::String) => Ok(text(u.to_string())),
        (Resolved::Uint(u), FlagType::Bool) => Ok(Value::Bool(*u != 0)),
        (Resolved::Uint(u), _) => Ok(Value::Int(*u as i64)),
        (Resolved::Float(f), FlagType::String) => Ok(text(go_format_float(*f))),
        (Resolved::Float(f), FlagType::Bool) => Ok(Value::Bool(*f != 0.0)),
        (Resolved::Float(f), _) => Ok(Value::Int(f.trunc() as i64)),
        (Resolved::Timestamp, _) => Err(DecodeError::Unconvertible {
            ty,
            got: "time.Time",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Resolved {
        resolve(
            &Scalar {
                value: s.into(),
                style: Style::Plain,
                tag: None,
            },
            false,
        )
    }

    #[test]
    fn yaml12_core_schema() {
        assert_eq!(plain("yes"), Resolved::Str(Text::Plain("yes".into())));
        assert_eq!(plain("on"), Resolved::Str(Text::Plain("on".into())));
        assert_eq!(plain("True"), Resolved::Bool(true));
        assert_eq!(plain("010"), Resolved::Int(8));
        assert_eq!(plain("0x1F"), Resolved::Int(31));
        assert_eq!(plain("1_000"), Resolved::Int(1000));
        assert_eq!(plain("08"), Resolved::Float(8.0));
        assert_eq!(plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(plain("~"), Resolved::Null);
        assert_eq!(plain("2024-01-02"), Resolved::Timestamp);
        assert_eq!(plain("18446744073709551615"), Resolved::Uint(u64::MAX));
    }

    #[test]
    fn weak_decoding() {
        let s = |r: Resolved| match decode_resolved(&r, FlagType::String, false).unwrap() {
            Value::Str(t) => t.as_str().to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(s(Resolved::Bool(true)), "1");
        assert_eq!(s(Resolved::Float(1000.0)), "1000");
        assert_eq!(s(Resolved::Float(0.5)), "0.5");
        assert_eq!(
            decode_resolved(&Resolved::Float(4141.9), FlagType::Int, false),
            Ok(Value::Int(4141))
        );
        assert_eq!(
            decode_text(&Text::Plain("yes".into()), FlagType::Bool),
            Err(DecodeError::Parse {
                ty: FlagType::Bool,
                reason: NumError::Syntax
            })
        );
        assert_eq!(
            decode_text(&Text::Plain("0x10".into()), FlagType::Int),
            Ok(Value::Int(16))
        );
        assert!(decode_text(&Text::Plain("4141 ".into()), FlagType::Int).is_err());
    }

    #[test]
    fn go_ints() {
        assert_eq!(go_parse_int("-0b101"), Ok(-5));
        assert_eq!(go_parse_int("0o17"), Ok(15));
        assert_eq!(go_parse_int("08"), Err(NumError::Syntax));
        assert_eq!(go_parse_int("_1"), Err(NumError::Syntax));
        assert_eq!(go_parse_int("99999999999999999999"), Err(NumError::Range));
        assert_eq!(go_parse_int("-9223372036854775808"), Ok(i64::MIN));
    }
}

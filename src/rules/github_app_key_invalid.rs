use super::Context;
use super::credential_values::written_text;
use super::placeholder_value::is_placeholder;
use super::unexpanded_variable::variable_in;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;
use base64::Engine;

pub static RULE: RuleInfo = RuleInfo {
    id: "github-app-key-invalid",
    severity: Severity::Error,
    summary: "gh-app-key (or a readable gh-app-key-file) that is not a PEM RSA private key",
    suppressible: true,
    docs: r#"## What it checks
The GitHub App private key, given inline (`gh-app-key`) or as a file (`gh-app-key-file`, read
when it exists; with `--check-files` a missing file is reported by `file-not-found`). It must be a
PEM RSA private key, as GitHub's "Generate a private key" download is:
`-----BEGIN RSA PRIVATE KEY-----` (PKCS#1) or `-----BEGIN PRIVATE KEY-----` (PKCS#8 holding an
RSA key). Reported:
- no `-----BEGIN` line, or no matching `-----END` line (a truncated paste);
- literal `\n` two-character sequences instead of line breaks (a key squeezed onto one line),
  or lines joined by spaces (a YAML `>` folded block);
- a public key, a certificate, an OpenSSH, EC, DSA or Ed25519 key, a PKCS#8 key for another
  algorithm;
- an encrypted key (`ENCRYPTED PRIVATE KEY`, `Proc-Type: 4,ENCRYPTED`);
- a body that is not valid base64.

The key is never printed; only the PEM type line is named.

## Why it matters
Atlantis parses the key at startup, whatever else is configured: `NewServer` builds the GitHub
client, whose `AppCredentials` parse the key (to list the installations, or to build the
installation transport when `gh-app-installation-id` is set). A bad key stops Atlantis with
`initializing server: error initializing github authentication transport: could not parse
private key: invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key`, with no hint of what is
wrong with it.

## Example
```yaml
gh-app-id: 123456
gh-app-key: "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow...\\n-----END RSA PRIVATE KEY-----"
```

## Fix
Use the `.pem` file GitHub generated, unchanged: mount it and point `gh-app-key-file` at it, or
put it in YAML as a block scalar (`gh-app-key: |`) with its line breaks.
"#,
};

const RSA_OID: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];

/// Reads one DER element: (tag, contents, rest).
fn der(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, b) = b.split_first()?;
    let (&first, mut b) = b.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 || b.len() < n {
            return None;
        }
        let len = b[..n]
            .iter()
            .fold(0usize, |acc, &x| (acc << 8) | usize::from(x));
        b = &b[n..];
        len
    };
    (b.len() >= len).then(|| (tag, &b[..len], &b[len..]))
}

/// The algorithm OID of a PKCS#8 `PrivateKeyInfo`.
fn pkcs8_algorithm(der_bytes: &[u8]) -> Option<&[u8]> {
    let (0x30, info, _) = der(der_bytes)? else {
        return None;
    };
    let (0x02, _, rest) = der(info)? else {
        return None;
    };
    let (0x30, alg, _) = der(rest)? else {
        return None;
    };
    let (0x06, oid, _) = der(alg)? else {
        return None;
    };
    Some(oid)
}

fn algorithm_name(oid: &[u8]) -> &'static str {
    match oid {
        [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01] => "an EC key",
        [0x2B, 0x65, 0x70] => "an Ed25519 key",
        [0x2B, 0x65, 0x71] => "an Ed448 key",
        [0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01] => "a DSA key",
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A] => "an RSASSA-PSS key",
        _ => "a key for another algorithm",
    }
}

/// What is wrong with a would-be GitHub App key: (message tail, help).
pub fn pem_problem(text: &str) -> Option<(String, &'static str)> {
    const REGENERATE: &str = "use the .pem file GitHub generated for the App, unchanged (or generate a new private key on the App's settings page)";
    let Some(begin) = text.find("-----BEGIN ") else {
        if text.contains("\\n") {
            return Some((
                "is not a PEM key: no -----BEGIN line, and it holds literal `\\n` sequences".into(),
                "paste the whole .pem file with its line breaks, or point gh-app-key-file at it",
            ));
        }
        return Some((
            "is not a PEM key: there is no -----BEGIN line".into(),
            "paste the whole .pem file, including its -----BEGIN and -----END lines, or point gh-app-key-file at it",
        ));
    };
    let after = &text[begin + 11..];
    let Some(label_end) = after.find("-----") else {
        return Some(("has a malformed -----BEGIN line".into(), REGENERATE));
    };
    let label = &after[..label_end];
    if label.contains('\n') || label.len() > 40 {
        return Some(("has a malformed -----BEGIN line".into(), REGENERATE));
    }
    let body_start = begin + 11 + label_end + 5;
    if text[body_start..].contains("\\n") {
        return Some((
            "holds literal `\\n` sequences instead of line breaks, which Atlantis cannot parse"
                .into(),
            "give the key with real line breaks: a YAML block scalar (`gh-app-key: |`), or gh-app-key-file pointing at the .pem file",
        ));
    }
    const JOINED: &str = "has its lines joined into one (a YAML `>` folded block, or a paste that lost the line breaks), which Atlantis cannot parse";
    const KEEP_LINES: &str = "give the key with its line breaks: a YAML literal block (`gh-app-key: |`), or gh-app-key-file pointing at the .pem file";
    let end_line = format!("-----END {label}-----");
    let Some(end) = text[body_start..].find(&end_line) else {
        return Some((
            format!("has no `-----END {label}-----` line: the key is truncated"),
            "paste the whole .pem file, up to and including its -----END line",
        ));
    };
    let body = &text[body_start..body_start + end];
    // Go's pem.Decode wants the BEGIN line to end the line, and the END line to start one.
    let first_line = body.split('\n').next().unwrap_or("");
    if !first_line.trim().is_empty() || !body.contains('\n') || !body.ends_with('\n') {
        return Some((JOINED.into(), KEEP_LINES));
    }
    const RS256: &str = "; GitHub Apps sign with RSA (RS256)";
    let kind = match label {
        "RSA PRIVATE KEY" | "PRIVATE KEY" => None,
        "ENCRYPTED PRIVATE KEY" => Some((
            "an encrypted private key",
            ", which Atlantis cannot decrypt",
        )),
        "OPENSSH PRIVATE KEY" => Some(("an OpenSSH private key", ", not a PEM RSA private key")),
        "EC PRIVATE KEY" => Some(("an EC private key", RS256)),
        "DSA PRIVATE KEY" => Some(("a DSA private key", RS256)),
        "PUBLIC KEY" | "RSA PUBLIC KEY" => {
            Some(("a public key", "; Atlantis needs the App's private key"))
        }
        "CERTIFICATE" => Some(("a certificate", ", not the App's private key")),
        _ => Some(("a PEM block of another type", ", not an RSA private key")),
    };
    if let Some((what, why)) = kind {
        return Some((
            format!("is {what} (-----BEGIN {label}-----){why}"),
            REGENERATE,
        ));
    }
    if body.contains("Proc-Type: 4,ENCRYPTED") {
        return Some((
            "is an encrypted private key (Proc-Type: 4,ENCRYPTED), which Atlantis cannot decrypt"
                .into(),
            "decrypt it (`openssl rsa -in key.pem -out plain.pem`) and store the result in a secret store, or use the .pem file GitHub generated",
        ));
    }
    let b64: String = body
        .lines()
        .filter(|l| !l.contains(':'))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(b64.as_bytes()) else {
        return Some((
            "has a body that is not valid base64: a line was changed or cut".into(),
            REGENERATE,
        ));
    };
    if der(&bytes).is_none_or(|(tag, _, _)| tag != 0x30) {
        return Some((
            "has a body that does not decode to a key: a line was changed or cut".into(),
            REGENERATE,
        ));
    }
    if label == "PRIVATE KEY" {
        match pkcs8_algorithm(&bytes) {
            Some(RSA_OID) => {}
            Some(oid) => {
                return Some((
                    format!(
                        "is a PKCS#8 private key holding {}; GitHub Apps sign with RSA (RS256)",
                        algorithm_name(oid)
                    ),
                    REGENERATE,
                ));
            }
            None => {
                return Some(("is not a readable PKCS#8 private key".into(), REGENERATE));
            }
        }
    }
    None
}

/// Reads at most 1 MiB of a file, wiped when dropped; `None` when it cannot be read
/// (file-not-found's business).
fn read_small(path: &str) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    crate::input::read_regular_file(std::path::Path::new(path), 1 << 20)
        .ok()
        .map(zeroize::Zeroizing::new)
}

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if let Some(setting) = cfg.winner(flags::GH_APP_KEY) {
        if let Some(text) = written_text(setting) {
            let v = text.as_str();
            let skip = v.trim().is_empty() || is_placeholder(v) || variable_in(v, true).is_some();
            if let Some((problem, help)) = pem_problem(v).filter(|_| !skip) {
                out.push(
                    Finding::new(
                        &RULE,
                        setting.origin.value(),
                        format!("gh-app-key {problem}"),
                    )
                    .key(flags::GH_APP_KEY)
                    .label("not a usable GitHub App key")
                    .help(help),
                );
            }
        }
    }
    if let Some(path) = cfg.explicit_text(flags::GH_APP_KEY_FILE) {
        let path = path.as_str();
        let Some(bytes) = read_small(path) else {
            return;
        };
        ctx.options.secrets.add(&zeroize::Zeroizing::new(
            String::from_utf8_lossy(&bytes).into_owned(),
        ));
        let problem = match std::str::from_utf8(&bytes) {
            Ok(text) => pem_problem(text),
            Err(_) => Some((
                "is not a PEM text file (a binary DER key?)".to_string(),
                "convert it to PEM (`openssl rsa -inform DER -in key.der -out key.pem`), or use the .pem file GitHub generated",
            )),
        };
        if let Some((problem, help)) = problem {
            out.push(
                Finding::new(
                    &RULE,
                    cfg.value_location(flags::GH_APP_KEY_FILE),
                    format!("the key file {path} (gh-app-key-file) {problem}"),
                )
                .key(flags::GH_APP_KEY_FILE)
                .label("not a usable GitHub App key")
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(label: &str, der: &[u8]) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            lines.join("\n")
        )
    }

    /// A PKCS#8 `PrivateKeyInfo` skeleton with the given algorithm OID (enough for the check).
    fn pkcs8(oid: &[u8]) -> Vec<u8> {
        let mut alg = vec![0x06, oid.len() as u8];
        alg.extend_from_slice(oid);
        alg.extend_from_slice(&[0x05, 0x00]);
        let mut info = vec![0x02, 0x01, 0x00, 0x30, alg.len() as u8];
        info.extend_from_slice(&alg);
        info.extend_from_slice(&[0x04, 0x02, 0x30, 0x00]);
        let mut out = vec![0x30, info.len() as u8];
        out.extend_from_slice(&info);
        out
    }

    #[test]
    fn accepts_rsa_keys() {
        assert_eq!(pem_problem(&pem("PRIVATE KEY", &pkcs8(RSA_OID))), None);
        assert_eq!(
            pem_problem(&pem("RSA PRIVATE KEY", &[0x30, 0x03, 0x02, 0x01, 0x00])),
            None
        );
    }

    #[test]
    fn rejects_other_keys() {
        let ed = pem("PRIVATE KEY", &pkcs8(&[0x2B, 0x65, 0x70]));
        assert!(pem_problem(&ed).unwrap().0.contains("Ed25519"));
        assert!(
            pem_problem(&pem("PUBLIC KEY", &[0x30, 0x00]))
                .unwrap()
                .0
                .contains("public key")
        );
        assert!(
            pem_problem(&pem("CERTIFICATE", &[0x30, 0x00]))
                .unwrap()
                .0
                .contains("certificate")
        );
        let one_line = pem("PRIVATE KEY", &pkcs8(RSA_OID)).replace('\n', "\\n");
        assert!(pem_problem(&one_line).unwrap().0.contains("literal"));
        let cut = pem("PRIVATE KEY", &pkcs8(RSA_OID));
        assert!(
            pem_problem(&cut[..cut.len() - 20])
                .unwrap()
                .0
                .contains("truncated")
        );
        assert!(
            pem_problem("MIIEowIBAAKCAQEA")
                .unwrap()
                .0
                .contains("no -----BEGIN")
        );
        let enc = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMAA=\n-----END RSA PRIVATE KEY-----\n";
        assert!(pem_problem(enc).unwrap().0.contains("encrypted"));
        assert!(pem_problem(&pem("RSA PRIVATE KEY", &[0x30, 0x03])).is_some());
        let folded = pem("PRIVATE KEY", &pkcs8(RSA_OID)).replace('\n', " ");
        assert!(pem_problem(&folded).unwrap().0.contains("joined"));
        let crlf = pem("PRIVATE KEY", &pkcs8(RSA_OID)).replace('\n', "\r\n");
        assert_eq!(pem_problem(&crlf), None);
    }
}

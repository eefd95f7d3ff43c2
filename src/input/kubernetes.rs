//! Kubernetes manifests: workloads whose container runs Atlantis, with the Secrets and
//! ConfigMaps of the same input. Also the output of `helm template` and `kustomize build`.

use super::kind::{Kind, Probe};

pub static KIND: Kind = Kind {
    name: "kubernetes",
    what: "a Kubernetes manifest",
    detect,
    holds_atlantis,
    read: None,
    unread: "atlantis-lint cannot read Kubernetes manifests yet",
};

/// Any document whose root mapping has `apiVersion` and `kind`.
fn detect(probe: &Probe) -> bool {
    probe
        .top_keys()
        .iter()
        .any(|keys| keys.iter().any(|k| k == "apiVersion") && keys.iter().any(|k| k == "kind"))
}

fn holds_atlantis(probe: &Probe) -> bool {
    probe.text.contains("atlantis") || probe.text.contains("ATLANTIS_")
}

use super::Context;
use crate::finding::{Finding, RuleInfo, Severity};
use crate::flags;

pub static RULE: RuleInfo = RuleInfo {
    id: "redis-cluster-conflict",
    severity: Severity::Error,
    summary: "redis-cluster-addresses together with redis-host, a non-default redis-port or redis-db",
    suppressible: false,
    docs: r#"## What it checks
With `redis-cluster-addresses` set, Atlantis talks to a Redis Cluster and refuses the
single-node settings: `redis-host`, a `redis-port` other than 6379, a `redis-db` other than 0.

## Why it matters
Atlantis refuses to start with one of:
- `--redis-cluster-addresses cannot be combined with --redis-host`
- `--redis-cluster-addresses cannot be combined with --redis-port`
- `--redis-db is not supported in cluster mode (Redis Cluster ignores the DB parameter)`

## Example
```yaml
locking-db-type: redis
redis-cluster-addresses: redis-0.redis:6379,redis-1.redis:6379
redis-host: redis.atlantis.svc
```

## Fix
Remove the single-node settings; put each node's port into `redis-cluster-addresses`.
"#,
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    let cfg = ctx.cfg;
    if !cfg.is_set(flags::REDIS_CLUSTER_ADDRESSES) {
        return;
    }
    let cluster = cfg.location(flags::REDIS_CLUSTER_ADDRESSES);
    let mut conflict = |flag: flags::FlagId, message: String, atlantis: &str| {
        out.push(
            Finding::new(&RULE, cfg.location(flag), message)
                .key(flag)
                .label("not used with a Redis Cluster")
                .related(cluster.clone(), "cluster mode set here")
                .help(format!(
                    "remove {flag}; Atlantis refuses to start with: {atlantis}"
                )),
        );
    };
    if cfg.is_set(flags::REDIS_HOST) {
        conflict(
            flags::REDIS_HOST,
            "redis-host cannot be combined with redis-cluster-addresses".into(),
            "--redis-cluster-addresses cannot be combined with --redis-host",
        );
    }
    let port = cfg.int(flags::REDIS_PORT);
    if port != 6379 {
        conflict(
            flags::REDIS_PORT,
            format!("redis-port {port} cannot be combined with redis-cluster-addresses"),
            "--redis-cluster-addresses cannot be combined with --redis-port",
        );
    }
    let db = cfg.int(flags::REDIS_DB);
    if db != 0 {
        conflict(
            flags::REDIS_DB,
            format!("redis-db {db} is not supported with redis-cluster-addresses"),
            "--redis-db is not supported in cluster mode (Redis Cluster ignores the DB parameter)",
        );
    }
}

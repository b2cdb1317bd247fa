//! Writes a synthetic GitOps repository of a trading platform: S services ×
//! E environments, each `services/<svc>/overlays/<env>` a root over the
//! service's base, every base over one shared `platform/base`. The overlays
//! use the example's features: namespace, name prefix or suffix, labels,
//! annotations, image tags and a digest, replicas, generator merges, Secret
//! generators, strategic-merge and JSON 6902 patches, by name and by label
//! selector. Used by the render tests and the benchmarks.
//!
//! `cargo run --example synthetic_repo -- OUTDIR [SERVICES] [ENVIRONMENTS]`

use std::path::Path;

const ENVIRONMENTS: [&str; 8] = [
    "dev", "test", "staging", "prod", "perf", "dr", "qa", "sandbox",
];

const SERVICE_NAMES: [&str; 12] = [
    "gateway",
    "order",
    "payment",
    "ledger",
    "risk",
    "pricing",
    "quote",
    "matching",
    "settlement",
    "custody",
    "market-data",
    "reporting",
];

/// The name of service `i`: a trading-platform word, numbered past the first dozen.
pub fn service_name(i: usize) -> String {
    let word = SERVICE_NAMES[i % SERVICE_NAMES.len()];
    match i / SERVICE_NAMES.len() {
        0 => word.to_string(),
        n => format!("{word}-{n}"),
    }
}

/// Writes the repository under `root`; returns the root kustomization
/// directories, relative to `root`.
pub fn write_repo(
    root: &Path,
    services: usize,
    environments: usize,
) -> std::io::Result<Vec<String>> {
    assert!(
        environments <= ENVIRONMENTS.len(),
        "at most {} environments",
        ENVIRONMENTS.len()
    );
    write(
        root,
        "platform/base/kustomization.yaml",
        PLATFORM_KUSTOMIZATION,
    )?;
    write(root, "platform/base/networkpolicy.yaml", PLATFORM_POLICY)?;
    let mut roots = Vec::new();
    for i in 0..services {
        let name = service_name(i);
        write_base(root, &name, i)?;
        for (e, env) in ENVIRONMENTS.iter().take(environments).enumerate() {
            write_overlay(root, &name, i, env, e)?;
            roots.push(format!("services/{name}/overlays/{env}"));
        }
    }
    Ok(roots)
}

fn write(root: &Path, relative: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("a file path has a parent"))?;
    std::fs::write(path, text)
}

const PLATFORM_KUSTOMIZATION: &str = "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - networkpolicy.yaml
configMapGenerator:
  - name: platform-settings
    literals:
      - CLUSTER_DOMAIN=cluster.local
      - TRACING_ENDPOINT=http://otel-collector:4317
";

const PLATFORM_POLICY: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
";

fn write_base(root: &Path, name: &str, i: usize) -> std::io::Result<()> {
    let dir = format!("services/{name}/base");
    let scaler = if i.is_multiple_of(2) {
        "hpa.yaml"
    } else {
        "pdb.yaml"
    };
    write(
        root,
        &format!("{dir}/kustomization.yaml"),
        &format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../platform/base
  - deployment.yaml
  - service.yaml
  - serviceaccount.yaml
  - {scaler}
labels:
  - pairs:
      app.kubernetes.io/name: {name}
      app.kubernetes.io/part-of: trading
    includeSelectors: true
configMapGenerator:
  - name: {name}-config
    literals:
      - LOG_LEVEL=info
      - PORT=8080
      - UPSTREAM=http://gateway:8080
"
        ),
    )?;
    write(
        root,
        &format!("{dir}/deployment.yaml"),
        &format!(
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    tier: {tier}
spec:
  replicas: 2
  template:
    metadata:
      labels:
        tier: {tier}
    spec:
      serviceAccountName: {name}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: {name}
          image: registry.example.com/trading/{name}:1.0.0
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: {name}-config
            - configMapRef:
                name: platform-settings
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {name}-secrets
                  key: DB_PASSWORD
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: \"1\"
              memory: 512Mi
          volumeMounts:
            - name: config
              mountPath: /etc/{name}
      volumes:
        - name: config
          configMap:
            name: {name}-config
",
            tier = if i.is_multiple_of(3) { "edge" } else { "core" }
        ),
    )?;
    write(
        root,
        &format!("{dir}/service.yaml"),
        &format!(
            "apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  ports:
    - name: http
      port: 80
      targetPort: http
"
        ),
    )?;
    write(
        root,
        &format!("{dir}/serviceaccount.yaml"),
        &format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n"),
    )?;
    if i.is_multiple_of(2) {
        write(
            root,
            &format!("{dir}/hpa.yaml"),
            &format!(
                "apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
"
            ),
        )
    } else {
        write(
            root,
            &format!("{dir}/pdb.yaml"),
            &format!(
                "apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
"
            ),
        )
    }
}

fn write_overlay(root: &Path, name: &str, i: usize, env: &str, e: usize) -> std::io::Result<()> {
    let dir = format!("services/{name}/overlays/{env}");
    let prod = env == "prod";
    // Even environments prefix names, odd ones suffix them.
    let naming = if e.is_multiple_of(2) {
        format!("namePrefix: {env}-")
    } else {
        format!("nameSuffix: -{env}")
    };
    let image = if prod {
        format!(
            "    digest: sha256:{:064x}",
            (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15
        )
    } else {
        format!("    newTag: 1.{e}.{i}")
    };
    let replicas = if prod { 3 + i % 3 } else { 1 + e % 2 };
    write(
        root,
        &format!("{dir}/kustomization.yaml"),
        &format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: trading-{env}
{naming}
labels:
  - pairs:
      environment: {env}
    includeSelectors: false
  - pairs:
      app.kubernetes.io/instance: {name}-{env}
    includeTemplates: true
commonAnnotations:
  trading.example.com/team: platform
  trading.example.com/oncall: \"#trading-{env}\"
resources:
  - ../../base
images:
  - name: registry.example.com/trading/{name}
{image}
replicas:
  - name: {name}
    count: {replicas}
configMapGenerator:
  - name: {name}-config
    behavior: merge
    literals:
      - LOG_LEVEL={level}
      - ENVIRONMENT={env}
secretGenerator:
  - name: {name}-secrets
    literals:
      - DB_PASSWORD=fake-{env}-{i}
patches:
  - path: resources.yaml
  - target:
      kind: Deployment
      name: {name}
    patch: |-
      - op: add
        path: /spec/template/spec/containers/0/env/-
        value:
          name: REGION
          value: eu-west-{e}
  - target:
      kind: Deployment
      labelSelector: tier=edge
    patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: any
      spec:
        template:
          metadata:
            annotations:
              trading.example.com/exposure: public
",
            level = if prod { "warn" } else { "debug" }
        ),
    )?;
    write(
        root,
        &format!("{dir}/resources.yaml"),
        &format!(
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
        - name: {name}
          resources:
            requests:
              cpu: {cpu}m
              memory: {memory}Mi
",
            cpu = 100 * (1 + e % 4),
            memory = 128 * (1 + e % 4)
        ),
    )
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: synthetic_repo OUTDIR [SERVICES=12] [ENVIRONMENTS=3]";
    let Some(out) = args.first() else {
        eprintln!("{usage}");
        return std::process::ExitCode::from(2);
    };
    let number = |i: usize, default: usize| args.get(i).map_or(Ok(default), |a| a.parse::<usize>());
    let (Ok(services), Ok(environments)) = (number(1, 12), number(2, 3)) else {
        eprintln!("{usage}");
        return std::process::ExitCode::from(2);
    };
    if environments > ENVIRONMENTS.len() {
        eprintln!("at most {} environments", ENVIRONMENTS.len());
        return std::process::ExitCode::from(2);
    }
    match write_repo(Path::new(out), services, environments) {
        Ok(roots) => {
            println!("{} roots under {out}", roots.len());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Error: {out}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

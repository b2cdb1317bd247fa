//! Writes synthetic GitOps repositories of a trading platform, for the render
//! tests and the benchmarks (`benches/compare`). Two layouts:
//!
//! - **S services × E environments**: each `services/<svc>/overlays/<env>` a
//!   root over the service's base, every base over one shared
//!   `platform/base`, every overlay with the shared `components/observability`.
//! - **one overlay** (`overlays/prod`) over S service bases, like the
//!   example's overlays; or sized to exactly N resources in its output.
//!
//! The overlays use the example's features: namespace, name prefix or
//! suffix, labels, annotations, image tags and digests, replicas, generator
//! merges, Secret generators, strategic-merge and JSON 6902 patches by name
//! and by label selector, a component (a sidecar patched into every
//! Deployment, with its generated ConfigMap) and replacements (image tags
//! into env vars, Service names into ConfigMaps).
//!
//! ```text
//! cargo run --example synthetic_repo -- OUTDIR [SERVICES=12] [ENVIRONMENTS=3]
//! cargo run --example synthetic_repo -- --overlay OUTDIR SERVICES
//! cargo run --example synthetic_repo -- --resources OUTDIR N
//! ```

use std::fmt::Write as _;
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

/// In the one-overlay layout, the services the overlay configures one by
/// one (images, replicas, generators, patches, replacements). The others get
/// only the overlay-wide transformations, so the work grows linearly with
/// the number of services, as in a real large application.
const CONFIGURED_SERVICES: usize = 12;

/// The name of service `i`: a trading-platform word, numbered past the first dozen.
pub fn service_name(i: usize) -> String {
    let word = SERVICE_NAMES[i % SERVICE_NAMES.len()];
    match i / SERVICE_NAMES.len() {
        0 => word.to_string(),
        n => format!("{word}-{n}"),
    }
}

/// Writes the S × E repository under `root`; returns the root kustomization
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
    write_platform(root)?;
    write_component(root)?;
    let mut roots = Vec::new();
    for i in 0..services {
        let name = service_name(i);
        write_base(
            root,
            &format!("services/{name}/base"),
            &name,
            i,
            Some("../../../platform/base"),
        )?;
        for (e, env) in ENVIRONMENTS.iter().take(environments).enumerate() {
            write_overlay(root, &name, i, env, e)?;
            roots.push(format!("services/{name}/overlays/{env}"));
        }
    }
    Ok(roots)
}

/// Objects in the output of the one-overlay layout over `services` services:
/// five per service (Deployment, Service, ServiceAccount, HPA or PDB, its
/// ConfigMap), a Secret per configured service, and four shared (the
/// platform's NetworkPolicy and ConfigMap, the component's ConfigMap, a
/// common Secret).
pub fn overlay_resources(services: usize) -> usize {
    5 * services + services.min(CONFIGURED_SERVICES) + 4
}

/// Writes the one-overlay layout over `services` services, plus `padding`
/// plain ConfigMaps in the overlay; returns the root (`overlays/prod`).
pub fn write_overlay_repo(root: &Path, services: usize, padding: usize) -> std::io::Result<String> {
    write_platform(root)?;
    write_component(root)?;
    for i in 0..services {
        let name = service_name(i);
        write_base(root, &format!("bases/{name}"), &name, i, None)?;
    }
    write_prod_overlay(root, services, padding)?;
    Ok("overlays/prod".to_string())
}

/// Writes a one-overlay repository whose output has exactly `resources`
/// objects (at least `overlay_resources(CONFIGURED_SERVICES)`); returns the root.
pub fn write_application(root: &Path, resources: usize) -> std::io::Result<String> {
    let minimum = overlay_resources(CONFIGURED_SERVICES);
    if resources < minimum {
        return Err(std::io::Error::other(format!(
            "at least {minimum} resources"
        )));
    }
    let fixed = CONFIGURED_SERVICES + 4;
    let services = (resources - fixed) / 5;
    let padding = (resources - fixed) % 5;
    debug_assert_eq!(overlay_resources(services) + padding, resources);
    write_overlay_repo(root, services, padding)
}

fn write(root: &Path, relative: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("a file path has a parent"))?;
    std::fs::write(path, text)
}

fn write_platform(root: &Path) -> std::io::Result<()> {
    write(
        root,
        "platform/base/kustomization.yaml",
        PLATFORM_KUSTOMIZATION,
    )?;
    write(root, "platform/base/networkpolicy.yaml", PLATFORM_POLICY)
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

fn write_component(root: &Path) -> std::io::Result<()> {
    write(
        root,
        "components/observability/kustomization.yaml",
        COMPONENT_KUSTOMIZATION,
    )?;
    write(
        root,
        "components/observability/sidecar.yaml",
        COMPONENT_SIDECAR,
    )
}

const COMPONENT_KUSTOMIZATION: &str = "\
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
configMapGenerator:
  - name: otel-agent-config
    literals:
      - EXPORTER=otlp
      - ENDPOINT=otel-collector.observability:4317
patches:
  - path: sidecar.yaml
    target:
      kind: Deployment
      labelSelector: app.kubernetes.io/part-of=trading
";

const COMPONENT_SIDECAR: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: any-service
spec:
  template:
    metadata:
      annotations:
        prometheus.io/scrape: \"true\"
        prometheus.io/port: \"9464\"
    spec:
      containers:
        - name: otel-agent
          image: otel/opentelemetry-collector:0.102.1
          ports:
            - name: otel-metrics
              containerPort: 9464
          resources:
            requests:
              cpu: 20m
              memory: 64Mi
          volumeMounts:
            - name: otel-agent-config
              mountPath: /etc/otel-agent
              readOnly: true
      volumes:
        - name: otel-agent-config
          configMap:
            name: otel-agent-config
";

/// A service's base in `dir`; over the platform base when `platform` (its
/// path relative to `dir`) is given.
fn write_base(
    root: &Path,
    dir: &str,
    name: &str,
    i: usize,
    platform: Option<&str>,
) -> std::io::Result<()> {
    let scaler = if i.is_multiple_of(2) {
        "hpa.yaml"
    } else {
        "pdb.yaml"
    };
    let platform = platform.map_or(String::new(), |path| format!("  - {path}\n"));
    write(
        root,
        &format!("{dir}/kustomization.yaml"),
        &format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
{platform}  - deployment.yaml
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
      - SELF_HOST=localhost
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
            - name: APP_VERSION
              value: unknown
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

/// A made-up image digest for service `i`.
fn digest(i: usize) -> String {
    format!("sha256:{:064x}", (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15)
}

/// The image override of service `i`: a digest for every third, else a tag.
fn image_override(i: usize, tag: &str) -> String {
    if i.is_multiple_of(3) {
        format!("    digest: {}", digest(i))
    } else {
        format!("    newTag: {tag}")
    }
}

/// Replacements of service `name`: its image tag (or digest) into its
/// APP_VERSION, its Service's final name into its ConfigMap's SELF_HOST.
fn replacements(name: &str, indent: &str) -> String {
    let text = format!(
        "- source:
    kind: Deployment
    name: {name}
    fieldPath: spec.template.spec.containers.[name={name}].image
    options: {{delimiter: ':', index: 1}}
  targets:
    - select: {{kind: Deployment, name: {name}}}
      fieldPaths:
        - spec.template.spec.containers.[name={name}].env.[name=APP_VERSION].value
- source: {{kind: Service, name: {name}}}
  targets:
    - select: {{kind: ConfigMap, name: {name}-config}}
      fieldPaths:
        - data.SELF_HOST
"
    );
    text.lines().fold(String::new(), |mut out, line| {
        writeln!(out, "{indent}{line}").unwrap();
        out
    })
}

/// A strategic-merge patch of service `name`'s container resources.
fn resources_patch(name: &str, e: usize) -> String {
    format!(
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
    )
}

const EDGE_PATCH: &str = "  - target:
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
";

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
        format!("    digest: {}", digest(i))
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
components:
  - ../../../../components/observability
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
replacements:
{replacements}patches:
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
{EDGE_PATCH}",
            level = if prod { "warn" } else { "debug" },
            replacements = replacements(name, "  "),
        ),
    )?;
    write(
        root,
        &format!("{dir}/resources.yaml"),
        &resources_patch(name, e),
    )
}

/// `overlays/prod` over `services` bases (and `padding` plain ConfigMaps):
/// overlay-wide transformations for all, per-service configuration for the
/// first `CONFIGURED_SERVICES`.
fn write_prod_overlay(root: &Path, services: usize, padding: usize) -> std::io::Result<()> {
    let configured: Vec<String> = (0..services.min(CONFIGURED_SERVICES))
        .map(service_name)
        .collect();
    let mut resources = String::from("  - ../../platform/base\n");
    for i in 0..services {
        writeln!(resources, "  - ../../bases/{}", service_name(i)).unwrap();
    }
    if padding > 0 {
        resources.push_str("  - padding.yaml\n");
        let mut text = String::new();
        for k in 0..padding {
            write!(
                text,
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: padding-{k}\ndata:\n  INDEX: \"{k}\"\n"
            )
            .unwrap();
        }
        write(root, "overlays/prod/padding.yaml", &text)?;
    }
    let (mut images, mut replicas, mut configs, mut secrets) =
        (String::new(), String::new(), String::new(), String::new());
    let (mut patches, mut replacement_text) = (String::new(), String::new());
    for (i, name) in configured.iter().enumerate() {
        writeln!(
            images,
            "  - name: registry.example.com/trading/{name}\n{}",
            image_override(i, &format!("2.{i}.0"))
        )
        .unwrap();
        writeln!(replicas, "  - name: {name}\n    count: {}", 3 + i % 3).unwrap();
        write!(
            configs,
            "  - name: {name}-config\n    behavior: merge\n    literals:\n      - LOG_LEVEL=warn\n      - ENVIRONMENT=prod\n"
        )
        .unwrap();
        write!(
            secrets,
            "  - name: {name}-secrets\n    type: Opaque\n    literals:\n      - DB_PASSWORD=not-a-real-password-{i}\n"
        )
        .unwrap();
        if i > 0 {
            patches.push_str("---\n");
        }
        patches.push_str(&resources_patch(name, i));
        replacement_text.push_str(&replacements(name, ""));
    }
    write(root, "overlays/prod/resources.yaml", &patches)?;
    write(root, "overlays/prod/replacements.yaml", &replacement_text)?;
    let first = service_name(0);
    write(
        root,
        "overlays/prod/kustomization.yaml",
        &format!(
            "apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: trading-prod
namePrefix: prod-
labels:
  - pairs:
      environment: prod
    includeSelectors: false
  - pairs:
      trading.example.com/cost-center: cc-4711
    includeTemplates: true
commonAnnotations:
  trading.example.com/team: platform
  trading.example.com/oncall: \"#trading-prod\"
resources:
{resources}components:
  - ../../components/observability
images:
{images}replicas:
{replicas}configMapGenerator:
{configs}secretGenerator:
{secrets}  - name: trading-common-secrets
    type: Opaque
    literals:
      - TELEMETRY_API_KEY=not-a-real-key
patches:
  - path: resources.yaml
  - target:
      group: autoscaling
      version: v2
      kind: HorizontalPodAutoscaler
      name: {first}
    patch: |-
      - op: replace
        path: /spec/minReplicas
        value: 4
      - op: replace
        path: /spec/maxReplicas
        value: 30
{EDGE_PATCH}replacements:
  - path: replacements.yaml
"
        ),
    )
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: synthetic_repo OUTDIR [SERVICES=12] [ENVIRONMENTS=3]\n       \
                 synthetic_repo --overlay OUTDIR SERVICES\n       \
                 synthetic_repo --resources OUTDIR N";
    let fail = |message: &str| {
        eprintln!("{message}");
        std::process::ExitCode::from(2)
    };
    let number = |i: usize, default: Option<usize>| match args.get(i) {
        Some(a) => a.parse::<usize>().ok(),
        None => default,
    };
    let result = match args.first().map(String::as_str) {
        None => return fail(usage),
        Some(mode @ ("--overlay" | "--resources")) => {
            let (Some(out), Some(n)) = (args.get(1), number(2, None)) else {
                return fail(usage);
            };
            let written = if mode == "--overlay" {
                write_overlay_repo(Path::new(out), n, 0)
            } else {
                write_application(Path::new(out), n)
            };
            written.map(|root| format!("{out}/{root}"))
        }
        Some(out) => {
            let (Some(services), Some(environments)) = (number(1, Some(12)), number(2, Some(3)))
            else {
                return fail(usage);
            };
            if environments > ENVIRONMENTS.len() {
                return fail(&format!("at most {} environments", ENVIRONMENTS.len()));
            }
            write_repo(Path::new(out), services, environments)
                .map(|roots| format!("{} roots under {out}", roots.len()))
        }
    };
    match result {
        Ok(summary) => {
            println!("{summary}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

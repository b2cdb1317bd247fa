//! Generates a synthetic GitOps tree: `services` bases (Deployment, Service,
//! ConfigMap generator each) under one overlay with a namespace, a prefix,
//! labels, images, a generator merge and patches (strategic merge by name,
//! JSON 6902 and strategic merge by label selector). Shared by the criterion
//! benchmark and the side-by-side comparison with kustomize.

use std::fmt::Write as _;
use std::path::Path;

pub fn write_tree(root: &Path, services: usize) -> std::io::Result<()> {
    let overlay = root.join("overlay");
    std::fs::create_dir_all(&overlay)?;
    let mut resources = String::new();
    let mut patches = String::new();
    for i in 0..services {
        let name = format!("svc{i:04}");
        let base = root.join("bases").join(&name);
        std::fs::create_dir_all(&base)?;
        std::fs::write(
            base.join("kustomization.yaml"),
            format!(
                "resources: [deployment.yaml, service.yaml]\nconfigMapGenerator:\n- name: {name}-config\n  literals: [LOG_LEVEL=info, PORT=8080]\n"
            ),
        )?;
        std::fs::write(
            base.join("deployment.yaml"),
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels: {{app: {name}, tier: {tier}}}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}, tier: {tier}}}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/shop/app:1.0.0\n        ports:\n        - {{containerPort: 8080, name: http}}\n        envFrom:\n        - configMapRef: {{name: {name}-config}}\n        resources:\n          requests: {{cpu: 100m, memory: 128Mi}}\n      - name: sidecar\n        image: registry.example.com/shop/proxy:2.0.0\n",
                tier = if i % 2 == 0 { "backend" } else { "frontend" }
            ),
        )?;
        std::fs::write(
            base.join("service.yaml"),
            format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector: {{app: {name}}}\n  ports:\n  - {{name: http, port: 80, targetPort: http}}\n"
            ),
        )?;
        writeln!(resources, "- ../bases/{name}").unwrap();
        if i % 4 == 0 {
            write!(
                patches,
                "- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: {name}\n    spec:\n      template:\n        spec:\n          containers:\n          - name: app\n            resources:\n              limits: {{cpu: '1', memory: 1Gi}}\n"
            )
            .unwrap();
        }
    }
    let kustomization = format!(
        "namespace: shop\nnamePrefix: prod-\nlabels:\n- pairs: {{environment: prod}}\n  includeTemplates: true\nimages:\n- name: registry.example.com/shop/app\n  newTag: 1.2.3\nresources:\n{resources}configMapGenerator:\n- name: svc0000-config\n  behavior: merge\n  literals: [LOG_LEVEL=warn]\npatches:\n{patches}- target: {{kind: Deployment, labelSelector: tier=backend}}\n  patch: |-\n    - op: add\n      path: /spec/template/metadata/annotations\n      value: {{tier: backend}}\n- target: {{kind: Deployment, labelSelector: tier=frontend}}\n  patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: any\n    spec:\n      replicas: 3\n"
    );
    std::fs::write(overlay.join("kustomization.yaml"), kustomization)
}

"""The chart at helm/, linted (strict) and rendered by Helm v4's own engine (helm-python-sdk).

No cluster and no helm binary: `Chart.render` runs Helm's template engine offline. Every check
runs for the default values and for helm/ci/production.yaml, a production-like installation.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import pytest
import yaml

CHART = Path(__file__).resolve().parent.parent / "helm"
PRODUCTION = yaml.safe_load((CHART / "ci" / "production.yaml").read_text())
VALUE_SETS = {"defaults": {}, "production": PRODUCTION}
WORKLOADS = {"Deployment", "Job"}


def _render(values: dict[str, Any]) -> list[dict[str, Any]]:
    chart = helm.Chart.load(CHART)
    rendered = chart.render(values, name="berbagi", namespace="berbagi", is_install=True)
    documents: list[dict[str, Any]] = []
    for text in rendered.values():
        documents.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return documents


@pytest.fixture(scope="module", params=sorted(VALUE_SETS))
def manifests(request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    return _render(VALUE_SETS[request.param])


def _of_kind(manifests: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [doc for doc in manifests if doc["kind"] == kind]


def _named(manifests: list[dict[str, Any]], kind: str, suffix: str) -> dict[str, Any]:
    (doc,) = [d for d in _of_kind(manifests, kind) if d["metadata"]["name"].endswith(suffix)]
    return doc


def _pod_specs(manifests: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in manifests:
        if doc["kind"] in WORKLOADS:
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_the_chart_passes_strict_lint(name: str) -> None:
    report = helm.lint(CHART, VALUE_SETS[name], strict=True)
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert report["errors"] == [] and problems == [], report


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_the_values_pass_the_schema(name: str) -> None:
    helm.Chart.load(CHART).validate_schema(VALUE_SETS[name])


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"baseDomain": "https://berbagi.example.go.id"}, "/baseDomain"),
        ({"web": {"workers": "three"}}, "/web/workers"),
        ({"postgresql": {"mode": "rds"}}, "/postgresql/mode"),
        ({"exports": {"backend": "ftp"}}, "/exports/backend"),
        ({"beat": {"replicas": 2}}, "/beat/replicas"),
        ({"containerSecurityContext": {"readOnlyRootFilesystem": False}}, "readOnlyRoot"),
        ({"podSecurityContext": {"runAsNonRoot": False}}, "/podSecurityContext/runAsNonRoot"),
        ({"env": {"SECRET_KEY": "in-the-values-file"}}, "SECRET_KEY"),
        (
            {"web": {"resources": {"requests": {"memory": "lots"}}}},
            "/web/resources/requests/memory",
        ),
        ({"customDomains": {"hosts": [{"host": "Bulungan.go.id/"}]}}, "/customDomains/hosts/0"),
        ({"replicas": 3}, "'replicas' not allowed"),
    ],
)
def test_the_schema_rejects_wrong_values_naming_them(values: dict[str, Any], named: str) -> None:
    with pytest.raises(helm.HelmValuesError) as refused:
        helm.Chart.load(CHART).validate_schema(values)
    assert named in str(refused.value)


def test_every_workload_runs_as_non_root_on_a_read_only_root_filesystem(
    manifests: list[dict[str, Any]],
) -> None:
    for name, pod in _pod_specs(manifests):
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        assert pod["automountServiceAccountToken"] is False, name
        mounted = {m["name"]: m["mountPath"] for c in pod["containers"] for m in c["volumeMounts"]}
        assert mounted.get("tmp") == "/tmp", name
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name


def test_every_container_has_requests_and_a_memory_limit(manifests: list[dict[str, Any]]) -> None:
    for name, pod in _pod_specs(manifests):
        for container in pod["containers"]:
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), name
            assert "memory" in resources["limits"], name


def test_web_probes_use_healthz_and_readyz(manifests: list[dict[str, Any]]) -> None:
    (web,) = _named(manifests, "Deployment", "-web")["spec"]["template"]["spec"]["containers"]
    assert web["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert web["startupProbe"]["httpGet"]["path"] == "/healthz"


def test_exactly_one_beat_that_is_recreated_not_rolled(manifests: list[dict[str, Any]]) -> None:
    beat = _named(manifests, "Deployment", "-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"
    assert not [h for h in _of_kind(manifests, "HorizontalPodAutoscaler") if "beat" in str(h)]


def test_the_migration_job_runs_after_its_config_and_migrates_no_region(
    manifests: list[dict[str, Any]],
) -> None:
    job = _named(manifests, "Job", "-migrate")
    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    weight = int(annotations["helm.sh/hook-weight"])
    # What the Job needs before the release's resources exist is a hook of a lower weight.
    for kind, suffix in (("ConfigMap", "-config"), ("ServiceAccount", "berbagi")):
        needed = _named(manifests, kind, suffix)["metadata"]["annotations"]
        assert "pre-install" in needed["helm.sh/hook"]
        assert int(needed["helm.sh/hook-weight"]) < weight
        assert "hook-succeeded" not in needed["helm.sh/hook-delete-policy"]
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["command"][-2:] == ["platform_prepare", "--skip-regions"]


def test_the_ingress_serves_the_base_domain_and_its_wildcard_with_tls(
    manifests: list[dict[str, Any]],
) -> None:
    ingress = _named(manifests, "Ingress", "-berbagi")
    base = next(d for d in manifests if d["kind"] == "ConfigMap")["data"]["BASE_DOMAIN"]
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts == [base, f"*.{base}"]
    assert ingress["spec"]["tls"][0]["hosts"] == [base, f"*.{base}"]


def test_no_ingress_reaches_the_metrics_port(manifests: list[dict[str, Any]]) -> None:
    service = _named(manifests, "Service", "-web")
    ports = {p["name"]: p for p in service["spec"]["ports"]}
    assert ports["http"]["targetPort"] == "http" and ports["metrics"]["targetPort"] == "metrics"
    for ingress in _of_kind(manifests, "Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert path["backend"]["service"]["port"] == {"name": "http"}, rule["host"]
    (web,) = _named(manifests, "Deployment", "-web")["spec"]["template"]["spec"]["containers"]
    container_ports = {p["name"]: p["containerPort"] for p in web["ports"]}
    assert container_ports["http"] != container_ports["metrics"]


def test_custom_domains_get_their_own_certificates() -> None:
    ingress = _named(_render(PRODUCTION), "Ingress", "-custom-domains")
    hosts = [h["host"] for h in PRODUCTION["customDomains"]["hosts"]]
    assert [rule["host"] for rule in ingress["spec"]["rules"]] == hosts
    assert [tls["hosts"] for tls in ingress["spec"]["tls"]] == [[h] for h in hosts]
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"]


def test_network_policies_deny_by_default_and_web_reaches_only_its_services(
    manifests: list[dict[str, Any]],
) -> None:
    deny = _named(manifests, "NetworkPolicy", "-default-deny")
    assert set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny["spec"] and "egress" not in deny["spec"]
    web = _named(manifests, "NetworkPolicy", "-web")
    egress_ports = {port["port"] for rule in web["spec"]["egress"] for port in rule["ports"]}
    allowed = {53, 5432, 6379, 443}
    extra = {
        p["port"] for rule in PRODUCTION["networkPolicy"]["extraEgress"] for p in rule["ports"]
    }
    assert egress_ports <= allowed | extra
    assert {53, 5432, 6379, 443} <= egress_ports
    sources = [
        rule["from"][0]["namespaceSelector"]["matchLabels"] for rule in web["spec"]["ingress"]
    ]
    assert len(sources) == 2  # the ingress controller (http) and Prometheus (metrics) only


def test_production_egress_is_narrowed_to_the_given_networks() -> None:
    web = _named(_render(PRODUCTION), "NetworkPolicy", "-web")
    by_port = {rule["ports"][0]["port"]: rule for rule in web["spec"]["egress"]}
    assert by_port[6379]["to"] == [{"ipBlock": {"cidr": "10.20.30.0/24"}}]
    assert by_port[5432]["to"][0]["podSelector"]["matchLabels"] == {
        "cnpg.io/cluster": "berbagi-berbagi-pg"
    }


def test_autoscaler_and_disruption_budgets_cover_web_and_worker(
    manifests: list[dict[str, Any]],
) -> None:
    (hpa,) = _of_kind(manifests, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"].endswith("-web")
    budgets = {
        p["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
        for p in _of_kind(manifests, "PodDisruptionBudget")
    }
    assert budgets == {"web", "worker"}


def test_every_pod_reads_the_configmap_and_the_existing_secret(
    manifests: list[dict[str, Any]],
) -> None:
    for name, pod in _pod_specs(manifests):
        for container in pod["containers"]:
            sources = container["envFrom"]
            assert sources[0]["configMapRef"]["name"].endswith("-config"), name
            assert "secretRef" in sources[1], name
    assert not _of_kind(manifests, "Secret")


UNSAFE_POOLERS = [
    {"postgresql": {"pooler": {"mode": "transaction"}}},
    {
        "postgresql": {
            "majorVersion": 17,
            "pooler": {"mode": "transaction", "tracksSearchPath": True},
        }
    },
    {
        "postgresql": {
            "mode": "cloudnativepg",
            "pooler": {"mode": "transaction", "tracksSearchPath": False},
            "cloudnativepg": {"pooler": {"enabled": True}},
        }
    },
]


@pytest.mark.parametrize("values", UNSAFE_POOLERS)
def test_transaction_pooling_without_search_path_tracking_fails_to_render(
    values: dict[str, Any],
) -> None:
    with pytest.raises(helm.HelmRenderError) as refused:
        _render(values)
    assert "search_path" in str(refused.value)


def test_transaction_pooling_renders_on_postgresql_18_with_search_path_tracked() -> None:
    values = {
        "postgresql": {
            "mode": "cloudnativepg",
            "majorVersion": 18,
            "pooler": {"mode": "transaction", "tracksSearchPath": True},
            "cloudnativepg": {"pooler": {"enabled": True}},
        }
    }
    pooler = _named(_render(values), "Pooler", "-pooler")
    assert pooler["spec"]["pgbouncer"]["poolMode"] == "transaction"
    assert pooler["spec"]["pgbouncer"]["parameters"]["track_extra_parameters"] == "search_path"

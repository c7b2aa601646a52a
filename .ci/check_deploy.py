#!/usr/bin/env python3
"""Asserts the wiring of the deployment files, as rendered: docker-compose.yml (after `docker-compose config`),
the Helm chart (after `helm template`, with several value sets) and the Dockerfiles.

Usage: check_deploy.py --repo ROOT --compose RESOLVED.yml --helm-default A.yaml --helm-scaled B.yaml
                       --helm-fixed C.yaml
Prints one line per failed check and a closing "checks: N passed, M failed"; exits 1 on any failure.
"""
import argparse
import base64
import re
import sys
from pathlib import Path

import yaml

# name -> (HTTP port, SIP port or None), as in ARCHITECTURE.md
SERVICES = {
    "location-service": (8081, None),
    "registrar-service": (8082, 5070),
    "proxy-service": (8083, 5080),
    "redirect-service": (8084, 5090),
    "gateway": (8080, 5060),
}
HELM_COMPONENT = {"location-service": "location", "registrar-service": "registrar", "proxy-service": "proxy",
                  "redirect-service": "redirect", "gateway": "gateway"}


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = []
        self.scope = ""

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failed.append(f"[{self.scope}] {message}")
        return condition


def load_all(path):
    return [d for d in yaml.safe_load_all(Path(path).read_text()) if d]


# ---------------------------------------------------------------------------------------------------------
# Dockerfiles
# ---------------------------------------------------------------------------------------------------------
def check_dockerfiles(c, repo):
    """docker/Dockerfile, the one template: a shared build and runtime, one stage per service with its ports."""
    c.scope = "docker/Dockerfile"
    path = repo / "docker" / "Dockerfile"
    if not c.check(path.is_file(), "exists"):
        return
    text = path.read_text()
    others = sorted(str(p.relative_to(repo)) for p in repo.glob("*/Dockerfile") if p.resolve() != path.resolve())
    c.check(not others, f"no per-service Dockerfile beside the template: {others}")
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    bases = [f for f in froms if f != "service"]
    c.check(len(froms) >= 2, f"multi-stage (found {len(froms)} FROM)")
    c.check(all(":" in f and not f.endswith(":latest") for f in bases), f"base images pinned by tag: {bases}")
    c.check(re.search(r'-pl "\$SERVICE" -am', text) is not None, "builds the SERVICE module with -pl … -am")
    c.check("extract --layers" in text, "extracts the Spring Boot layers")
    classifier = re.search(r"<classifier>(\w+)</classifier>", (repo / "pom.xml").read_text())
    if classifier:  # the executable jar is the classified one; the plain jar is not runnable
        c.check(f"-{classifier[1]}.jar extract" in text, f"extracts the executable -{classifier[1]}.jar")
    user = re.findall(r"^USER\s+(\S+)", text, re.M)
    c.check(bool(user) and not user[-1].startswith(("root", "0")), f"runs as a non-root user: {user}")
    c.check(re.search(r"^HEALTHCHECK .*CMD", text, re.M) is not None, "has a HEALTHCHECK")
    stages = {m[1]: m[2] for m in re.finditer(r"^FROM\s+service\s+AS\s+(\S+)\n(.*?)(?=^FROM |\Z)", text, re.M | re.S)}
    for name, (http, sip) in SERVICES.items():
        c.scope = f"docker/Dockerfile:{name}"
        stage = stages.get(name)
        if not c.check(stage is not None, "has a stage FROM service AS " + name):
            continue
        exposed = set(" ".join(re.findall(r"^EXPOSE\s+(.+)$", stage, re.M)).split())
        c.check(f"{http}/tcp" in exposed, f"EXPOSEs HTTP {http}/tcp: {sorted(exposed)}")
        if sip:
            c.check({f"{sip}/udp", f"{sip}/tcp"} <= exposed, f"EXPOSEs SIP {sip} udp+tcp: {sorted(exposed)}")
            c.check(re.search(rf"SIP_PORT={sip}\b", stage) is not None, f"SIP_PORT={sip}")
        c.check(re.search(rf"SERVER_PORT={http}\b", stage) is not None, f"SERVER_PORT={http}")
    c.scope = "docker"
    for script in ("entrypoint.sh", "healthcheck.sh"):
        c.check((repo / "docker" / script).is_file(), f"docker/{script} exists")


# ---------------------------------------------------------------------------------------------------------
# docker-compose.yml (resolved by `docker-compose config`)
# ---------------------------------------------------------------------------------------------------------
def published(service):
    result = set()
    for p in service.get("ports", []):
        if isinstance(p, dict):
            result.add((int(p["published"]), int(p["target"]), p.get("protocol", "tcp")))
        else:
            m = re.match(r"(?:[\d.]+:)?(\d+):(\d+)(?:/(\w+))?$", str(p))
            if m:
                result.add((int(m[1]), int(m[2]), m[3] or "tcp"))
    return result


def env_of(service):
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def check_compose(c, path, repo):
    c.scope = "compose"
    doc = yaml.safe_load(Path(path).read_text())
    services = doc.get("services", {})
    c.check(set(services) == set(SERVICES) | {"redis"}, f"services: {sorted(services)}")

    redis = services.get("redis", {})
    command = redis.get("command", [])
    command = command if isinstance(command, list) else command.split()
    c.check("--appendonly" in command and command[command.index("--appendonly") + 1] == "yes",
            f"redis runs with AOF: {command}")
    volumes = redis.get("volumes", [])
    c.check(any((v.get("target") if isinstance(v, dict) else str(v).split(":")[1]) == "/data" and
                (v.get("type", "volume") if isinstance(v, dict) else "volume") == "volume" for v in volumes),
            f"redis keeps /data on a named volume: {volumes}")
    c.check("redis-data" in (doc.get("volumes") or {}), "volume redis-data declared")

    for name, service in services.items():
        c.scope = f"compose:{name}"
        hc = service.get("healthcheck", {})
        c.check(bool(hc.get("test")) and not hc.get("disable"), "has a healthcheck")
        c.check("container_name" not in service, "no container_name (replicas and re-creation stay possible)")
        if name == "redis":
            continue
        (http, sip) = SERVICES[name]
        env = env_of(service)
        depends = service.get("depends_on", {})
        c.check(isinstance(depends, dict) and depends and
                all(v.get("condition") == "service_healthy" for v in depends.values()),
                f"depends_on with condition service_healthy: {depends}")
        c.check(all(d in services for d in (depends or {})), "depends_on only on defined services")
        build = service.get("build", {})
        dockerfile = Path(build.get("context", ".")) / build.get("dockerfile", "Dockerfile")
        c.check(dockerfile.resolve() == (repo / "docker" / "Dockerfile").resolve()
                and Path(build.get("context", ".")).resolve() == repo.resolve(),
                f"built from docker/Dockerfile with the repository root as context: {dockerfile}")
        c.check(build.get("target") == name and (build.get("args") or {}).get("SERVICE") == name,
                f"builds stage {name} of module {name}: target={build.get('target')}, args={build.get('args')}")
        c.check(env.get("SERVER_PORT") == str(http), f"SERVER_PORT={http}: {env.get('SERVER_PORT')}")
        if sip:
            c.check(env.get("SIP_PORT") == str(sip), f"SIP_PORT={sip}: {env.get('SIP_PORT')}")
            c.check(bool(env.get("SIP_NONCE_SECRET")), "SIP_NONCE_SECRET set")
        for key in ("REDIS_URL", "SIP_DOMAIN", "PLATFORM_API_TOKEN"):
            c.check(bool(env.get(key)), f"{key} set")
        c.check(env.get("REDIS_URL", "").startswith("redis://redis:6379"), "REDIS_URL points at the redis service by default")

    c.scope = "compose:wiring"
    proxy = services.get("proxy-service", {})
    c.check(not proxy.get("ports"), "proxy-service publishes no host port (so --scale works)")
    c.check((proxy.get("deploy") or {}).get("replicas", 1) >= 2, "proxy-service runs 2 replicas by default")
    gw = services.get("gateway", {})
    gp = published(gw)
    c.check({(5060, 5060, "udp"), (5060, 5060, "tcp")} <= gp, f"gateway publishes 5060 udp+tcp: {sorted(gp)}")
    c.check(any(t == 8080 and p == "tcp" for _, t, p in gp), f"gateway publishes HTTP 8080: {sorted(gp)}")
    rp = published(services.get("redirect-service", {}))
    c.check({(5090, 5090, "udp"), (5090, 5090, "tcp")} <= rp, f"redirect publishes 5090 udp+tcp: {sorted(rp)}")
    for name in ("location-service", "registrar-service"):
        c.check(not services.get(name, {}).get("ports"), f"{name} is internal (no host port)")
    genv = env_of(gw)
    c.check(genv.get("PROXY_TARGETS") == "proxy-service:5080", f"PROXY_TARGETS is the proxy DNS name: {genv.get('PROXY_TARGETS')}")
    c.check(genv.get("REGISTRAR_TARGETS") == "registrar-service:5070", f"REGISTRAR_TARGETS: {genv.get('REGISTRAR_TARGETS')}")
    c.check(genv.get("LOCATION_URL") == "http://location-service:8081", f"LOCATION_URL: {genv.get('LOCATION_URL')}")
    c.check("GATEWAY_FLOW_TOKEN_SECRET" in genv, "gateway flow-token secret configurable")
    gw_ip = ((gw.get("networks") or {}).get("siplane") or {}).get("ipv4_address")
    renv = env_of(services.get("registrar-service", {}))
    c.check(gw_ip is not None and genv.get("GATEWAY_INTERNAL_ADDRESS") == gw_ip,
            f"the gateway's internal address is its fixed address: {genv.get('GATEWAY_INTERNAL_ADDRESS')} vs {gw_ip}")
    penv = env_of(services.get("proxy-service", {}))
    for name, env in (("registrar", renv), ("proxy", penv)):
        # the digest lockout counts the phone's address from the gateway's Via, never the gateway's
        c.check(gw_ip is not None and env.get("SIP_TRUSTED_EDGES") == gw_ip,
                f"the {name} trusts the gateway's fixed address: {env.get('SIP_TRUSTED_EDGES')} vs {gw_ip}")
    for dep in ("location-service", "registrar-service", "proxy-service"):
        c.check(dep in (gw.get("depends_on") or {}), f"gateway waits for {dep}")


# ---------------------------------------------------------------------------------------------------------
# Helm (rendered by `helm template`)
# ---------------------------------------------------------------------------------------------------------
class Rendered:
    def __init__(self, path):
        self.docs = load_all(path)

    def of_kind(self, kind):
        return [d for d in self.docs if d.get("kind") == kind]

    def named(self, kind, suffix):
        found = [d for d in self.of_kind(kind) if d["metadata"]["name"].endswith(suffix)]
        return found[0] if len(found) == 1 else None

    def workloads(self):
        return self.of_kind("Deployment") + self.of_kind("StatefulSet")


def matches(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def container_env(container):
    return {e["name"]: e for e in container.get("env", [])}


def check_helm_common(c, r, label):
    c.scope = f"helm:{label}"
    configmap = r.of_kind("ConfigMap")
    c.check(len(configmap) == 1, "one ConfigMap")
    config = configmap[0]["data"] if configmap else {}
    secrets = {s["metadata"]["name"]: s for s in r.of_kind("Secret")}
    workloads = r.workloads()

    # every Service selects exactly one workload, and its target ports exist there with the same protocol
    for svc in r.of_kind("Service"):
        name = svc["metadata"]["name"]
        c.scope = f"helm:{label}:svc/{name}"
        selected = [w for w in workloads if matches(svc["spec"].get("selector"), w["spec"]["template"]["metadata"]["labels"])]
        if not c.check(len(selected) == 1, f"selects exactly one workload (found {len(selected)})"):
            continue
        ports = {(p["name"], p.get("protocol", "TCP")) for ct in selected[0]["spec"]["template"]["spec"]["containers"]
                 for p in ct.get("ports", [])}
        for p in svc["spec"]["ports"]:
            c.check((p["targetPort"], p.get("protocol", "TCP")) in ports,
                    f"targetPort {p['targetPort']}/{p.get('protocol', 'TCP')} exists on the pods")

    for module, (http, sip) in SERVICES.items():
        comp = HELM_COMPONENT[module]
        c.scope = f"helm:{label}:{comp}"
        dep = r.named("Deployment", f"-{comp}")
        if not c.check(dep is not None, "Deployment rendered"):
            continue
        pod = dep["spec"]["template"]["spec"]
        ct = pod["containers"][0]
        c.check(ct["image"].split("/")[-1].split(":")[0] == module, f"image is {module}: {ct['image']}")
        ports = {(p["name"], p["containerPort"], p["protocol"]) for p in ct["ports"]}
        c.check(("http", http, "TCP") in ports, f"HTTP port {http}")
        env = container_env(ct)
        c.check(env.get("SERVER_PORT", {}).get("value") == str(http), "SERVER_PORT matches the http port")
        if sip:
            c.check({("sip-udp", sip, "UDP"), ("sip-tcp", sip, "TCP")} <= ports, f"SIP {sip} udp+tcp ports")
            c.check(env.get("SIP_PORT", {}).get("value") == str(sip), "SIP_PORT matches")
            c.check(env.get("SIP_BIND_ADDRESS", {}).get("value") == "0.0.0.0", "SIP binds all interfaces")
            c.check("SIP_ADVERTISED_ADDRESS" in env, "SIP_ADVERTISED_ADDRESS set")
            ref = env.get("SIP_NONCE_SECRET", {}).get("valueFrom", {}).get("secretKeyRef", {})
            c.check(bool(ref), "SIP_NONCE_SECRET from a Secret")
        ref = env.get("PLATFORM_API_TOKEN", {}).get("valueFrom", {}).get("secretKeyRef", {})
        c.check(bool(ref), "PLATFORM_API_TOKEN from a Secret")
        rendered_secret = secrets.get(ref.get("name"))
        if rendered_secret is not None:
            for key in ("PLATFORM_API_TOKEN", "SIP_NONCE_SECRET"):
                value = base64.b64decode(rendered_secret["data"].get(key, "")).decode()
                c.check(len(value) >= 16, f"Secret key {key} present, 16+ characters")
        from_cm = [e["configMapRef"]["name"] for e in ct.get("envFrom", []) if "configMapRef" in e]
        c.check(configmap and configmap[0]["metadata"]["name"] in from_cm, "environment from the ConfigMap")
        c.check("SIP_DOMAIN" in config, "SIP_DOMAIN in the ConfigMap")
        if module == "gateway":
            # stateless: no Redis settings, so no Redis password in the pod
            c.check(not {"REDIS_URL", "REDIS_PASSWORD"} & (set(config) | set(env)), "gateway gets no Redis settings")
        else:
            c.check("REDIS_URL" in config or "REDIS_URL" in env, "REDIS_URL provided")
        # probes on the actuator groups; the gateway's actuator is on its management port, never on the public one
        actuator = "management" if module == "gateway" else "http"
        if module == "gateway":
            mgmt = [p for p in ct["ports"] if p["name"] == "management"]
            if c.check(len(mgmt) == 1 and mgmt[0]["containerPort"] != http, "gateway management port apart from http"):
                c.check(env.get("MANAGEMENT_SERVER_PORT", {}).get("value") == str(mgmt[0]["containerPort"]),
                        "MANAGEMENT_SERVER_PORT matches the management port")
        for probe, path in (("livenessProbe", "/actuator/health/liveness"),
                            ("readinessProbe", "/actuator/health/readiness"),
                            ("startupProbe", "/actuator/health/liveness")):
            get = ct.get(probe, {}).get("httpGet", {})
            c.check(get.get("path") == path and get.get("port") == actuator, f"{probe} on {actuator} {path}")
        # hardening
        sc, psc = ct.get("securityContext", {}), pod.get("securityContext", {})
        c.check(psc.get("runAsNonRoot") is True, "runAsNonRoot")
        c.check(sc.get("readOnlyRootFilesystem") is True, "read-only root filesystem")
        c.check(sc.get("allowPrivilegeEscalation") is False, "no privilege escalation")
        tmp = [m for m in ct.get("volumeMounts", []) if m["mountPath"] == "/tmp"]
        vols = {v["name"]: v for v in pod.get("volumes", [])}
        c.check(len(tmp) == 1 and "emptyDir" in vols.get(tmp[0]["name"], {}), "/tmp is an emptyDir")
        res = ct.get("resources", {})
        c.check(bool(res.get("requests", {}).get("cpu")) and bool(res.get("limits", {}).get("memory")),
                "CPU request and memory limit set")
        c.check(pod.get("enableServiceLinks") is False, "no service-link environment variables")

    c.scope = f"helm:{label}:wiring"
    proxy_svc = r.named("Service", "-proxy")
    registrar_svc = r.named("Service", "-registrar")
    for svc, sip in ((proxy_svc, 5080), (registrar_svc, 5070)):
        if c.check(svc is not None, "proxy and registrar Services exist"):
            c.check(svc["spec"].get("clusterIP") == "None", f"{svc['metadata']['name']} is headless")
            protos = {(p["port"], p["protocol"]) for p in svc["spec"]["ports"]}
            c.check({(sip, "UDP"), (sip, "TCP")} <= protos, f"{svc['metadata']['name']} has SIP {sip} udp+tcp")
    gw = r.named("Deployment", "-gateway")
    if gw and proxy_svc and registrar_svc:
        env = container_env(gw["spec"]["template"]["spec"]["containers"][0])
        ns = "default"
        c.check(env.get("PROXY_TARGETS", {}).get("value") == f"{proxy_svc['metadata']['name']}.{ns}.svc.cluster.local:5080",
                f"gateway PROXY_TARGETS is the proxy headless Service: {env.get('PROXY_TARGETS')}")
        c.check(env.get("REGISTRAR_TARGETS", {}).get("value") ==
                f"{registrar_svc['metadata']['name']}.{ns}.svc.cluster.local:5070",
                f"gateway REGISTRAR_TARGETS is the registrar headless Service: {env.get('REGISTRAR_TARGETS')}")
        c.check(env.get("GATEWAY_INTERNAL_ADDRESS", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
                == "status.podIP", "gateway internal address is the pod IP")
        flow = env.get("GATEWAY_FLOW_TOKEN_SECRET", {}).get("valueFrom", {}).get("secretKeyRef", {})
        secret = next((s for s in r.of_kind("Secret") if s["metadata"]["name"] == flow.get("name")), None)
        c.check(secret is not None and len(base64.b64decode(secret["data"].get(flow.get("key"), ""))) >= 16,
                "gateway flow-token secret from the Secret, shared by all gateway replicas")
    loc_svc = r.named("Service", "-location")
    if c.check(loc_svc is not None, "location Service exists"):
        c.check(config.get("LOCATION_URL") == f"http://{loc_svc['metadata']['name']}.default.svc.cluster.local:8081",
                f"LOCATION_URL points at the location Service: {config.get('LOCATION_URL')}")
    for proto in ("udp", "tcp"):
        svc = r.named("Service", f"-gateway-sip-{proto}")
        if c.check(svc is not None, f"gateway SIP {proto.upper()} Service exists"):
            ports = svc["spec"]["ports"]
            c.check(len(ports) == 1 and ports[0]["port"] == 5060 and ports[0]["protocol"] == proto.upper(),
                    f"gateway {proto} Service carries only 5060/{proto}")
    gw_http = r.named("Service", "-gateway")
    if c.check(gw_http is not None, "gateway HTTP Service exists"):
        c.check([p["targetPort"] for p in gw_http["spec"]["ports"]] == ["http"], "gateway HTTP Service carries only http")
        c.check("siplane.io/metrics" not in gw_http["metadata"]["labels"], "gateway HTTP Service is not scraped")
    gw_mgmt = r.named("Service", "-gateway-management")
    if c.check(gw_mgmt is not None, "gateway management Service exists"):
        c.check(gw_mgmt["spec"]["type"] == "ClusterIP" and [p["targetPort"] for p in gw_mgmt["spec"]["ports"]] == ["management"],
                "gateway management Service: ClusterIP, management port only")
    check_network_policies(c, r)

    hpa_list = r.of_kind("HorizontalPodAutoscaler")
    pdbs = r.of_kind("PodDisruptionBudget")
    proxy = r.named("Deployment", "-proxy")
    c.check(any(proxy and matches(p["spec"]["selector"]["matchLabels"], proxy["spec"]["template"]["metadata"]["labels"])
                for p in pdbs), "a PodDisruptionBudget covers the proxies")
    for p in pdbs:
        selected = [w for w in workloads if matches(p["spec"]["selector"]["matchLabels"], w["spec"]["template"]["metadata"]["labels"])]
        c.check(len(selected) == 1, f"PDB {p['metadata']['name']} selects one workload")
    return config, hpa_list, proxy


def selected_workloads(r, selector):
    return [w["metadata"]["name"] for w in r.workloads() if matches(selector, w["spec"]["template"]["metadata"]["labels"])]


def peer_workloads(r, peers):
    """Workloads whose pods a rule's pod-selector peers match (ipBlock and namespace peers are reported apart)."""
    names = set()
    for peer in peers:
        if "podSelector" in peer and "namespaceSelector" not in peer:
            names |= set(selected_workloads(r, peer["podSelector"].get("matchLabels", {})))
    return names


def check_network_policies(c, r):
    """Redis only from the store users; registrar/proxy SIP and location HTTP only from the gateway."""
    policies = r.of_kind("NetworkPolicy")
    by_workload = {}
    for np in policies:
        c.check(np["spec"].get("policyTypes") == ["Ingress"], f"{np['metadata']['name']}: an ingress policy")
        for name in selected_workloads(r, np["spec"]["podSelector"]["matchLabels"]):
            by_workload.setdefault(name, []).append(np)
    for w in r.workloads():
        c.check(len(by_workload.get(w["metadata"]["name"], [])) == 1, f"{w['metadata']['name']} is under one NetworkPolicy")

    def workload(kind, suffix):
        w = r.named(kind, suffix)
        return w["metadata"]["name"] if w else None

    gateway = workload("Deployment", "-gateway")
    store_users = {workload("Deployment", f"-{comp}") for comp in ("location", "registrar", "proxy", "redirect")} - {None}

    def rules_for(name):
        return [rule for np in by_workload.get(name, []) for rule in np["spec"].get("ingress", [])]

    def ports_of(rule):
        return {(p["port"], p.get("protocol", "TCP")) for p in rule.get("ports", [])}

    redis = workload("StatefulSet", "-redis")
    if redis:
        rules = rules_for(redis)
        c.check(len(rules) == 1 and ports_of(rules[0]) == {(6379, "TCP")}, "Redis: one rule, 6379/TCP")
        c.check(rules and peer_workloads(r, rules[0].get("from", [])) == store_users
                and all(set(p) == {"podSelector"} for p in rules[0].get("from", [])),
                f"Redis only from the store users {sorted(store_users)}")
    for comp, sip in (("registrar", 5070), ("proxy", 5080)):
        name = workload("Deployment", f"-{comp}")
        sip_rules = [rule for rule in rules_for(name) if ports_of(rule) & {(sip, "UDP"), (sip, "TCP")}]
        c.check(len(sip_rules) == 1 and ports_of(sip_rules[0]) == {(sip, "UDP"), (sip, "TCP")}, f"{comp}: SIP {sip} in one rule")
        c.check(all("from" in rule and peer_workloads(r, rule["from"]) == {gateway} for rule in sip_rules),
                f"{comp}: SIP only from the gateway pods")
        c.check(all(rule.get("from") for rule in rules_for(name)), f"{comp}: no rule open to every source")
    location = workload("Deployment", "-location")
    loc_rules = [rule for rule in rules_for(location) if (8081, "TCP") in ports_of(rule)]
    c.check(loc_rules and all(rule.get("from") for rule in rules_for(location)), "location: no rule open to every source")
    c.check(any(peer_workloads(r, rule.get("from", [])) == {gateway} for rule in loc_rules),
            "location: its HTTP from the gateway pods")
    c.check(all(peer_workloads(r, rule.get("from", [])) <= {gateway} for rule in loc_rules),
            "location: its HTTP from no other workload")


def check_hpa(c, hpa_list, proxy, minimum, maximum, target):
    if not c.check(len(hpa_list) == 1, "one HPA"):
        return
    hpa = hpa_list[0]["spec"]
    ref = hpa["scaleTargetRef"]
    c.check(ref["kind"] == "Deployment" and proxy is not None and ref["name"] == proxy["metadata"]["name"],
            f"HPA scales the proxy Deployment: {ref}")
    c.check(hpa["minReplicas"] == minimum and hpa["maxReplicas"] == maximum, f"HPA {minimum}..{maximum}")
    cpu = [m for m in hpa["metrics"] if m["type"] == "Resource" and m["resource"]["name"] == "cpu"]
    c.check(len(cpu) == 1 and cpu[0]["resource"]["target"]["averageUtilization"] == target, f"HPA CPU target {target}%")
    c.check(proxy is not None and "replicas" not in proxy["spec"], "the HPA alone sets the proxy replica count")


def check_trusted_edges(c, r, registrar, proxy):
    """The registrar and the proxies trust the gateway's Via (sip.trustedEdges, or their own override)."""
    for suffix, expected in (("-registrar", registrar), ("-proxy", proxy)):
        dep = r.named("Deployment", suffix)
        got = dep and container_env(dep["spec"]["template"]["spec"]["containers"][0]).get("SIP_TRUSTED_EDGES", {}).get("value")
        c.check(got == expected, f"{suffix[1:]} SIP_TRUSTED_EDGES: {got} vs {expected}")


def check_helm_default(c, path):
    r = Rendered(path)
    config, hpa_list, proxy = check_helm_common(c, r, "default")
    c.scope = "helm:default"
    check_trusted_edges(c, r, "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8", "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8")
    check_hpa(c, hpa_list, proxy, 2, 10, 70)
    sts = r.named("StatefulSet", "-redis")
    if c.check(sts is not None, "bundled Redis StatefulSet"):
        args = sts["spec"]["template"]["spec"]["containers"][0]["args"]
        c.check(args[args.index("--appendonly") + 1] == "yes", f"Redis AOF on: {args}")
        c.check([v["metadata"]["name"] for v in sts["spec"].get("volumeClaimTemplates", [])] == ["data"],
                "Redis data on a PersistentVolumeClaim")
        redis_svc = r.named("Service", "-redis")
        redis_ct = sts["spec"]["template"]["spec"]["containers"][0]
        redis_env = container_env(redis_ct)
        secret = r.of_kind("Secret")[0]
        password = base64.b64decode(secret["data"].get("REDIS_PASSWORD", "")).decode()
        c.check(len(password) >= 16, "a generated Redis password (16+ characters) in the Secret")
        c.check("--requirepass" in args and args[args.index("--requirepass") + 1] == "$(REDIS_PASSWORD)",
                f"Redis requires the password: {args}")
        for var in ("REDIS_PASSWORD", "REDISCLI_AUTH"):
            ref = redis_env.get(var, {}).get("valueFrom", {}).get("secretKeyRef", {})
            c.check(ref == {"name": secret["metadata"]["name"], "key": "REDIS_PASSWORD"}, f"Redis {var} from the Secret")
        c.check("REDIS_URL" not in config, "REDIS_URL not in the ConfigMap")
        for dep in r.of_kind("Deployment"):
            ct = dep["spec"]["template"]["spec"]["containers"][0]
            if dep["metadata"]["name"].endswith("-gateway"):
                continue
            names = [e["name"] for e in ct.get("env", [])]
            env = container_env(ct)
            ref = env.get("REDIS_PASSWORD", {}).get("valueFrom", {}).get("secretKeyRef", {})
            c.check(ref == {"name": secret["metadata"]["name"], "key": "REDIS_PASSWORD"},
                    f"{dep['metadata']['name']}: REDIS_PASSWORD from the Secret")
            c.check(redis_svc is not None and env.get("REDIS_URL", {}).get("value")
                    == f"redis://:$(REDIS_PASSWORD)@{redis_svc['metadata']['name']}.default.svc.cluster.local:6379",
                    f"{dep['metadata']['name']}: REDIS_URL names the password and the bundled Redis: {env.get('REDIS_URL')}")
            c.check("REDIS_PASSWORD" in names and "REDIS_URL" in names
                    and names.index("REDIS_PASSWORD") < names.index("REDIS_URL"),
                    f"{dep['metadata']['name']}: REDIS_PASSWORD defined before the REDIS_URL that expands it")
    for proto in ("udp", "tcp"):
        svc = r.named("Service", f"-gateway-sip-{proto}")
        c.check(svc and svc["spec"]["type"] == "LoadBalancer" and svc["spec"].get("externalTrafficPolicy") == "Local",
                f"gateway {proto} Service: LoadBalancer, externalTrafficPolicy Local")
    gw = r.named("Deployment", "-gateway")
    c.check(gw and not gw["spec"]["template"]["spec"].get("hostNetwork"), "no hostNetwork by default")
    c.check(not r.of_kind("ServiceMonitor"), "no ServiceMonitor by default")
    secrets = r.of_kind("Secret")
    c.check(len(secrets) == 1 and "REDIS_URL" not in secrets[0]["data"], "Secret without REDIS_URL (bundled Redis)")
    c.check(len(r.of_kind("NetworkPolicy")) == 6, f"NetworkPolicies on by default ({len(r.of_kind('NetworkPolicy'))})")
    c.check(not any(rule.get("from", [{}])[0].get("namespaceSelector") is not None
                    for np in r.of_kind("NetworkPolicy") for rule in np["spec"].get("ingress", [])),
            "no Prometheus rule without the ServiceMonitor")


def check_helm_scaled(c, path):
    r = Rendered(path)
    config, hpa_list, proxy = check_helm_common(c, r, "scaled")
    c.scope = "helm:scaled"
    check_hpa(c, hpa_list, proxy, 3, 20, 60)
    c.check(not r.of_kind("StatefulSet"), "no bundled Redis with redis.enabled=false")
    c.check("REDIS_URL" not in config, "REDIS_URL not in the ConfigMap (it may hold a password)")
    secret = r.of_kind("Secret")[0]
    decoded = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    c.check(decoded.get("REDIS_URL") == "redis://:ci-password@redis.example.internal:6379", "external REDIS_URL in the Secret")
    c.check(decoded.get("PLATFORM_API_TOKEN") == "ci-api-token-0123456789abcdef", "given API token used")
    c.check("REDIS_PASSWORD" not in decoded, "no bundled Redis password with an external Redis")
    for dep in r.of_kind("Deployment"):
        env = container_env(dep["spec"]["template"]["spec"]["containers"][0])
        if dep["metadata"]["name"].endswith("-gateway"):
            continue
        c.check(env.get("REDIS_URL", {}).get("valueFrom", {}).get("secretKeyRef", {}).get("key") == "REDIS_URL",
                f"{dep['metadata']['name']} takes REDIS_URL from the Secret")
    c.check(not any(np["metadata"]["name"].endswith("-redis") for np in r.of_kind("NetworkPolicy")),
            "no Redis NetworkPolicy with an external Redis")
    for comp in ("registrar", "proxy"):
        np = next((p for p in r.of_kind("NetworkPolicy") if p["metadata"]["name"].endswith(f"-{comp}")), None)
        blocks = [peer["ipBlock"]["cidr"] for rule in (np or {}).get("spec", {}).get("ingress", [])
                  for peer in rule.get("from", []) if "ipBlock" in peer]
        c.check(blocks == ["10.0.0.11/32", "10.0.0.12/32"], f"{comp}: SIP also from the hostNetwork gateway nodes: {blocks}")
    for np in r.of_kind("NetworkPolicy"):
        metrics = [rule for rule in np["spec"]["ingress"] if any("namespaceSelector" in p for p in rule.get("from", []))]
        c.check(len(metrics) == 1, f"{np['metadata']['name']}: Prometheus may scrape (serviceMonitor on)")
        gw_np = np["metadata"]["name"].endswith("-gateway")
        if metrics:
            c.check([p["port"] for p in metrics[0]["ports"]] == [8090 if gw_np else
                    {"location": 8081, "registrar": 8082, "proxy": 8083, "redirect": 8084}[np["metadata"]["name"].rsplit("-", 1)[1]]],
                    f"{np['metadata']['name']}: Prometheus only to the actuator port")
        c.check(dep["spec"]["template"]["spec"]["containers"][0]["image"].startswith("registry.example.com/voice/siplane/"),
                "image from the configured registry")
    reg = r.named("Deployment", "-registrar")
    c.check(reg and reg["spec"]["replicas"] == 3, "registrar replicas 3")
    check_trusted_edges(c, r, "10.0.0.11,10.0.0.12", "10.0.0.0/24")
    gw = r.named("Deployment", "-gateway")
    if c.check(gw is not None, "gateway Deployment"):
        spec = gw["spec"]["template"]["spec"]
        c.check(spec.get("hostNetwork") is True and spec.get("dnsPolicy") == "ClusterFirstWithHostNet",
                "gateway on hostNetwork with ClusterFirstWithHostNet")
        c.check(gw["spec"].get("strategy", {}).get("rollingUpdate", {}).get("maxSurge") == 0, "no surge on hostNetwork")
        c.check(gw["spec"]["replicas"] == 2, "gateway replicas 2")
        c.check(container_env(spec["containers"][0])["SIP_ADVERTISED_ADDRESS"].get("value") == "sip.example.com",
                "gateway advertises the configured address")
        c.check(spec.get("nodeSelector") == {"siplane.io/edge": "true"}, "gateway nodeSelector")
    for proto, node_port in (("udp", 30060), ("tcp", 30061)):
        svc = r.named("Service", f"-gateway-sip-{proto}")
        c.check(svc and svc["spec"]["type"] == "NodePort" and svc["spec"]["ports"][0].get("nodePort") == node_port,
                f"gateway {proto} Service NodePort {node_port}")
    redirect_udp = r.named("Service", "-redirect-sip-udp")
    c.check(redirect_udp and redirect_udp["spec"]["type"] == "LoadBalancer"
            and redirect_udp["spec"].get("externalTrafficPolicy") == "Cluster", "redirect UDP Service type configurable")
    sm = r.of_kind("ServiceMonitor")
    if c.check(len(sm) == 1, "ServiceMonitor rendered"):
        spec = sm[0]["spec"]
        c.check(spec["endpoints"][0]["path"] == "/actuator/prometheus", "scrapes /actuator/prometheus")
        c.check(spec["endpoints"][0]["authorization"]["credentials"]["key"] == "PLATFORM_API_TOKEN", "with the API token")
        scraped = [s for s in r.of_kind("Service") if matches(spec["selector"]["matchLabels"], s["metadata"]["labels"])]
        c.check(len(scraped) == 5, f"scrapes the five services' actuator ports ({len(scraped)} Services)")
        c.check(sorted(e["port"] for e in spec["endpoints"]) == ["http", "management"],
                "scrapes the port named http, and the gateway's management port")
        c.check(not any(s["metadata"]["name"].endswith("-gateway") for s in scraped), "not the gateway's public HTTP port")
        c.check(sm[0]["metadata"]["labels"].get("release") == "kube-prometheus-stack", "extra labels applied")
    pdb = [p for p in r.of_kind("PodDisruptionBudget") if p["metadata"]["name"].endswith("-proxy")]
    c.check(pdb and pdb[0]["spec"]["minAvailable"] == 2, "proxy PDB minAvailable 2")


def check_helm_fixed(c, path):
    r = Rendered(path)
    c.scope = "helm:fixed"
    c.check(not r.of_kind("HorizontalPodAutoscaler"), "no HPA when autoscaling is disabled")
    proxy = r.named("Deployment", "-proxy")
    c.check(proxy and proxy["spec"].get("replicas") == 4, "proxy replicas from values")
    c.check(r.named("Deployment", "-redirect") is None and r.named("Service", "-redirect-sip-udp") is None,
            "redirect-service can be disabled")
    c.check(r.named("StatefulSet", "-redis") and
            not r.named("StatefulSet", "-redis")["spec"].get("volumeClaimTemplates"), "Redis without persistence: no PVC")
    c.check(not r.of_kind("NetworkPolicy"), "networkPolicy.enabled=false: no NetworkPolicy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--compose", required=True)
    ap.add_argument("--helm-default", required=True)
    ap.add_argument("--helm-scaled", required=True)
    ap.add_argument("--helm-fixed", required=True)
    args = ap.parse_args()
    c = Checks()
    repo = Path(args.repo).resolve()
    for fn, arg in ((check_dockerfiles, repo), (check_compose, args.compose), (check_helm_default, args.helm_default),
                    (check_helm_scaled, args.helm_scaled), (check_helm_fixed, args.helm_fixed)):
        try:
            if fn is check_compose:
                fn(c, arg, repo)
            else:
                fn(c, arg)
        except Exception as e:  # a crash in one group is a failure, not the end of the report
            c.failed.append(f"[{fn.__name__}] crashed: {type(e).__name__}: {e}")
    for f in c.failed:
        print(f"FAIL {f}")
    print(f"checks: {c.passed} passed, {len(c.failed)} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())

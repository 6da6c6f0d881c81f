#!/usr/bin/env bash
# install-k8s-tools.sh - the offline toolbox for validating k8s/ and deploy/ manifests.
#
# Why this way: no cluster, no Docker and no downloads beyond package registries here,
# so every tool comes from a registry through its ordinary client and is cached under
# $TASKSTREAM_CACHE/k8s-tools (outside the repo; survives between runs):
#   - kustomize    `go install` from the Go module proxy (a Go module)
#   - kubeconform  `go install` from the Go module proxy (a Go module)
#   - schemas      the strict Kubernetes JSON schemas shipped inside the PyPI package
#                  kubernetes-validate, fetched with `pip download` (no install) and
#                  unpacked for one Kubernetes version only.
# Idempotent: a tool already in the cache is not built again. Versions are pinned so
# every machine validates against the same rules.
#
# Usage: install-k8s-tools.sh [--print-env]
#   --print-env  print KUSTOMIZE_BIN=, KUBECONFORM_BIN=, K8S_SCHEMA_DIR= lines (for tests)
set -euo pipefail

KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.8.1}"     # v5.8.3 wants a newer Go than the machine's
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.7.0}"
SCHEMA_PACKAGE_VERSION="${SCHEMA_PACKAGE_VERSION:-1.37.0}" # kubernetes-validate on PyPI
K8S_VERSION="${K8S_VERSION:-1.33.0}"                 # the cluster version we validate for

CACHE="${TASKSTREAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/taskstream}/k8s-tools"
KUSTOMIZE_BIN="$CACHE/kustomize-$KUSTOMIZE_VERSION/kustomize"
KUBECONFORM_BIN="$CACHE/kubeconform-$KUBECONFORM_VERSION/kubeconform"
SCHEMA_ROOT="$CACHE/schemas-$SCHEMA_PACKAGE_VERSION"
K8S_SCHEMA_DIR="$SCHEMA_ROOT/v$K8S_VERSION-local-strict"

log() { printf '[%s k8s-tools] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# go_install BIN MODULE@VERSION - build one Go command into BIN's directory, once.
# The build goes to a temp dir first so a killed build never leaves a half binary.
go_install() {
  local bin="$1" pkg="$2" tmp
  [[ -x "$bin" ]] && return 0
  command -v go >/dev/null || die "go not found (needed to build $pkg)"
  log "building $pkg (once; takes a minute or two)"
  tmp="$(mktemp -d "$CACHE/.gobin.XXXXXX")"
  env GOBIN="$tmp" GOMODCACHE="$CACHE/../go/mod" GOCACHE="$CACHE/../go/build" \
    GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -modcacherw" CGO_ENABLED=0 \
    go install "$pkg" >&2
  mkdir -p "$(dirname "$bin")"
  mv "$tmp/$(basename "$bin")" "$bin"
  rm -rf "$tmp"
}

install_schemas() {
  [[ -f "$K8S_SCHEMA_DIR/_definitions.json" ]] && return 0
  command -v python3 >/dev/null || die "python3 not found (needed for pip download)"
  local tmp wheel
  tmp="$(mktemp -d "$CACHE/.schemas.XXXXXX")"
  log "fetching kubernetes-validate==$SCHEMA_PACKAGE_VERSION for its JSON schemas"
  python3 -m pip download -q --no-deps -d "$tmp" "kubernetes-validate==$SCHEMA_PACKAGE_VERSION" >&2
  wheel="$(ls "$tmp"/*.whl)"
  # Only the one version we need (the wheel has ~20 versions, 700 files each).
  # The schemas name their shared definitions by an https $id ("/api/_definitions.json");
  # kubeconform would try to fetch that. Dropping $id and making the $refs relative lets
  # it resolve them from the same folder, offline.
  python3 - "$wheel" "$tmp/out" "v$K8S_VERSION-local-strict" <<'PY'
import json, os, sys, zipfile
wheel, out, version = sys.argv[1:]
prefix = f"kubernetes_validate/kubernetes-json-schema/{version}/"
os.makedirs(out)
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith(".json")]
    if not names:
        sys.exit(f"no schemas for {version} in {wheel}")
    for name in names:
        schema = json.loads(z.read(name))
        schema.pop("$id", None)
        text = json.dumps(schema).replace('"/api/_definitions.json#', '"_definitions.json#')
        with open(os.path.join(out, name[len(prefix):]), "w") as f:
            f.write(text)
PY
  mkdir -p "$SCHEMA_ROOT"
  rm -rf "$K8S_SCHEMA_DIR"
  mv "$tmp/out" "$K8S_SCHEMA_DIR"
  rm -rf "$tmp"
}

mkdir -p "$CACHE"
go_install "$KUSTOMIZE_BIN" "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
go_install "$KUBECONFORM_BIN" "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
install_schemas

if [[ "${1:-}" == --print-env ]]; then
  printf 'KUSTOMIZE_BIN=%s\nKUBECONFORM_BIN=%s\nK8S_SCHEMA_DIR=%s\n' "$KUSTOMIZE_BIN" "$KUBECONFORM_BIN" "$K8S_SCHEMA_DIR"
fi

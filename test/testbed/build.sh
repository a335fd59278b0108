#!/usr/bin/env bash
# Builds the real Kubernetes control plane and etcd from Go modules (through
# the Go module proxy only) into a cache outside the repo, keyed by versions.
# With the cache present this takes seconds: it only checks the stamp file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

for f in kube/go.mod etcd/go.mod helm/go.mod; do
  case "$f" in
    kube/*) want="k8s.io/kubernetes $KUBERNETES_VERSION" ;;
    etcd/*) want="go.etcd.io/etcd/server/v3 $ETCD_VERSION" ;;
    helm/*) want="helm.sh/helm/v3 $HELM_VERSION" ;;
  esac
  if ! grep -q "$want" "$here/go/$f"; then
    echo "testbed:build: go/$f does not pin '$want' from versions.env; update one to match the other" >&2
    exit 1
  fi
done

if ! command -v go >/dev/null; then
  echo "testbed:build: no Go toolchain on PATH; install Go (1.26 or later) and run again" >&2
  exit 1
fi

cache_root="${SKIFF_TESTBED_CACHE:-$HOME/.cache/skiff-testbed}"
key="k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_helm-${HELM_VERSION}_r${BUILD_RECIPE}"
out="$cache_root/$key/bin"
stamp="$cache_root/$key/.complete"
bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd helm)

all_built() {
  [[ -f "$stamp" ]] || return 1
  for b in "${bins[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}

if all_built; then
  echo "testbed:build: cached in $out"
  exit 0
fi

mkdir -p "$out"
# Only the module proxy: never fetch from version control hosts directly.
export GOPROXY="${GOPROXY:-https://proxy.golang.org}"
# readonly: go.mod and go.sum pin everything; a build never rewrites them.
export GOFLAGS="-mod=readonly -buildvcs=false"
export CGO_ENABLED=0
flags=(-trimpath "-ldflags=-s -w")
start=$SECONDS

echo "testbed:build: etcd $ETCD_VERSION -> $out"
(cd "$here/go/etcd" && go build "${flags[@]}" -o "$out/etcd" go.etcd.io/etcd/server/v3)

echo "testbed:build: helm $HELM_VERSION -> $out"
(cd "$here/go/helm" && go build -trimpath \
  "-ldflags=-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  -o "$out/helm" helm.sh/helm/v3/cmd/helm)

echo "testbed:build: kubernetes $KUBERNETES_VERSION -> $out (several minutes when cold)"
# The version variables that Kubernetes' own release build sets: without them every component
# says v0.0.0-master, and a chart's kubeVersion constraint refuses the cluster.
minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
kube_ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
# One invocation for all four commands so they share one compile of the
# common packages.
(cd "$here/go/kube" && go build -trimpath "-ldflags=$kube_ldflags" -o "$out/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubectl)

touch "$stamp"
echo "testbed:build: done in $((SECONDS - start))s"

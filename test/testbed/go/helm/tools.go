//go:build tools

// Package tools records the helm command as a dependency so that go.mod and go.sum pin it.
package tools

import _ "helm.sh/helm/v3/cmd/helm"

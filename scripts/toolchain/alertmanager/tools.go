//go:build tools

// Package tools pins the Alertmanager release that `npm run toolchain` builds amtool and alertmanager from.
package tools

import (
	_ "github.com/prometheus/alertmanager/cmd/alertmanager"
	_ "github.com/prometheus/alertmanager/cmd/amtool"
)

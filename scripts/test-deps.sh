#!/usr/bin/env bash
# Installs what the tests need and the machine may lack: Debian's chromium
# (UI end-to-end tests; never a downloaded browser), networkx (reads our
# GraphML/GEXF exports in the format tests), and the UI's npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		echo "installing Debian's chromium" >&2
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
	else
		echo "chromium is missing: sudo apt-get install chromium" >&2
	fi
fi

# networkx reads our GraphML/GEXF and recomputes graph/analysis's reference
# values (its PageRank needs scipy); followthemoney checks our FtM export.
for mod in networkx scipy followthemoney; do
	if ! python3 -c "import $mod" 2>/dev/null; then
		echo "installing $mod" >&2
		python3 -m pip install --quiet "$mod" >&2 || python3 -m pip install --quiet --break-system-packages "$mod" >&2
	fi
done

if [ -f ui/package.json ] && [ ! -d ui/node_modules ]; then
	npm --prefix ui ci --no-audit --no-fund >&2
fi

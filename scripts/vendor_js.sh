#!/usr/bin/env bash
# Copy the web app's front-end libraries from the npm registry into the package, so the app never
# loads anything from a CDN. Re-run to update; bump the versions here and in src/biodeals/data/NOTICE.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/biodeals/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent htmx.org@2.0.11 chart.js@4.6.1 cytoscape@3.34.4 swagger-ui-dist@5.35.0 >/dev/null)
for tarball in "$work"/*.tgz; do
    mkdir -p "${tarball%.tgz}" && tar -xzf "$tarball" -C "${tarball%.tgz}"
done
cp "$work"/htmx.org-2.0.11/package/dist/htmx.min.js "$dest/htmx.min.js"
cp "$work"/chart.js-4.6.1/package/dist/chart.umd.min.js "$dest/chart.umd.min.js"
cp "$work"/cytoscape-3.34.4/package/dist/cytoscape.min.js "$dest/cytoscape.min.js"
# the API docs page (/docs) uses Swagger UI from here rather than from a CDN
cp "$work"/swagger-ui-dist-5.35.0/package/swagger-ui-bundle.js "$dest/swagger-ui-bundle.js"
cp "$work"/swagger-ui-dist-5.35.0/package/swagger-ui.css "$dest/swagger-ui.css"
cp "$work"/swagger-ui-dist-5.35.0/package/swagger-ui-bundle.js.LICENSE.txt "$dest/swagger-ui-bundle.js.LICENSE.txt"
ls -l "$dest"

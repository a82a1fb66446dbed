import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { buildOpenApiDocument, type Operation } from '@esign/contracts';
import type { Config } from '@esign/config';
import express, { type Router } from 'express';

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>E-Sign API</title>
<link rel="stylesheet" href="assets/swagger-ui.css">
</head>
<body>
<div id="api-docs"></div>
<script src="assets/swagger-ui-bundle.js"></script>
<script src="docs-init.js"></script>
</body>
</html>
`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#api-docs', deepLinking: true });\n`;

// Everything the page loads comes from this origin: it works offline and under a strict policy.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

/**
 * The public description of the API, unauthenticated: `openapi.json` (built from the same schemas and operation
 * list the routes use, with each operation's availability as served) and a docs page with bundled assets.
 */
export function addOpenApiRoutes(router: Router, config: Config, operations: readonly Operation[]): void {
  const document = JSON.stringify(
    buildOpenApiDocument({
      serverUrl: config.publicUrl,
      basePath: config.apiBasePath,
      tokenUrl: `${config.auth.issuer}/connect/token`,
      operations,
    }),
  );
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').set('Cache-Control', 'public, max-age=300').send(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').set('Content-Security-Policy', CSP).send(DOCS_HTML);
  });
  router.get('/docs-init.js', (_req, res) => {
    res.type('application/javascript').send(DOCS_INIT);
  });
  router.use(
    '/assets',
    express.static(SWAGGER_UI, { index: false, fallthrough: false, immutable: true, maxAge: '1d' }),
  );
}

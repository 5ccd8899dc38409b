// The API docs page: Swagger UI over /openapi.json, started here rather than in an inline
// script, which the Content-Security-Policy (script-src 'self') does not run.
"use strict";

window.biodealsDocs = window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null, // no badge fetched from an outside validator
  presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
});

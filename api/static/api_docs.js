// Starts Swagger UI on /docs (a file, not an inline script: the Content-Security-Policy).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl || "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // never ask validator.swagger.io about our schema
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();

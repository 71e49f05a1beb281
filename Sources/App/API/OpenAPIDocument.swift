import Foundation

/// `GET /openapi.json` (OpenAPI 3.1) and `GET /docs` (Swagger UI over it).
///
/// Written by hand next to the routes rather than generated: the limits in it come from `APILimits`, a
/// router test checks that every route the server answers is in it (and nothing else), and schemathesis
/// checks in CI that the live server answers what it says.
enum OpenAPIDocument {
    static func json(toolVersion: String) -> String {
        #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "IntentOps intent API",
            "version": "\#(toolVersion)",
            "description": "Classifies short texts into intents with the model bundle the server was started with. Errors are always {\"error\": {\"code\", \"message\"}}. Every response carries X-Request-ID (the caller's, when it is 1-128 printable ASCII characters, else a new one)."
          },
          "paths": {
            "\#(PredictRoute.path)": \#(PredictRoute.openAPIPathItem),
            "/v1/model": {
              "get": {
                "operationId": "model",
                "summary": "The serving bundle's manifest: labels, hyperparameters, metrics, training-data fingerprint",
                "responses": {
                  "200": {"description": "The manifest as stored in the bundle.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Manifest"}}}}
                }
              }
            },
            "/healthz": {
              "get": {
                "operationId": "healthz",
                "summary": "Liveness: the process answers",
                "responses": {
                  "200": {"description": "Alive.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}
                }
              }
            },
            "/readyz": {
              "get": {
                "operationId": "readyz",
                "summary": "Readiness: a model is loaded (it is loaded and checked before the server listens)",
                "responses": {
                  "200": {"description": "Ready, with the model serving.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}
                }
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics (text exposition format 0.0.4)",
                "responses": {
                  "200": {"description": "The metrics.", "content": {"text/plain": {"schema": {"type": "string"}}}}
                }
              }
            },
            "/admin/reload": {
              "post": {
                "operationId": "reload",
                "summary": "Reload the model bundle from its directory without downtime",
                "description": "The bundle is read and checked off the request path, then swapped in atomically. A bundle that fails to load is refused (422) and the previous model keeps serving. Admin routes are off (403) unless the server was started with --admin-token-file.",
                "security": [{"adminToken": []}],
                "responses": {
                  "200": {"description": "Reloaded.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reloaded"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "403": {"$ref": "#/components/responses/Forbidden"},
                  "422": {"$ref": "#/components/responses/Unprocessable"}
                }
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}}
              }
            },
            "/docs": {
              "get": {
                "operationId": "docs",
                "summary": "Swagger UI over this document",
                "responses": {"200": {"description": "An HTML page.", "content": {"text/html": {"schema": {"type": "string"}}}}}
              }
            }
          },
          "components": {
            "securitySchemes": {
              "adminToken": {"type": "http", "scheme": "bearer", "description": "The token in the file given to --admin-token-file."}
            },
            "responses": {
              "BadRequest": {"description": "The body is not JSON or not UTF-8, the query string cannot be read (an invalid %XX escape, not UTF-8, a parameter given twice), or a field or parameter has the wrong type.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "TooLarge": {"description": "The body is larger than \#(APILimits.maxBodyBytes) bytes.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Overloaded": {"description": "The server holds as many request bodies or answers as it may now; retry after Retry-After seconds.", "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Unprocessable": {"description": "A field is missing, empty or out of range, or a bundle was refused.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Unauthorized": {"description": "No or wrong bearer token.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Forbidden": {"description": "Admin routes are off.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "schemas": {
              "Text": {
                "type": "string", "minLength": 1, "maxLength": \#(APILimits.maxTextCharacters), "pattern": "\#(BlankText.openAPIPattern)",
                "description": "A sentence in any language; not only white space (Unicode White_Space and U+FEFF). Lengths count Unicode code points."
              },
              "TopK": {"type": "integer", "minimum": 1, "maximum": \#(APILimits.maxTopK), "description": "Alternatives to return (default 1); a model with fewer classes returns all of them."},
              "PredictRequest": {
                "oneOf": [
                  {
                    "title": "One text",
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                      "text": {"$ref": "#/components/schemas/Text"},
                      "top_k": {"$ref": "#/components/schemas/TopK"},
                      "explain": {"type": "boolean", "description": "Add each token's exact contribution to the chosen intent's score."},
                      "texts": false
                    }
                  },
                  {
                    "title": "A batch",
                    "type": "object",
                    "required": ["texts"],
                    "properties": {
                      "texts": {"type": "array", "minItems": 1, "maxItems": \#(APILimits.maxBatch), "items": {"$ref": "#/components/schemas/Text"}},
                      "top_k": {"$ref": "#/components/schemas/TopK"},
                      "explain": {"type": "boolean"},
                      "text": false
                    }
                  }
                ]
              },
              "Scored": {
                "type": "object", "required": ["label", "score"],
                "properties": {"label": {"type": "string"}, "score": {"type": "number"}}
              },
              "ModelRef": {
                "type": "object", "required": ["name", "version"],
                "properties": {"name": {"type": "string"}, "version": {"type": "string"}}
              },
              "Explanation": {
                "type": "object", "required": ["intent", "score", "bias", "tokens", "features"],
                "description": "Why the model answered as it did. An ensemble model is explained by its n-gram member.",
                "properties": {
                  "intent": {"type": "string", "description": "The intent the contributions are for."},
                  "score": {"type": "number", "description": "The chosen class's logit. ngram models: exactly bias plus the sum of the token contributions; lstm-attention models: the contributions are gradient times input, a first-order account."},
                  "bias": {"type": "number"},
                  "tokens": {"type": "array", "items": {"type": "object", "required": ["token", "contribution"], "properties": {"token": {"type": "string"}, "contribution": {"type": "number"}, "attention": {"type": "number", "description": "lstm-attention models: the attention weight of the token (the weights sum to 1)."}}}},
                  "features": {"type": "array", "maxItems": \#(APILimits.maxExplainedFeatures), "description": "ngram models: the strongest n-gram features; empty for lstm-attention models.", "items": {"type": "object", "required": ["feature", "kind", "contribution"], "properties": {"feature": {"type": "string"}, "kind": {"type": "string"}, "contribution": {"type": "number"}}}}
                }
              },
              "PredictionFields": {
                "type": "object",
                "required": ["text", "intent", "labels", "confidence", "unknown", "top_k"],
                "properties": {
                  "text": {"type": "string"},
                  "intent": {"type": "string", "description": "The label set joined with the model's separator, or <unknown> below the confidence threshold."},
                  "labels": {"type": "array", "items": {"type": "string"}},
                  "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                  "unknown": {"type": "boolean"},
                  "top_k": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Scored"}},
                  "explanation": {"$ref": "#/components/schemas/Explanation"}
                }
              },
              "Prediction": {
                "allOf": [
                  {"$ref": "#/components/schemas/PredictionFields"},
                  {"type": "object", "required": ["model"], "properties": {"model": {"$ref": "#/components/schemas/ModelRef"}}}
                ]
              },
              "PredictionBatch": {
                "type": "object", "required": ["predictions", "model"],
                "properties": {
                  "predictions": {"type": "array", "items": {"$ref": "#/components/schemas/PredictionFields"}},
                  "model": {"$ref": "#/components/schemas/ModelRef"}
                }
              },
              "Status": {
                "type": "object", "required": ["status"],
                "properties": {"status": {"type": "string"}, "model": {"$ref": "#/components/schemas/ModelRef"}}
              },
              "Reloaded": {
                "type": "object", "required": ["status", "model", "previous_version"],
                "properties": {"status": {"const": "reloaded"}, "model": {"$ref": "#/components/schemas/ModelRef"}, "previous_version": {"type": "string"}}
              },
              "Manifest": {
                "type": "object",
                "required": ["format_version", "model_kind", "name", "version", "labels", "hyperparameters", "features", "metrics", "training_data", "created_at", "tool_version"],
                "properties": {
                  "format_version": {"type": "integer"},
                  "model_kind": {"type": "string"},
                  "name": {"type": "string"},
                  "version": {"type": "string"},
                  "labels": {"type": "object"},
                  "hyperparameters": {"type": "object"},
                  "features": {"type": "object"},
                  "metrics": {"type": "object"},
                  "training_data": {"type": "object"},
                  "unknown_threshold": {"type": "number"},
                  "created_at": {"type": "string"},
                  "tool_version": {"type": "string"}
                }
              },
              "Error": {
                "type": "object", "required": ["error"],
                "properties": {
                  "error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}
                  }
                }
              }
            }
          }
        }
        """#
    }

    /// The `/docs` page: Swagger UI from `/docs/swagger-ui-bundle.js` and `/docs/swagger-ui.css` when the
    /// server has them (`SwaggerUIAssets`), else the routes listed from `/openapi.json` with how to install
    /// the viewer. Nothing is loaded from another origin either way, so it works offline.
    static func docsPage(viewer: Bool) -> String {
        let head = viewer ? #"<link rel="stylesheet" href="docs/swagger-ui.css">"# : ""
        let viewerScript = viewer ? """
            <script src="docs/swagger-ui-bundle.js"></script>
            <script>
            document.getElementById("fallback").remove();
            window.ui = SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui"});
            </script>
            """ : ""
        let note = viewer ? "" : """
            <p>The interactive viewer is not installed on this server: run <code>scripts/install-swagger-ui.sh DIR</code>
            and start it with <code>--docs-assets DIR</code>. The routes:</p>
            """
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>IntentOps API</title>
            \(head)
            <style>body{margin:0;font-family:system-ui,sans-serif} #fallback{padding:1em 2em}</style>
            </head>
            <body>
            <div id="swagger-ui"></div>
            <div id="fallback">
            <h1>IntentOps API</h1>
            <p>The specification is at <a href="openapi.json">/openapi.json</a>.</p>
            \(note)
            <ul id="routes"></ul>
            <script>
            fetch("openapi.json").then(r => r.json()).then(spec => {
              const list = document.getElementById("routes");
              if (!list) return;
              for (const [path, ops] of Object.entries(spec.paths)) {
                for (const [method, op] of Object.entries(ops)) {
                  const item = document.createElement("li");
                  item.textContent = method.toUpperCase() + " " + path + ": " + (op.summary || "");
                  list.appendChild(item);
                }
              }
            });
            </script>
            </div>
            \(viewerScript)
            </body>
            </html>
            """
    }
}

// Starter handlers written by `fastfn init` (SPEC §16.2): each returns JSON {message, runtime, version, query, wildcard}.

export interface Template {
  runtime: string;
  entry: string;
  code: string;
  extra?: Record<string, string>;
}

export function template(kind: string, name: string): Template | null {
  const msg = `hello from ${name}`;
  switch (kind) {
    case 'node':
      return {
        runtime: 'node',
        entry: 'handler.js',
        code: `// ${name}: a fastfn Node handler. Run \`fastfn dev .\` in the parent folder, then open /${name}.
exports.handler = async (event) => ({
  status: 200,
  body: {
    message: ${JSON.stringify(msg)},
    runtime: 'node',
    version: event.version,
    query: event.query,
    wildcard: event.params.wildcard ?? null,
  },
});
`,
      };
    case 'ts':
      return {
        runtime: 'node',
        entry: 'handler.ts',
        code: `// ${name}: a fastfn TypeScript handler (bundled with esbuild on load; types are not checked at run time).
interface Event {
  version: string;
  query: Record<string, unknown>;
  params: Record<string, string>;
}

export async function handler(event: Event) {
  return {
    status: 200,
    body: { message: ${JSON.stringify(msg)}, runtime: 'node', version: event.version, query: event.query, wildcard: event.params.wildcard ?? null },
  };
}
`,
      };
    case 'python':
      return {
        runtime: 'python',
        entry: 'handler.py',
        code: `# ${name}: a fastfn Python handler. Run \`fastfn dev .\` in the parent folder, then open /${name}.
def handler(event):
    return {
        "status": 200,
        "body": {
            "message": ${JSON.stringify(msg)},
            "runtime": "python",
            "version": event.get("version"),
            "query": event.get("query", {}),
            "wildcard": (event.get("params") or {}).get("wildcard"),
        },
    }
`,
        extra: { 'requirements.txt': '' },
      };
    case 'php':
      return {
        runtime: 'php',
        entry: 'handler.php',
        code: `<?php
// ${name}: a fastfn PHP handler.
function handler(array $event): array {
    return ['status' => 200, 'body' => [
        'message' => ${JSON.stringify(msg)}, 'runtime' => 'php', 'version' => $event['version'] ?? null,
        'query' => $event['query'] ?? [], 'wildcard' => $event['params']['wildcard'] ?? null,
    ]];
}
`,
      };
    case 'lua':
      return {
        runtime: 'lua',
        entry: 'handler.lua',
        code: `-- ${name}: a fastfn Lua handler.
function handler(event, params)
  return { status = 200, body = { message = ${JSON.stringify(msg)}, runtime = "lua", version = event.version, query = event.query, wildcard = params.wildcard } }
end
`,
      };
    case 'go':
      return {
        runtime: 'go',
        entry: 'handler.go',
        code: `// ${name}: a fastfn Go handler.
package main

func Handler(event map[string]any) map[string]any {
	params, _ := event["params"].(map[string]any)
	return map[string]any{"status": 200, "body": map[string]any{
		"message": ${JSON.stringify(msg)}, "runtime": "go", "version": event["version"], "query": event["query"], "wildcard": params["wildcard"],
	}}
}
`,
      };
    case 'rust':
      return {
        runtime: 'rust',
        entry: 'handler.rs',
        code: `// ${name}: a fastfn Rust handler.
use serde_json::{json, Value};

pub fn handler(event: Value) -> Value {
    json!({"status": 200, "body": {
        "message": ${JSON.stringify(msg)}, "runtime": "rust", "version": event["version"], "query": event["query"], "wildcard": event["params"]["wildcard"]
    }})
}
`,
      };
    default:
      return null;
  }
}

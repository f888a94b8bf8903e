// The shape of a discovery result (SPEC §2, §6): the one catalog that the gateway, the CLI, OpenAPI and the admin
// API all read. Plain data only: no functions, no I/O handles, so it can be built in tests from in-memory trees.

export const RUNTIMES = ['node', 'python', 'php', 'lua', 'go', 'rust'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** Default runtime order (SPEC §1.3 `FN_RUNTIMES` default). */
export const DEFAULT_RUNTIME_ORDER: readonly Runtime[] = ['python', 'node', 'php', 'lua', 'go', 'rust'];

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

export interface WorkerPoolPolicy {
  enabled: boolean;
  max_workers: number;
  max_queue: number;
  queue_timeout_ms: number;
  queue_poll_ms: number;
  idle_ttl_seconds: number;
  min_warm: number;
  overflow_status: 429 | 503;
}

export interface CorsPolicy {
  allow_origins: string[];
  allow_methods: Method[] | null;
  allow_headers: string[] | null;
  expose_headers: string[];
  allow_credentials: boolean;
  max_age: number;
}

/** Effective, merged policy of one function key (SPEC §6.1, §6.5). Every field already has its default applied. */
export interface Policy {
  timeout_ms: number;
  max_concurrency: number;
  max_body_bytes: number;
  methods: Method[];
  /** Empty = any host. */
  allow_hosts: string[];
  include_debug_headers: boolean;
  stream_timeout_ms: number;
  handler: string;
  adapter: string;
  force_url: boolean;
  strict_fs: boolean;
  shared_deps: string[];
  group: string | null;
  /** `worker_pool` block when present and enabled, else null. */
  worker_pool: WorkerPoolPolicy | null;
  cors: CorsPolicy | null;
  /** `edge` block, passed through as parsed (validated by the proxy feature). */
  edge: Record<string, unknown> | null;
  schedule: Record<string, unknown> | null;
  keep_warm: Record<string, unknown> | null;
  summary: string | null;
  query: Record<string, unknown> | null;
  body: unknown;
  content_type: string | null;
  default_method: string | null;
}

export type FunctionKind = 'function' | 'file';

/** One servable function key: `<runtime>/<name>@<version>` (SPEC §0). */
export interface FunctionSpec {
  key: string;
  runtime: Runtime;
  /** Catalogued name (`api/users`), or the entry file's relative path for file routes (`users/[id].js`). */
  name: string;
  /** Version label or `default`. */
  version: string;
  kind: FunctionKind;
  /** Directory holding the entry, relative to the root (`.` for the root itself). */
  dir: string;
  /** Entry file, relative to the root. */
  entry: string;
  /** `fn.env.json` files that apply, relative to the root, lowest layer first (SPEC §6.3: function dir, then version dir). */
  env_files: string[];
  policy: Policy;
  /** Comment hints from the handler's first 80 lines (SPEC §6.6); feed OpenAPI only. */
  hints: Record<string, string>;
}

/** Where a route claim came from, highest precedence first (SPEC §2.13). */
export type RouteSource = 'config-forced' | 'manifest' | 'file-method' | 'file' | 'config';

export const SOURCE_RANK: Record<RouteSource, number> = {
  'config-forced': 1,
  manifest: 2,
  'file-method': 3,
  file: 4,
  config: 5,
};

/** A winning route: this function serves these methods on this path template for these hosts. */
export interface RouteEntry {
  /** Normalised template: `/users/:id`, `/blog/:slug*`, `/hello/*`. */
  route: string;
  methods: Method[];
  /** Empty = any host. */
  allow_hosts: string[];
  key: string;
  source: RouteSource;
  source_rank: number;
  force_url: boolean;
}

/** Two or more claims at the same level for the same path, method and host set (SPEC §2.13): 409 for these methods. */
export interface RouteConflict {
  route: string;
  methods: Method[];
  allow_hosts: string[];
  /** Function keys of the claimants. */
  targets: string[];
  /** Entry files of the claimants, relative to the root (for messages: "clash/get.js, clash/get.py"). */
  files: string[];
}

export interface HomeConfig {
  /** Internal dispatch target (starts with `/`). */
  route?: string;
  /** 302 target. */
  redirect?: string;
}

export interface AssetsConfig {
  /** Relative to the root. */
  directory: string;
  not_found_handling: '404' | 'single-page-application';
  run_worker_first: boolean;
}

export interface Catalog {
  /** Epoch ms. */
  generated_at: number;
  /** Absolute root path (never sent to clients). */
  root: string;
  runtime_order: Runtime[];
  functions: Map<string, FunctionSpec>;
  routes: RouteEntry[];
  conflicts: RouteConflict[];
  /** `name` -> label -> key, for `/<name>@<label>` (SPEC §2.9). Name is the normalised route name without a leading `/`. */
  versions: Map<string, Map<string, string>>;
  warnings: string[];
  /** Root `fn.config.json` `home` (SPEC §2.16 step 3), validated. */
  home: HomeConfig | null;
  assets: AssetsConfig | null;
  /** Root `fn.config.json` `cors` acts through policy; kept raw for the admin API. */
  root_config: Record<string, unknown> | null;
}

export interface DiscoveryOptions {
  /** Absolute path of the functions root. */
  root: string;
  /** Candidate runtimes (enabled + unavailable) in runtime order (SPEC §1.3). Files of other runtimes are not routes. */
  runtimes: Runtime[];
  /** `FN_NAMESPACE_DEPTH`, clamped 1..5. */
  namespace_depth: number;
  /** `FN_ZERO_CONFIG_IGNORE_DIRS` entries. */
  ignore_dirs: string[];
  /** `FN_FORCE_URL` / `--force-url` / `fastfn.json force-url`. */
  force_url: boolean;
  defaults: { timeout_ms: number; max_concurrency: number; max_body_bytes: number; strict_fs: boolean };
}

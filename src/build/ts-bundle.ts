// TypeScript handler bundles (SPEC §3.3, §13.2): esbuild bundles an entry and its local imports into
// <root>/.fastfn/build/ts/<hash>.cjs, cached by content hash. Runs in the gateway, off the request path; never in a worker.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, version as esbuildVersion, type Loader, type Message, type Plugin } from 'esbuild';

export interface TsBundle {
  /** Absolute path of the bundle to hand to the worker as `entry`. */
  outFile: string;
  hash: string;
  /** Absolute paths of every file the bundle was built from (the entry and its local imports). */
  inputs: string[];
}

interface IndexEntry {
  hash: string;
  inputs: string[];
}
type BundleIndex = Record<string, IndexEntry>;

const INDEX_FILE = 'index.json';
const LOADERS: Record<string, Loader> = {
  '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.json': 'json',
};
let esbuildRuns = 0;
/** Index writes are serialised per output directory so parallel bundles never lose each other's entries. */
const indexLocks = new Map<string, Promise<unknown>>();

/** How many times esbuild actually ran in this process (cache hits do not count). For tests and metrics. */
export function tsBuildCount(): number {
  return esbuildRuns;
}

export function tsBuildDir(root: string): string {
  return join(resolve(root), '.fastfn', 'build', 'ts');
}

export async function bundleTypeScript(root: string, entryAbs: string): Promise<TsBundle> {
  const absRoot = resolve(root);
  const entry = resolve(entryAbs);
  const outDir = tsBuildDir(absRoot);
  const cached = await fromCache(outDir, entry);
  if (cached) return cached;

  const { code, contents } = await runEsbuild(absRoot, entry, outDir);
  const inputs = [...contents.keys()].sort();
  const hash = hashInputs(inputs.map((p) => [p, contents.get(p)!]));
  const outFile = join(outDir, `${hash}.cjs`);
  if (!(await exists(outFile))) await writeAtomic(outFile, code);
  await updateIndex(outDir, entry, { hash, inputs });
  return { outFile, hash, inputs };
}

/** sha256 over each input's absolute path and bytes, plus the esbuild version (a new esbuild may emit other code). */
function hashInputs(files: Array<[string, Uint8Array]>): string {
  const h = createHash('sha256').update(`fastfn-ts-bundle/1 esbuild/${esbuildVersion}\0`);
  for (const [path, bytes] of files) h.update(path).update('\0').update(bytes).update('\0');
  return h.digest('hex');
}

/** A cache hit: the index lists this entry, every listed input still hashes the same, and the bundle exists. */
async function fromCache(outDir: string, entry: string): Promise<TsBundle | null> {
  const known = (await readIndex(outDir))[entry];
  if (!known || !Array.isArray(known.inputs) || typeof known.hash !== 'string') return null;
  const outFile = join(outDir, `${known.hash}.cjs`);
  try {
    const files = await Promise.all(known.inputs.map(async (p): Promise<[string, Uint8Array]> => [p, await readFile(p)]));
    if (hashInputs(files) !== known.hash || !(await exists(outFile))) return null;
  } catch {
    return null; // an input disappeared: rebuild (and let esbuild say what is missing)
  }
  return { outFile, hash: known.hash, inputs: [...known.inputs] };
}

async function runEsbuild(root: string, entry: string, outDir: string): Promise<{ code: Uint8Array; contents: Map<string, Uint8Array> }> {
  // The hash covers exactly the bytes esbuild compiled, read once here, so an edit racing the build cannot be cached
  // under the wrong hash.
  const contents = new Map<string, Uint8Array>();
  const capture: Plugin = {
    name: 'fastfn-capture-inputs',
    setup(b) {
      b.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => {
        const loader = LOADERS[extname(args.path).toLowerCase()];
        if (!loader) return undefined;
        const bytes = await readFile(args.path);
        contents.set(resolve(args.path), bytes);
        return { contents: bytes, loader };
      });
    },
  };
  const entryDir = dirname(entry);
  esbuildRuns++;
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
      // Same directory as the real bundle, so the inline source map's relative source paths are right.
      outfile: join(outDir, 'bundle.cjs'),
      // The bundle lives under .fastfn/build: keep __dirname & co. pointing at the handler's own directory.
      define: {
        __dirname: JSON.stringify(entryDir),
        __filename: JSON.stringify(entry),
        'import.meta.url': JSON.stringify(pathToFileURL(entry).href),
        'import.meta.dirname': JSON.stringify(entryDir),
        'import.meta.filename': JSON.stringify(entry),
      },
      plugins: [capture],
    });
    const out = result.outputFiles?.[0];
    if (!out) throw new Error('esbuild produced no output');
    // Inputs esbuild read without the plugin (unknown extensions) still belong in the hash.
    for (const rel of Object.keys(result.metafile?.inputs ?? {})) {
      const abs = resolve(root, rel);
      if (!contents.has(abs) && !rel.includes(':')) contents.set(abs, await readFile(abs));
    }
    return { code: out.contents, contents };
  } catch (e) {
    const first = (e as { errors?: Message[] }).errors?.[0];
    if (!first) throw e;
    const err = new Error(first.text) as Error & { location?: Message['location'] };
    err.location = first.location;
    throw err;
  }
}

async function readIndex(outDir: string): Promise<BundleIndex> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, INDEX_FILE), 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as BundleIndex) : {};
  } catch {
    return {};
  }
}

function updateIndex(outDir: string, entry: string, value: IndexEntry): Promise<void> {
  const prev = indexLocks.get(outDir) ?? Promise.resolve();
  const next = prev.then(async () => {
    const index = await readIndex(outDir);
    index[entry] = value;
    await writeAtomic(join(outDir, INDEX_FILE), `${JSON.stringify(index, null, 1)}\n`);
  });
  const settled = next.catch(() => undefined);
  indexLocks.set(outDir, settled);
  void settled.then(() => {
    if (indexLocks.get(outDir) === settled) indexLocks.delete(outDir);
  });
  return next;
}

/** Temp file in the same directory, then rename: a reader sees the old file or the whole new one, never half. */
async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

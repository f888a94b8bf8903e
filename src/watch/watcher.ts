// Watches the functions root (SPEC §14) with chokidar (native recursive events, polling fallback) and hands
// debounced, classified batches of changes to the app. It never touches routes or workers itself.
import { statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';

export interface ChangeBatch {
  /** Files or directories added, removed or renamed: the route table must be rebuilt. */
  structural: boolean;
  /** Changed files, relative to the root, with `/` separators. */
  changed: string[];
}

export interface WatchOptions {
  root: string;
  native: boolean;
  debounceMs: number;
  intervalS: number;
  /** Extra directory names to ignore (the assets directory is handled by the app). */
  onBatch(b: ChangeBatch): void;
  onError(e: Error): void;
}

/**
 * Editors that save in place truncate the file, then write it. A modified file seen empty right after a change is most
 * likely half-saved: a handler would load as "handler not found" (500), a config file as malformed, until the write
 * lands. The batch waits for the rest of the save, at most this long; a file emptied on purpose (or an empty
 * `__init__.py` touched) only delays its reload by this much. Added files are never held.
 */
const EMPTY_SAVE_WAIT_MS = 1000;

const IGNORED_DIRS = new Set(['.fastfn', 'node_modules', 'vendor', '__pycache__', '.deps', 'target', '.git']);

function ignored(root: string, p: string): boolean {
  const rel = relative(root, p);
  if (!rel || rel.startsWith('..')) return false;
  const parts = rel.split(sep);
  const base = parts[parts.length - 1]!;
  if (base.endsWith('.swp') || base.endsWith('~') || base.startsWith('.#')) return true;
  return parts.some((s) => IGNORED_DIRS.has(s) || (s.startsWith('.') && s.length > 1));
}

export class RootWatcher {
  private w: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pending: ChangeBatch = { structural: false, changed: [] };
  /** Files reported as modified in the pending batch (not added or removed). */
  private modified = new Set<string>();
  /** When the pending batch was first held back for an empty file, or 0. */
  private heldSince = 0;
  active = false;
  error: string | null = null;

  constructor(private readonly o: WatchOptions) {}

  get backend(): string {
    return this.o.native ? 'inotify' : 'polling';
  }

  start(): Promise<void> {
    const { root } = this.o;
    this.w = chokidar.watch(root, {
      ignored: (p: string) => ignored(root, p),
      ignoreInitial: true,
      persistent: true,
      usePolling: !this.o.native,
      interval: this.o.intervalS * 1000,
      binaryInterval: this.o.intervalS * 1000,
      atomic: true,
    });
    const rel = (p: string) => relative(root, p).split(sep).join('/');
    this.w.on('add', (p) => this.push(rel(p), true));
    this.w.on('addDir', (p) => this.push(rel(p), true));
    this.w.on('unlink', (p) => this.push(rel(p), true));
    this.w.on('unlinkDir', (p) => this.push(rel(p), true));
    this.w.on('change', (p) => this.push(rel(p), false));
    this.w.on('error', (e) => {
      this.error = (e as Error).message;
      this.o.onError(e as Error);
    });
    return new Promise((resolve) => {
      this.w!.once('ready', () => {
        this.active = true;
        resolve();
      });
    });
  }

  private push(rel: string, structural: boolean): void {
    if (!rel) return;
    this.pending.structural ||= structural;
    this.pending.changed.push(rel);
    if (!structural) this.modified.add(rel);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.o.debounceMs);
  }

  private flush(): void {
    this.timer = null;
    if (this.halfSaved()) {
      this.timer = setTimeout(() => this.flush(), this.o.debounceMs);
      return;
    }
    this.heldSince = 0;
    this.modified.clear();
    const b = this.pending;
    this.pending = { structural: false, changed: [] };
    b.changed = [...new Set(b.changed)].sort();
    this.o.onBatch(b);
  }

  /** True while a modified file of the batch is empty, for at most EMPTY_SAVE_WAIT_MS. */
  private halfSaved(): boolean {
    const now = Date.now();
    if (this.heldSince && now - this.heldSince >= EMPTY_SAVE_WAIT_MS) return false;
    for (const rel of this.modified) {
      try {
        const st = statSync(join(this.o.root, rel));
        if (st.isFile() && st.size === 0) {
          this.heldSince ||= now;
          return true;
        }
      } catch {
        /* removed meanwhile: the unlink event tells */
      }
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.active = false;
    await this.w?.close();
  }
}

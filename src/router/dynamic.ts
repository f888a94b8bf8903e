// Index of dynamic routes (SPEC §2.5 M4): each route is filed under its first static segment (position and text), so
// a request only visits routes that can match it. Routes without any static segment are visited for every path.
import type { Compiled } from './template.js';

export interface Indexed {
  t: Compiled;
  /** Position in M4 order. */
  order: number;
}

export class DynamicIndex<T extends Indexed> {
  private readonly byPos = new Map<number, Map<string, T[]>>();
  private readonly positions: number[];
  private readonly open: T[] = [];

  /** `sorted` must already be in M4 order with `order` set. */
  constructor(sorted: readonly T[]) {
    for (const it of sorted) {
      const pos = it.t.segs.findIndex((s) => s.k === 0);
      const seg = it.t.segs[pos];
      if (pos < 0 || !seg || seg.k !== 0) {
        this.open.push(it);
        continue;
      }
      const byText = this.byPos.get(pos) ?? new Map<string, T[]>();
      byText.set(seg.v, [...(byText.get(seg.v) ?? []), it]);
      this.byPos.set(pos, byText);
    }
    this.positions = [...this.byPos.keys()].sort((a, b) => a - b);
  }

  /** Visit candidates for these request segments in M4 order until `visit` returns true. */
  each(segs: readonly string[], visit: (it: T) => boolean): void {
    const lists: T[][] = [];
    for (const pos of this.positions) {
      if (pos >= segs.length) break;
      const list = this.byPos.get(pos)?.get(segs[pos] ?? '');
      if (list) lists.push(list);
    }
    if (this.open.length) lists.push(this.open);
    if (lists.length === 1) {
      for (const it of lists[0] ?? []) if (visit(it)) return;
      return;
    }
    const at = lists.map(() => 0);
    for (;;) {
      let best = -1;
      let bestOrder = Infinity;
      for (let i = 0; i < lists.length; i++) {
        const it = lists[i]?.[at[i] ?? 0];
        if (it && it.order < bestOrder) {
          best = i;
          bestOrder = it.order;
        }
      }
      if (best < 0) return;
      const it = lists[best]?.[at[best] ?? 0];
      at[best] = (at[best] ?? 0) + 1;
      if (it && visit(it)) return;
    }
  }
}

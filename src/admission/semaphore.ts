// Per-function admission (SPEC §9.4): active slots plus a strict FIFO queue, woken when a slot frees (no polling).
// A waiter leaves the queue on timeout or when its client goes away (an `onGone` subscription, no AbortController:
// this runs on every request).

/** Subscribe to "the client went away"; returns the unsubscribe function. */
export type OnGone = (cb: () => void) => () => void;

export type AdmitOutcome = { ok: true; queued: boolean } | { ok: false; reason: 'overflow' | 'queue_timeout' | 'aborted' };

interface Waiter {
  resolve(o: AdmitOutcome): void;
  timer: NodeJS.Timeout | null;
  unsubscribe: (() => void) | null;
}

export interface AdmissionLimits {
  /** 0 = unlimited. */
  slots: number;
  maxQueue: number;
  queueTimeoutMs: number;
}

export class Admission {
  active = 0;
  private readonly queue: Waiter[] = [];
  drops = { overflow: 0, timeout: 0 };

  get queued(): number {
    return this.queue.length;
  }

  /** Synchronous fast path when a slot is free; otherwise a promise that settles in FIFO order. */
  admit(limits: AdmissionLimits, onGone?: OnGone): AdmitOutcome | Promise<AdmitOutcome> {
    if (limits.slots === 0 || (this.active < limits.slots && this.queue.length === 0)) {
      this.active++;
      return { ok: true, queued: false };
    }
    if (this.queue.length >= limits.maxQueue) {
      this.drops.overflow++;
      return { ok: false, reason: 'overflow' };
    }
    return new Promise<AdmitOutcome>((resolve) => {
      const w: Waiter = { resolve, timer: null, unsubscribe: null };
      const leave = (o: AdmitOutcome) => {
        const i = this.queue.indexOf(w);
        if (i >= 0) this.queue.splice(i, 1);
        this.cleanup(w);
        resolve(o);
      };
      w.timer = setTimeout(() => {
        this.drops.timeout++;
        leave({ ok: false, reason: 'queue_timeout' });
      }, Math.max(1, limits.queueTimeoutMs));
      if (onGone) w.unsubscribe = onGone(() => leave({ ok: false, reason: 'aborted' }));
      this.queue.push(w);
    });
  }

  /** Frees a slot; the oldest waiter takes it directly (the count never dips, so nobody can jump the queue). */
  release(): void {
    const next = this.queue.shift();
    if (next) {
      this.cleanup(next);
      next.resolve({ ok: true, queued: true });
      return;
    }
    this.active = Math.max(0, this.active - 1);
  }

  private cleanup(w: Waiter): void {
    if (w.timer) clearTimeout(w.timer);
    w.unsubscribe?.();
    w.unsubscribe = null;
  }
}

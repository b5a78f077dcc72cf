/**
 * Requests the sandbox keeps unanswered until the test lets them go: a Graph that answers slowly,
 * without any timing, so a test can act while a call is known to be under way.
 */
export interface HeldRequests {
  /** Matching requests waiting for release() now. */
  readonly waiting: number;
  /** Resolves once `count` matching requests wait at the same time. */
  arrived(count?: number): Promise<void>;
  /** Answers the waiting requests and lets every later one through. */
  release(): void;
}

export interface Hold extends HeldRequests {
  matches(method: string, path: string): boolean;
  /** Resolves when the request may be answered. */
  wait(): Promise<void>;
}

export function createHold(method: string, matches: (path: string) => boolean): Hold {
  const upper = method.toUpperCase();
  let released = false;
  let waiting = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const watchers: Array<{ count: number; resolve: () => void }> = [];

  return {
    get waiting() {
      return waiting;
    },
    matches: (m, path) => !released && m === upper && matches(path),
    arrived(count = 1) {
      if (waiting >= count) return Promise.resolve();
      return new Promise<void>((resolve) => watchers.push({ count, resolve }));
    },
    async wait() {
      waiting++;
      for (const watcher of watchers.filter((w) => w.count <= waiting)) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
      await gate;
      waiting--;
    },
    release() {
      released = true;
      open();
    },
  };
}

/**
 * Reads a V8 .cpuprofile and says where the time went: by function (self), by package or source
 * file (self), and for our own code by function including what it calls.
 * Also usable alone: `npx tsx bench/cpu-profile-summary.ts <file.cpuprofile>`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const REPO_ROOT = join(__dirname, '..');

function where(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (inModules) return `${inModules[1]}:${inModules[2]}`;
  if (path.startsWith(REPO_ROOT)) return path.slice(REPO_ROOT.length + 1);
  return path || '(native)';
}

function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const path = url.replace(/^file:\/\//, '');
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (inModules) return inModules[1];
  if (path.startsWith('node:')) return 'node internals';
  if (path.startsWith(REPO_ROOT)) return path.slice(REPO_ROOT.length + 1);
  return path;
}

function pct(part: number, total: number): string {
  return `${((100 * part) / total).toFixed(1).padStart(5)}%`;
}

export function summarizeProfile(file: string, top = 20): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const idle = [...byId.values()]
    .filter((node) => node.callFrame.functionName === '(idle)')
    .reduce((sum, node) => sum + (self.get(node.id) ?? 0), 0);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const busy = total - idle;

  // Line numbers of our TypeScript are those of tsx's output, not of the source: left out.
  const keyOf = ({ callFrame }: ProfileNode) => {
    const file = where(callFrame.url);
    const line = file.endsWith('.ts') ? '' : `:${callFrame.lineNumber + 1}`;
    return `${callFrame.functionName || '(anonymous)'}  ${file}${line}`;
  };

  const selfByFunction = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  for (const node of byId.values()) {
    const time = self.get(node.id) ?? 0;
    if (!time || node.callFrame.functionName === '(idle)') continue;
    const key = keyOf(node);
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + time);
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + time);
  }

  // Inclusive time of our own functions, each counted once per stack (recursion).
  const inclusive = new Map<string, number>();
  const subtree = new Map<number, number>();
  const totalOf = (node: ProfileNode): number => {
    let sum = self.get(node.id) ?? 0;
    for (const child of node.children ?? []) sum += totalOf(byId.get(child)!);
    subtree.set(node.id, sum);
    return sum;
  };
  const root = profile.nodes[0];
  totalOf(root);
  const walk = (node: ProfileNode, onStack: Set<string>) => {
    const path = node.callFrame.url.replace(/^file:\/\//, '');
    // bench/ in a bot's process is only the profiler's own start and stop.
    const ours =
      path.startsWith(REPO_ROOT) && !path.includes('node_modules') && !path.includes('/bench/');
    const key = keyOf(node);
    let stack = onStack;
    if (ours && !onStack.has(key)) {
      inclusive.set(key, (inclusive.get(key) ?? 0) + (subtree.get(node.id) ?? 0));
      stack = new Set(onStack).add(key);
    }
    for (const child of node.children ?? []) walk(byId.get(child)!, stack);
  };
  walk(root, new Set());

  const list = (map: Map<string, number>, count: number, of: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(
        ([key, time]) => `  ${pct(time, of)}  ${(time / 1000).toFixed(0).padStart(6)} ms  ${key}`,
      )
      .join('\n');

  return [
    `  busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled ` +
      `(idle ${pct(idle, total).trim()}); percentages are of busy time`,
    '  self time by package or file:',
    list(selfByArea, 15, busy),
    '  self time by function:',
    list(selfByFunction, top, busy),
    '  our code, time including callees:',
    list(inclusive, top, busy),
  ].join('\n');
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    console.log(`${file}\n${summarizeProfile(file)}\n`);
  }
}

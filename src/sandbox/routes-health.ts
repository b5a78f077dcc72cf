import { seedHealthOverviews } from './health-seed';
import {
  graphError,
  type RouteRequest,
  type SandboxAnswer,
  type SandboxRoute,
} from './sandbox-routes';
import type { SandboxState } from './sandbox-state';

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata';

/** Service health overviews with their issues; tests change them or shrink the page size. */
export interface SandboxHealthState {
  overviews: Array<Record<string, unknown>>;
  /** Services per page; Graph pages at 100. */
  pageSize: number;
}

export function healthOf(state: SandboxState): SandboxHealthState {
  state.health ??= { overviews: seedHealthOverviews(), pageSize: 100 };
  return state.health;
}

function listOverviews(state: SandboxState, req: RouteRequest): SandboxAnswer {
  const health = healthOf(state);
  const expand = (req.query.get('$expand') ?? '').split(',').includes('issues');
  const skip = Number(req.query.get('$skiptoken') ?? '0');
  if (!Number.isInteger(skip) || skip < 0) {
    return graphError(400, 'BadRequest', 'Invalid skip token.', req.requestId);
  }

  const page = health.overviews.slice(skip, skip + health.pageSize);
  const value = page.map(({ issues, ...overview }) =>
    expand ? { ...overview, issues } : overview,
  );
  const body: Record<string, unknown> = {
    '@odata.context': `${CONTEXT}#admin/serviceAnnouncement/healthOverviews${expand ? '(issues())' : ''}`,
    value,
  };
  if (skip + health.pageSize < health.overviews.length) {
    const next = new URLSearchParams(req.query);
    next.set('$skiptoken', String(skip + health.pageSize));
    body['@odata.nextLink'] =
      `${req.baseUrl}/admin/serviceAnnouncement/healthOverviews?${decodeURIComponent(next.toString())}`;
  }
  return { status: 200, body };
}

function getIssue(state: SandboxState, req: RouteRequest, [id]: string[]): SandboxAnswer {
  const issues = healthOf(state).overviews.flatMap(
    (overview) => (overview.issues ?? []) as Array<Record<string, unknown>>,
  );
  const issue = issues.find((candidate) => candidate.id === id);
  if (!issue) return graphError(404, 'NotFound', `Issue ${id} was not found.`, req.requestId);
  return {
    status: 200,
    body: { '@odata.context': `${CONTEXT}#admin/serviceAnnouncement/issues/$entity`, ...issue },
  };
}

/** Graph service communications: health overviews and issues (ServiceHealth.Read.All). */
export const HEALTH_ROUTES: SandboxRoute[] = [
  {
    method: 'GET',
    pattern: /^\/v1\.0\/admin\/serviceAnnouncement\/healthOverviews$/,
    handler: listOverviews,
  },
  {
    method: 'GET',
    pattern: /^\/v1\.0\/admin\/serviceAnnouncement\/issues\/([^/]+)$/,
    handler: getIssue,
  },
];

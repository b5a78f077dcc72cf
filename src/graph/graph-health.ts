import type { Client } from '@microsoft/microsoft-graph-client';
import { decode } from 'html-entities';
import { z } from 'zod';
import { DependencyError } from '../errors';
import type { ServiceHealthSource } from '../health/ports';
import type { HealthReport, ServiceHealth, ServiceIssue } from '../health/service-health';
import type { Logger } from '../logger';
import { readUnlessMissing, toDependencyError } from './graph-errors';
import { RetryPolicy } from './graph-retry';

export const SERVICE_HEALTH_PERMISSION = 'ServiceHealth.Read.All';

const ACTION = 'read Microsoft 365 service health';
const CONTEXT = { permission: SERVICE_HEALTH_PERMISSION };
/** Graph pages at 100 services and Microsoft 365 has about 50; 10 pages is far beyond that. */
const MAX_PAGES = 10;
/** A person waits for the card: throttling is waited out for at most this long per page. */
const READ_RETRY_BUDGET_MS = 10_000;

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value?.trim() || undefined)
  .catch(undefined);
const optionalDate = optionalText.transform((value) =>
  value !== undefined && Number.isFinite(Date.parse(value)) ? value : undefined,
);

const Post = z.object({
  createdDateTime: optionalDate,
  description: z
    .object({ contentType: optionalText, content: optionalText })
    .nullish()
    .catch(undefined),
});

const Issue = z.object({
  id: z.string().trim().min(1).max(64),
  service: optionalText,
  title: optionalText.transform((value) => value ?? '(untitled issue)'),
  classification: optionalText.transform((value) => {
    const word = value?.toLowerCase();
    return word === 'incident' || word === 'advisory' ? word : 'unknown';
  }),
  status: optionalText.transform((value) => value ?? 'unknown'),
  isResolved: z.boolean().nullish().catch(false),
  startDateTime: optionalDate,
  endDateTime: optionalDate,
  lastModifiedDateTime: optionalDate,
  impactDescription: optionalText,
  feature: optionalText,
  posts: z.array(z.unknown()).nullish().catch([]),
});

const Overview = z.object({
  id: z.string().trim().min(1).max(100),
  service: z.string().trim().min(1).max(200),
  status: z.string().trim().min(1).max(100),
  issues: z.array(z.unknown()).nullish().catch([]),
});

const Page = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional().catch(undefined),
});

/** Service health through Graph service communications (`/admin/serviceAnnouncement`). */
export class GraphServiceHealth implements ServiceHealthSource {
  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
    /** GRAPH_BASE_URL: a next page is followed only when it is under it. */
    private readonly graphBaseUrl: string,
  ) {}

  async healthOverviews(): Promise<HealthReport> {
    const services: ServiceHealth[] = [];
    let path: string | undefined = '/admin/serviceAnnouncement/healthOverviews?$expand=issues';
    let complete = true;

    for (let page = 0; path !== undefined; page++) {
      if (page === MAX_PAGES) {
        this.logger.warn({ pages: MAX_PAGES }, 'service health has more pages than the bot reads');
        complete = false;
        break;
      }
      const parsed = Page.safeParse(await this.get(path));
      if (!parsed.success) throw unexpected('service health page', parsed.error);

      services.push(...parsed.data.value.flatMap((item) => this.overview(item)));
      const next = parsed.data['@odata.nextLink'];
      path = next === undefined ? undefined : this.pathOf(next);
      if (next !== undefined && path === undefined) complete = false;
    }
    return { services, complete };
  }

  async issue(id: string): Promise<ServiceIssue | undefined> {
    const response = await readUnlessMissing(
      () =>
        this.client
          .api(`/admin/serviceAnnouncement/issues/${encodeURIComponent(id)}`)
          .middlewareOptions([new RetryPolicy({ maxTotalDelayMs: READ_RETRY_BUDGET_MS })])
          .get(),
      ACTION,
      CONTEXT,
    );
    if (response === undefined) return undefined;
    const parsed = Issue.safeParse(response);
    if (!parsed.success) throw unexpected('service health issue', parsed.error);
    return toIssue(parsed.data, '');
  }

  private async get(path: string): Promise<unknown> {
    try {
      return await this.client
        .api(path)
        .middlewareOptions([new RetryPolicy({ maxTotalDelayMs: READ_RETRY_BUDGET_MS })])
        .get();
    } catch (error) {
      throw toDependencyError(error, ACTION, CONTEXT);
    }
  }

  /** One service, or none when Graph sent something malformed (logged, never shown). */
  private overview(item: unknown): ServiceHealth[] {
    const parsed = Overview.safeParse(item);
    if (!parsed.success) {
      this.logger.warn({}, 'service health overview skipped: unexpected shape');
      return [];
    }

    const { id, service, status } = parsed.data;
    const issues = (parsed.data.issues ?? []).flatMap((raw) => {
      const issue = Issue.safeParse(raw);
      if (issue.success) return [toIssue(issue.data, service)];
      this.logger.warn({ serviceId: id }, 'service health issue skipped: unexpected shape');
      return [];
    });
    return [{ id, service, status, issues }];
  }

  /**
   * The path to ask the Graph client for, or undefined when the link leaves GRAPH_BASE_URL: the
   * SDK would otherwise send a request (and, to another Graph host, a token) wherever it points.
   */
  private pathOf(nextLink: string): string | undefined {
    const base = new URL(this.graphBaseUrl);
    const basePath = base.pathname.replace(/\/+$/, '');
    const baseHref = `${base.origin}${basePath}/`;
    const next = URL.canParse(nextLink, baseHref) ? new URL(nextLink, baseHref) : undefined;
    if (next?.origin !== base.origin || !next.pathname.startsWith(`${basePath}/`)) {
      this.logger.warn({}, 'service health next page not followed: outside the Graph base url');
      return undefined;
    }
    return `${next.pathname.slice(basePath.length)}${next.search}`;
  }
}

function toIssue(issue: z.infer<typeof Issue>, service: string): ServiceIssue {
  return {
    id: issue.id,
    service: issue.service ?? service,
    title: issue.title,
    classification: issue.classification,
    status: issue.status,
    isResolved: issue.isResolved === true,
    startDateTime: issue.startDateTime,
    endDateTime: issue.endDateTime,
    lastModifiedDateTime: issue.lastModifiedDateTime,
    impactDescription: issue.impactDescription,
    feature: issue.feature,
    latestPost: latestPostText(issue.posts ?? []),
  };
}

/** The newest post as plain text; posts come oldest first, but that is not promised. */
function latestPostText(posts: unknown[]): string | undefined {
  const valid = posts.flatMap((post) => {
    const parsed = Post.safeParse(post);
    return parsed.success && parsed.data.description?.content ? [parsed.data] : [];
  });
  const newest = valid.reduce<(typeof valid)[number] | undefined>(
    (best, post) =>
      !best || (post.createdDateTime ?? '') >= (best.createdDateTime ?? '') ? post : best,
    undefined,
  );
  const description = newest?.description;
  if (!description?.content) return undefined;
  // Graph labels posts "Html" whether or not they hold markup (G01: plain text with "We'll").
  // Removing tags and decoding entities leaves such text unchanged and turns real HTML to text.
  return description.contentType?.toLowerCase() === 'html'
    ? htmlText(description.content)
    : description.content;
}

function htmlText(html: string): string {
  const withBreaks = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(?:p|div|li)>/gi, '\n');
  return decode(withBreaks.replace(/<[^>]*>/g, ''))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

function unexpected(what: string, cause: z.ZodError): DependencyError {
  return new DependencyError(
    `Microsoft Graph answered with an unexpected ${what}.`,
    'graph',
    { code: 'UnexpectedResponse' },
    { cause },
  );
}

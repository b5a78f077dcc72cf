import autocannon, { type Result } from 'autocannon';

const CARD = 'application/vnd.microsoft.card.adaptive';

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** The body of the next request; called once per request. */
  nextBody: () => string;
}

export interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  /** 200 answers carrying an Adaptive Card, as a successful press does. */
  cardAnswers: number;
  /** 200 answers with something else (the bot's error text, an empty invoke answer). */
  otherAnswers: number;
  /** One of the other answers, to say what went wrong. */
  sampleOther?: string;
  statusCodes: Record<string, number>;
}

/** Presses the button on `url`/api/messages from `connections` connections for `seconds`. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let cardAnswers = 0;
  let otherAnswers = 0;
  let sampleOther: string | undefined;

  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/api/messages',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: options.nextBody() }),
        onResponse: (status, body) => {
          if (status < 200 || status >= 300) return;
          if (isCardAnswer(body)) cardAnswers++;
          else {
            otherAnswers++;
            sampleOther ??= body.slice(0, 300);
          }
        },
      },
    ],
  });
  const result: Result = await instance;

  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = Number(stats.count);
  }
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result['2xx'] + result.non2xx,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cardAnswers,
    otherAnswers,
    sampleOther,
    statusCodes,
  };
}

/**
 * An invoke answer `{"statusCode":200,"type":"…card.adaptive","value":{…}}`, checked on the head of
 * the text: parsing every answer would cost the load generator more for the bigger card.
 */
function isCardAnswer(body: string): boolean {
  const head = body.slice(0, 120);
  return head.includes('"statusCode":200') && head.includes(`"type":"${CARD}"`);
}

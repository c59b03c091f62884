// The dashboard's JSON API as the page calls it: relative URLs (the page may live under a prefix), the
// page's token on every request, typed answers, and errors that say which request failed.
import type { PerformanceGrouping } from '../../src/analysis/performance.js';
import type {
  AlertsAnswer,
  CandlesAnswer,
  HealthAnswer,
  LatestAnswer,
  PerformanceAnswer,
  ProgressAnswer,
  SignalsAnswer,
} from '../../src/dashboard/api-types.js';

/** From the page's own URL (?token=…): sent as a bearer token, and in the events URL. */
const token = new URLSearchParams(location.search).get('token');

/** The server answered 401: the page was opened without its token (or with a wrong one). */
export class Unauthorized extends Error {
  constructor(readonly url: string) {
    super(`${url}: 401 unauthorized`);
    this.name = 'Unauthorized';
  }
}

export class ApiError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Params = Record<string, string | number | boolean | undefined>;

async function get<T>(path: string, params: Params = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const search = query.toString();
  const url = `api/${path}${search ? `?${search}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(url, 0, `${url}: the server does not answer`);
  }
  if (response.status === 401) throw new Unauthorized(url);
  if (!response.ok)
    throw new ApiError(url, response.status, `${url}: ${response.status} ${await detail(response)}`);
  return (await response.json()) as T;
}

/** The error's own words when the body has them ({"error": …} or {"message": …}), else its status text. */
async function detail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const said = body.message ?? body.error;
    if (typeof said === 'string') return said;
  } catch {
    // not JSON: its text, if short
  }
  return text && text.length <= 200 ? text : response.statusText;
}

export interface SignalsQuery {
  open?: boolean;
  symbol?: string;
  sinceMs?: number;
  limit?: number;
}

/** The performance table's window: 30 days. */
export const PERFORMANCE_WINDOW_MS = 2_592_000_000;

export const api = {
  latest: () => get<LatestAnswer>('latest'),
  signals: (query: SignalsQuery) => get<SignalsAnswer>('signals', { ...query }),
  performance: (by: PerformanceGrouping) =>
    get<PerformanceAnswer>('performance', { sinceMs: PERFORMANCE_WINDOW_MS, by }),
  candles: (symbol: string, timeframe: string) => get<CandlesAnswer>('candles', { symbol, timeframe }),
  health: () => get<HealthAnswer>('health', { limit: 100 }),
  alerts: () => get<AlertsAnswer>('alerts', { limit: 20 }),
  progress: () => get<ProgressAnswer>('progress'),
};

/** The events stream's URL: EventSource cannot set headers, so the token goes in the query. */
export function eventsUrl(): string {
  return `api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** The page's own address with a token placeholder: what the 401 line tells the reader to open. */
export function addressWithToken(): string {
  return `${location.origin}${location.pathname}?token=…`;
}

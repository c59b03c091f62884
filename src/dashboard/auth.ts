/**
 * @module
 * DASHBOARD_TOKEN: when set, every request must carry it: as
 * `Authorization: Bearer <token>` (scripts), as `?token=<token>` (opening the
 * page), or as the HttpOnly, same-site cookie a request with the right token
 * sets, which the page's scripts, styles and event stream then carry (an
 * EventSource cannot set headers). Compared in constant time; a missing or
 * wrong token is a 401 with one line, and nothing else.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

const COOKIE = 'dashboard_token';
const digest = (text: string) => createHash('sha256').update(text).digest();

export function requireToken(token: string | undefined): MiddlewareHandler {
  if (!token) return async (_c, next) => next();
  const expected = digest(token);
  // Digests of equal length, so the comparison takes the same time whatever was sent.
  const matches = (given: string | undefined) =>
    given !== undefined && timingSafeEqual(digest(given), expected);
  return async (c, next) => {
    const header = c.req.header('authorization');
    const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : c.req.query('token');
    if (matches(given)) {
      if (getCookie(c, COOKIE) !== given)
        setCookie(c, COOKIE, given!, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return next();
    }
    if (given === undefined && matches(getCookie(c, COOKIE))) return next();
    return c.json(
      { error: 'the dashboard needs its token: Authorization: Bearer <DASHBOARD_TOKEN>, or ?token=' },
      401,
    );
  };
}

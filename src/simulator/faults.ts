import type { FaultOptions } from './options.js';
import type { RestError } from './rest-errors.js';

/** What to do to one REST answer. */
export type RestFault = 'none' | 'error' | 'hang' | 'malformed';

/** Ways a body can be broken, to exercise a client's validation. */
export const MALFORMATIONS = ['truncated', 'non-numeric', 'out-of-order', 'duplicate', 'gap'] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

/** Which of the configured failures an 'error' fault answers with. */
export function drawRestError(faults: FaultOptions, random: () => number): RestError {
  return faults.errorKinds[Math.floor(random() * faults.errorKinds.length)] ?? 'internal-error';
}

/** Draws the fault of each request from the configured rates. */
export function drawRestFault(faults: FaultOptions, random: () => number): RestFault {
  const u = random();
  if (u < faults.errorRate) return 'error';
  if (u < faults.errorRate + faults.hangRate) return 'hang';
  if (u < faults.errorRate + faults.hangRate + faults.malformedRate) return 'malformed';
  return 'none';
}

/**
 * Breaks a JSON body. Kline lists get data faults a validator must catch
 * (a non-numeric price, rows out of order, a duplicated row, a missing row);
 * anything else, and any list too short for those, is cut in half.
 */
export function malform(body: unknown, random: () => number): { text: string; kind: Malformation } {
  const rows =
    Array.isArray(body) && Array.isArray(body[0]) && body.length >= 3 ? (body as unknown[][]) : undefined;
  const kind: Malformation = rows ? MALFORMATIONS[Math.floor(random() * MALFORMATIONS.length)]! : 'truncated';
  if (!rows || kind === 'truncated') {
    const text = JSON.stringify(body);
    return { text: text.slice(0, Math.max(1, Math.floor(text.length / 2))), kind: 'truncated' };
  }
  const copy = rows.map((row) => [...row]);
  const i = 1 + Math.floor(random() * (copy.length - 2));
  switch (kind) {
    case 'non-numeric':
      copy[i]![4] = 'NaN?';
      break;
    case 'out-of-order':
      [copy[i], copy[i + 1]] = [copy[i + 1]!, copy[i]!];
      break;
    case 'duplicate':
      copy.splice(i, 0, [...copy[i]!]);
      break;
    case 'gap':
      copy.splice(i, 1);
      break;
  }
  return { text: JSON.stringify(copy), kind };
}

/**
 * @module
 * What every channel says alike, before its own format: an alert message as
 * an outline (a headline, one card per signal or event, the late note, the
 * footer and the Web UI link), with the wording and the number formats
 * decided here once. The strings are plain, unescaped text: each channel
 * escapes every piece for its own markup and fits the cards into its own
 * limits with `clip` and `takeWithin`, so no two channels can drift apart in
 * what they say.
 */
import type { OutcomeKind } from '../../analysis/outcomes.js';
import type { Direction } from '../../analysis/signal.js';
import type { Timeframe } from '../../core/timeframes.js';
import type {
  AlertMessage,
  CycleMessage,
  OutcomeMessage,
  SignalAlert,
  SignalsMessage,
  TestMessage,
} from '../alert-message.js';

/** How a card is coloured where a channel can colour it (Discord): by side for signals and outcomes. */
export type Tone = 'long' | 'short' | 'warning' | 'error' | 'info';

/** A short labelled value: a price, a level, a list of timeframes. */
export interface Fact {
  label: string;
  value: string;
}

/** One signal, outcome or event: an embed in Discord, a section in Slack, a paragraph in Telegram. */
export interface Card {
  title: string;
  tone: Tone;
  facts: Fact[];
  /** Free text (reasons): at most MAX_NOTES + 1 lines, each at most NOTE_MAX characters. */
  notes: string[];
}

export interface Outline {
  headline: string;
  /** One line for previews and notifications (Slack's fallback text). */
  summary: string;
  late?: string;
  cards: Card[];
  /** What the cards are, for "… and 3 more signals left out". */
  noun: string;
  footer?: string;
  /** The cycle's page in the Web UI, when it is a usable http(s) URL. */
  link?: string;
}

/** The words of the Web UI link. */
export const LINK_TEXT = 'Open in Temporal';
/** A card title's length, rendered: well under every channel's title limit (Discord 256, Slack 150 for headers). */
export const TITLE_MAX = 200;
/** A note's length, rendered: nine of them and a title stay under Slack's 3000 and Discord's 4096. */
export const NOTE_MAX = 280;
export const MAX_NOTES = 8;
/** A link longer than this is left out: it would crowd Telegram's 4096 characters. */
const LINK_MAX = 1_000;

const SIDE_MARK: Record<Direction, string> = { LONG: '🟢', SHORT: '🔴' };

const OUTCOME_WORDS: Record<OutcomeKind, string> = {
  target: '🎯 Target hit',
  stop: '🛑 Stopped out',
  expired: '⌛ Expired',
  missing: '❔ Outcome missing',
};

const identity = (text: string) => text;

/** Whole alerts read prices from 0.000012 to 65000: six significant figures, never an exponent. */
const PRICE_FORMAT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6, useGrouping: false });

export function formatPrice(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  if (Math.abs(value) >= 1e6) return Math.round(value).toString();
  return PRICE_FORMAT.format(value);
}

/** An R multiple, signed, to 2 decimals: +2.00R, -1.00R. */
export function formatR(r: number): string {
  const magnitude = Math.abs(r).toFixed(2);
  const sign = magnitude === '0.00' ? '' : r > 0 ? '+' : '-';
  return `${sign}${magnitude}R`;
}

/** "12 min", "1 h 5 min", "2 d 3 h": how late, to the minute that matters. */
export function formatDelay(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.floor(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${Math.floor(hours / 24)} d`;
}

export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

export function sideLabel(direction: Direction): string {
  return `${SIDE_MARK[direction]} ${direction}`;
}

export function timeframeList(timeframes: readonly Timeframe[]): string {
  return timeframes.join(', ');
}

/** A message that goes out late must say so, or a reader acts on a stale price. */
export function lateNote(lateByMs: number, sinceClose: boolean): string {
  return `⚠️ late: ${formatDelay(lateByMs)} ${sinceClose ? 'after the close' : 'after it was raised'}`;
}

export function leftOut(count: number, noun: string): string {
  return `… and ${count} more ${noun}${count === 1 ? '' : 's'} left out`;
}

/**
 * `raw` escaped with `escape`, at most `max` characters once escaped, ending
 * in "…" when cut. It cuts between characters of the raw text, so never
 * inside an escape sequence nor a surrogate pair.
 */
export function clip(raw: string, max: number, escape: (text: string) => string = identity): string {
  const whole = escape(raw);
  if (whole.length <= max) return whole;
  let kept = '';
  for (const character of raw) {
    const escaped = escape(character);
    if (kept.length + escaped.length + 1 > max) break;
    kept += escaped;
  }
  return `${kept}…`;
}

/**
 * The first items, in order, whose costs add up to at most `budget`; when
 * some are left out, `reserve` (the "N more" line) must fit as well.
 */
export function takeWithin<T>(
  items: readonly T[],
  cost: (item: T) => number,
  budget: number,
  reserve: number,
): T[] {
  const costs = items.map(cost);
  if (costs.reduce((sum, c) => sum + c, 0) <= budget) return [...items];
  const kept: T[] = [];
  let used = reserve;
  for (const [index, item] of items.entries()) {
    if (used + costs[index]! > budget) break;
    kept.push(item);
    used += costs[index]!;
  }
  return kept;
}

/** The outline of `message`; `lateByMs` set when it goes out late. */
export function outline(message: AlertMessage, lateByMs?: number): Outline {
  const body = bodyOf(message);
  const closed = message.kind !== 'test' && message.closeTime !== undefined;
  const link = message.kind === 'test' ? undefined : webLink(message.cycleUrl);
  return {
    ...body,
    ...(lateByMs !== undefined ? { late: lateNote(lateByMs, closed) } : {}),
    ...(message.kind !== 'test' ? { footer: `cycle ${message.cycleId}` } : {}),
    ...(link ? { link } : {}),
  };
}

type Body = Pick<Outline, 'headline' | 'summary' | 'cards' | 'noun'>;

function bodyOf(message: AlertMessage): Body {
  switch (message.kind) {
    case 'signals':
      return signalsBody(message);
    case 'outcome':
      return outcomeBody(message);
    case 'cycle':
      return cycleBody(message);
    case 'test':
      return testBody(message);
  }
}

function signalsBody(message: SignalsMessage): Body {
  const cards = message.signals.map(signalCard);
  const count = cards.length;
  const headline = count === 1 ? 'New signal' : `${count} new signals`;
  const summary =
    count === 1 ? `${headline}: ${cards[0]!.title}` : `${headline}: ${cards.map(firstWords).join(', ')}`;
  return { headline, summary: clip(summary, TITLE_MAX), cards, noun: 'signal' };
}

function signalCard(signal: SignalAlert): Card {
  return {
    title: `${sideLabel(signal.direction)} ${oneLine(signal.symbol)} · score ${signal.score}`,
    tone: toneOf(signal.direction),
    facts: [
      { label: 'Entry', value: formatPrice(signal.price) },
      { label: 'Stop', value: formatPrice(signal.stop) },
      { label: 'Target', value: formatPrice(signal.target) },
      { label: 'Agree', value: timeframeList(signal.timeframes) },
    ],
    notes: notesOf(signal.reasons, 'reason'),
  };
}

/** "🟢 LONG BTC/USDT:USDT" of a signal card's title, for a digest's summary. */
function firstWords(card: Card): string {
  return card.title.split(' · ')[0]!;
}

function outcomeBody(message: OutcomeMessage): Body {
  const o = message.outcome;
  const exit = o.exitPrice === null ? 'none' : formatPrice(o.exitPrice);
  const r = o.rMultiple === null ? 'n/a' : formatR(o.rMultiple);
  const card: Card = {
    title: `${sideLabel(o.direction)} ${oneLine(o.symbol)}${o.rMultiple === null ? '' : ` · ${r}`}`,
    tone: toneOf(o.direction),
    facts: [
      { label: 'Entry → exit', value: `${formatPrice(o.entry)} → ${exit}` },
      { label: 'R', value: r },
    ],
    notes: o.reason ? notesOf([o.reason], 'reason') : [],
  };
  const headline = OUTCOME_WORDS[o.outcome];
  return { headline, summary: clip(`${headline}: ${card.title}`, TITLE_MAX), cards: [card], noun: 'outcome' };
}

function cycleBody(message: CycleMessage): Body {
  const headline = message.status === 'failed' ? '❌ Cycle failed' : '⚠️ Cycle degraded';
  const card: Card = {
    title: `Scanned ${message.symbolsScanned}/${message.symbolsRequested} symbols, ${message.symbolsFailed} failed`,
    tone: message.status === 'failed' ? 'error' : 'warning',
    facts: [],
    notes: message.reasons.length > 0 ? notesOf(message.reasons, 'reason') : ['no reason was recorded'],
  };
  return { headline, summary: `${headline}: ${card.title}`, cards: [card], noun: 'event' };
}

function testBody(message: TestMessage): Body {
  const destination = oneLine(message.destination);
  const headline = '🔔 Test from the market scanner';
  const card: Card = {
    title: `Destination ${destination}`,
    tone: 'info',
    facts: [{ label: 'Sent', value: formatTime(message.sentAt) }],
    notes: [
      clip(
        `This is a test from the market scanner for destination ${destination}: if you can read it, its alerts reach you here.`,
        NOTE_MAX,
      ),
    ],
  };
  return {
    headline,
    summary: clip(`${headline} for destination ${destination}`, TITLE_MAX),
    cards: [card],
    noun: 'message',
  };
}

function toneOf(direction: Direction): Tone {
  return direction === 'LONG' ? 'long' : 'short';
}

/** At most MAX_NOTES lines of at most NOTE_MAX characters, then how many were left out. */
function notesOf(texts: readonly string[], noun: string): string[] {
  const notes = texts.slice(0, MAX_NOTES).map((text) => clip(oneLine(text), NOTE_MAX));
  return texts.length > MAX_NOTES ? [...notes, leftOut(texts.length - MAX_NOTES, noun)] : notes;
}

/** Line breaks in a reason would break every channel's layout. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A link the channels can all use: http(s), and short enough for Telegram. */
function webLink(url: string | undefined): string | undefined {
  if (!url || url.length > LINK_MAX) return undefined;
  try {
    return /^https?:$/.test(new URL(url).protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

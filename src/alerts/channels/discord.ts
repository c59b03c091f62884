/**
 * @module
 * A Discord webhook: one embed per card, coloured by side, within Discord's
 * documented limits (10 embeds, 6000 characters of embed text in all, and
 * each field's own). The headline, the late note and how many signals did
 * not fit go in the message's content, which shows in notifications;
 * `allowed_mentions: {parse: []}` keeps a hostile reason from pinging
 * anyone. `?wait=true` makes Discord answer only once the message exists,
 * with its errors, instead of a bare 204.
 *
 * Discord merges embeds that share a `url` into one (its image gallery), so
 * in a digest each embed links the cycle with its own fragment.
 */
import type { DiscordDestination } from '../destinations.js';
import { bodySnippet, failure, field, isSuccess, parseJson, retryAfterMs, secondsAsMs } from './answers.js';
import { type Channel, JSON_HEADERS } from './channel.js';
import { type Card, clip, leftOut, NOTE_MAX, outline, takeWithin, type Tone } from './text.js';

export const DISCORD_LIMITS = {
  embeds: 10,
  total: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  content: 2000,
} as const;

export const DISCORD_USERNAME = 'Market scanner';

/** Green for LONG, red for SHORT (and a failed cycle), amber for a degraded one, blurple for a test. */
const COLOURS: Record<Tone, number> = {
  long: 0x2ecc71,
  short: 0xe74c3c,
  error: 0xe74c3c,
  warning: 0xf1c40f,
  info: 0x5865f2,
};

/** Discord's markdown: a backslash escapes any of these; "@everyone" is disarmed by allowed_mentions instead. */
const escapeMarkdown = (text: string) => text.replace(/[\\*_~`|<>[\]#]/g, '\\$&');

interface Embed {
  title: string;
  description?: string;
  url?: string;
  color: number;
  fields: Array<{ name: string; value: string; inline: true }>;
  footer?: { text: string };
}

export const discord: Channel<DiscordDestination> = {
  request(destination, message, context) {
    const o = outline(message, context.lateByMs);
    const footer = o.footer ? clip(o.footer, DISCORD_LIMITS.footer) : '';
    const embeds = o.cards
      .slice(0, DISCORD_LIMITS.embeds)
      .map((card, index) => embedOf(card, linkOf(o.link, index, o.cards.length)));
    const kept = takeWithin(embeds, embedText, DISCORD_LIMITS.total - footer.length, 0);
    const last = kept.at(-1);
    if (last && footer) last.footer = { text: footer };
    const cut = o.cards.length - kept.length;
    const content = [
      `**${escapeMarkdown(o.headline)}**`,
      ...(o.late ? [o.late] : []),
      ...(cut > 0 ? [leftOut(cut, o.noun)] : []),
    ];
    const url = new URL(destination.webhookUrl);
    url.searchParams.set('wait', 'true');
    return {
      url: url.toString(),
      headers: { ...JSON_HEADERS },
      body: JSON.stringify({
        username: DISCORD_USERNAME,
        content: clip(content.join('\n'), DISCORD_LIMITS.content),
        embeds: kept,
        allowed_mentions: { parse: [] },
      }),
    };
  },

  answer(status, headers, body) {
    if (isSuccess(status)) {
      const pauseMs =
        headers.get('x-ratelimit-remaining') === '0'
          ? secondsAsMs(headers.get('x-ratelimit-reset-after'))
          : undefined;
      return pauseMs === undefined ? { ok: true } : { ok: true, pauseMs };
    }
    const json = parseJson(body);
    const message = field(json, 'message', 'string');
    const global = status === 429 && (json as { global?: unknown } | undefined)?.global === true;
    const detail = message === undefined ? undefined : `${message}${global ? ' (global rate limit)' : ''}`;
    const retryAfter = secondsAsMs(field(json, 'retry_after', 'number')) ?? retryAfterMs(headers);
    return failure('discord', status, detail ?? bodySnippet(body), retryAfter);
  },
};

function embedOf(card: Card, url: string | undefined): Embed {
  const description = card.notes.map((note) => `• ${clip(note, NOTE_MAX, escapeMarkdown)}`).join('\n');
  return {
    title: clip(card.title, DISCORD_LIMITS.title, escapeMarkdown),
    ...(description ? { description: clip(description, DISCORD_LIMITS.description) } : {}),
    ...(url ? { url } : {}),
    color: COLOURS[card.tone],
    fields: card.facts.slice(0, DISCORD_LIMITS.fields).map((f) => ({
      name: clip(f.label, DISCORD_LIMITS.fieldName, escapeMarkdown),
      // Discord rejects an empty field value.
      value: clip(f.value, DISCORD_LIMITS.fieldValue, escapeMarkdown) || '-',
      inline: true,
    })),
  };
}

/** What counts toward the 6000 characters: title, description, field names and values, footer. */
function embedText(embed: Embed): number {
  const fields = embed.fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  return embed.title.length + (embed.description?.length ?? 0) + fields + (embed.footer?.text.length ?? 0);
}

function linkOf(link: string | undefined, index: number, count: number): string | undefined {
  if (!link || count === 1) return link;
  const url = new URL(link);
  url.hash = `signal-${index + 1}`;
  return url.toString();
}

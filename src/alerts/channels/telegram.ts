/**
 * @module
 * Telegram's Bot API sendMessage: the outline as one text of at most 4096
 * characters in the destination's parse mode. Every piece of text is escaped
 * as Telegram's "HTML style" or "MarkdownV2 style" requires (MarkdownV2
 * rejects a message with one unescaped "." or "-", so our own wording is
 * escaped too), and a digest keeps its best signals whole and says how many
 * more were left out rather than cutting one in half.
 */
import type { TelegramDestination } from '../destinations.js';
import { bodySnippet, failure, field, isSuccess, parseJson, retryAfterMs } from './answers.js';
import { type Channel, JSON_HEADERS } from './channel.js';
import {
  type Card,
  clip,
  leftOut,
  LINK_TEXT,
  NOTE_MAX,
  type Outline,
  outline,
  takeWithin,
  TITLE_MAX,
} from './text.js';

/** sendMessage's limit on the text, counted here with its markup (Telegram counts it after parsing: safe). */
export const TELEGRAM_TEXT_MAX = 4096;
const FACTS_MAX = 400;
/** A link whose escaped URL is longer would leave too little room for the signals. */
const LINK_RENDERED_MAX = 1_500;

interface Markup {
  escape: (text: string) => string;
  bold: (escaped: string) => string;
  italic: (escaped: string) => string;
  link: (url: string, escaped: string) => string;
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (text: string) => text.replace(/[&<>]/g, (c) => HTML_ENTITIES[c]!);

const MARKUP: Record<TelegramDestination['parseMode'], Markup> = {
  HTML: {
    escape: escapeHtml,
    bold: (text) => `<b>${text}</b>`,
    italic: (text) => `<i>${text}</i>`,
    link: (url, text) => `<a href="${url.replace(/[&<>"]/g, (c) => HTML_ENTITIES[c]!)}">${text}</a>`,
  },
  MarkdownV2: {
    escape: (text) => text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&'),
    bold: (text) => `*${text}*`,
    italic: (text) => `_${text}_`,
    // Inside a link's (...) only ")" and "\" are escaped.
    link: (url, text) => `[${text}](${url.replace(/[)\\]/g, '\\$&')})`,
  },
};

export const telegram: Channel<TelegramDestination> = {
  request(destination, message, context) {
    const markup = MARKUP[destination.parseMode];
    return {
      url: `${destination.baseUrl.replace(/\/+$/, '')}/bot${destination.botToken}/sendMessage`,
      headers: { ...JSON_HEADERS },
      body: JSON.stringify({
        chat_id: destination.chatId,
        text: telegramText(outline(message, context.lateByMs), markup),
        parse_mode: destination.parseMode,
        link_preview_options: { is_disabled: true },
      }),
    };
  },

  answer(status, headers, body) {
    const json = parseJson(body);
    const ok = typeof json === 'object' && json !== null ? (json as { ok?: unknown }).ok : undefined;
    if (typeof ok !== 'boolean') {
      return isSuccess(status)
        ? { ok: true }
        : failure('telegram', status, bodySnippet(body), retryAfterMs(headers));
    }
    if (ok) return { ok: true };
    const code = field(json, 'error_code', 'number') ?? status;
    const parameters = (json as { parameters?: unknown }).parameters;
    const retryAfter = field(parameters, 'retry_after', 'number');
    const migratedTo = field(parameters, 'migrate_to_chat_id', 'number');
    const description = field(json, 'description', 'string');
    const detail =
      migratedTo === undefined ? description : `${description ?? ''} (the chat is now ${migratedTo})`;
    return failure(
      'telegram',
      code,
      detail,
      retryAfter === undefined ? retryAfterMs(headers) : retryAfter * 1000,
    );
  },
};

function telegramText(o: Outline, m: Markup): string {
  const head = [m.bold(clip(o.headline, TITLE_MAX, m.escape)), ...(o.late ? [m.escape(o.late)] : [])].join(
    '\n',
  );
  const link = o.link ? m.link(o.link, m.escape(LINK_TEXT)) : '';
  const tail = [
    ...(link && link.length <= LINK_RENDERED_MAX ? [link] : []),
    ...(o.footer ? [m.italic(clip(o.footer, TITLE_MAX, m.escape))] : []),
  ].join('\n');
  const cards = o.cards.map((card) => cardText(card, m));
  const more = (count: number) => m.italic(m.escape(leftOut(count, o.noun)));
  // Paragraphs are joined by a blank line: each one after the head costs 2 more characters.
  const budget = TELEGRAM_TEXT_MAX - head.length - (tail ? tail.length + 2 : 0);
  const kept = takeWithin(cards, (text) => text.length + 2, budget, more(cards.length).length + 2);
  const cut = cards.length - kept.length;
  return [head, ...kept, ...(cut > 0 ? [more(cut)] : []), ...(tail ? [tail] : [])].join('\n\n');
}

function cardText(card: Card, m: Markup): string {
  const facts = card.facts.map((f) => `${f.label} ${f.value}`).join(' · ');
  return [
    m.bold(clip(card.title, TITLE_MAX, m.escape)),
    ...(facts ? [clip(facts, FACTS_MAX, m.escape)] : []),
    ...card.notes.map((note) => `• ${clip(note, NOTE_MAX, m.escape)}`),
  ].join('\n');
}

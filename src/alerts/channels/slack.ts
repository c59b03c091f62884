/**
 * @module
 * A Slack incoming webhook: Block Kit blocks (a header, a section per card
 * with its facts as fields, a context with the Web UI link) within Slack's
 * documented limits, and `text` as the plain fallback that notifications
 * show. Slack asks for `&`, `<` and `>` as entities in mrkdwn, which is also
 * what keeps a hostile reason from writing `<!channel>`; the header is
 * plain_text, shown as written.
 */
import type { SlackDestination } from '../destinations.js';
import { bodySnippet, failure, isSuccess, retryAfterMs } from './answers.js';
import { type Channel, JSON_HEADERS } from './channel.js';
import { type Card, clip, leftOut, LINK_TEXT, NOTE_MAX, outline, takeWithin, TITLE_MAX } from './text.js';

export const SLACK_LIMITS = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextText: 3000,
} as const;

const SLACK_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeSlack = (text: string) => text.replace(/[&<>]/g, (c) => SLACK_ENTITIES[c]!);

interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}
type Block =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text: Mrkdwn; fields?: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] };

const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text });
const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts.map((text) => mrkdwn(clip(text, SLACK_LIMITS.contextText))),
});

export const slack: Channel<SlackDestination> = {
  request(destination, message, requestContext) {
    const o = outline(message, requestContext.lateByMs);
    const head: Block[] = [
      {
        type: 'header',
        text: { type: 'plain_text', text: clip(o.headline, SLACK_LIMITS.header), emoji: true },
      },
      ...(o.late ? [context(escapeSlack(o.late))] : []),
    ];
    const tailTexts = [
      ...(o.footer ? [escapeSlack(o.footer)] : []),
      // Slack reads `|` and `>` in a link's URL as its end: they are percent-encoded.
      ...(o.link
        ? [
            `<${o.link.replace(/[|>]/g, (c) => encodeURIComponent(c)).replace(/[&<]/g, escapeSlack)}|${LINK_TEXT}>`,
          ]
        : []),
    ];
    const tail = tailTexts.length > 0 ? [context(...tailTexts)] : [];
    const sections = o.cards.map(sectionOf);
    const kept = takeWithin(sections, () => 1, SLACK_LIMITS.blocks - head.length - tail.length, 1);
    const cut = sections.length - kept.length;
    const blocks = [...head, ...kept, ...(cut > 0 ? [context(leftOut(cut, o.noun))] : []), ...tail];
    const fallback = [o.summary, ...(o.late ? [o.late] : [])].join(' · ');
    return {
      url: destination.webhookUrl,
      headers: { ...JSON_HEADERS },
      body: JSON.stringify({ text: escapeSlack(fallback), blocks }),
    };
  },

  answer(status, headers, body) {
    if (isSuccess(status)) return { ok: true };
    return failure('slack', status, bodySnippet(body), retryAfterMs(headers));
  },
};

function sectionOf(card: Card): Block {
  const lines = [
    `*${clip(card.title, TITLE_MAX, escapeSlack)}*`,
    ...card.notes.map((note) => `• ${clip(note, NOTE_MAX, escapeSlack)}`),
  ];
  const fields = card.facts
    .slice(0, SLACK_LIMITS.fields)
    .map((f) => mrkdwn(clip(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, SLACK_LIMITS.fieldText)));
  return {
    type: 'section',
    text: mrkdwn(clip(lines.join('\n'), SLACK_LIMITS.sectionText)),
    ...(fields.length > 0 ? { fields } : {}),
  };
}
